"""An export of many answers imported on step 9 in a real browser: `streamlit run` driven
by Playwright in Debian's Chromium, as a user does it.

Writes the export of ``bench.import_answers`` (``--size`` NPS answers, a semicolon CSV),
starts a fresh server on a new database, opens step 9's import tab and, per run:

- **preview**: from choosing the file (the upload included) to the import button shown,
  i.e. the file read and every row checked;
- **store**: from the click to the success message (every row stored and counted);
- the server process's **peak resident memory** (VmHWM) over the run, the upload included.

No reference runs beside it: the goals are absolute (issue 14: ≤ 90 s, ≤ 1 GB). Each
run uses a new server and database, so runs do not share caches or rows.

Usage: python -m bench.import_in_browser [--size 3060000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.browser_dashboard import memory
from bench.import_answers import write_export

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))


class Resident:
    """The resident memory of a process, sampled every 0.1 s in a thread: the peak of each
    phase, marked by :meth:`phase`."""

    def __init__(self, pid: int):
        self.pid, self.peaks, self.current = pid, {}, "start"
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(0.1):
            try:
                rss = memory(self.pid)[1]
            except (FileNotFoundError, ProcessLookupError):
                return
            self.peaks[self.current] = max(self.peaks.get(self.current, 0.0), rss)

    def phase(self, name: str) -> None:
        self.current = name

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        return self.peaks


def one_run(browser, export: Path, folder: Path, run: int) -> tuple[float, float, float]:
    from browserkit import AppServer, wait_for_app

    server = AppServer(folder / f"run-{run}.db", log=folder / f"run-{run}.log")
    server.start()
    resident = Resident(server.process.pid)
    try:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{server.url}/feedback", timeout=120_000)
        wait_for_app(page)
        page.get_by_role("tab", name="Import data").click()
        page.wait_for_timeout(500)
        resident.phase("preview")
        start = time.perf_counter()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(export, timeout=600_000)
        go = page.get_by_role("button", name="Import", exact=True)
        go.wait_for(timeout=600_000)
        preview = time.perf_counter() - start
        resident.phase("store")
        start = time.perf_counter()
        go.click()
        page.get_by_text("rows from export.csv imported").wait_for(timeout=600_000)
        stored = time.perf_counter() - start
        assert page.locator("[data-testid='stException']").count() == 0
        peak = memory(server.process.pid)[0]
        peaks = resident.stop()
        print("  resident memory, peak per phase: " + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()), flush=True)
        context.close()
        errors = server.errors()
        assert not errors, errors[-2000:]
        return preview, stored, peak
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=3_060_000)  # a file at the upload limit (170 MB)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from browserkit import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        export = folder / "export.csv"
        write_export(export, args.size)
        size_mb = export.stat().st_size / 1e6
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        runs = []
        for run in range(args.runs):
            runs.append(one_run(browser, export, folder, run))
            preview, stored, peak = runs[-1]
            print(f"  run {run + 1}: preview {preview:.1f} s, store {stored:.1f} s, whole {preview + stored:.1f} s, "
                  f"server peak {peak:.0f} MB, load {os.getloadavg()[0]:.2f}", flush=True)
        browser.close()
    print(f"\n## {args.size:,} answers ({size_mb:.0f} MB CSV) imported "
          f"on step 9 in Chromium (medians of {args.runs} runs, each on a new server)")
    for index, what in enumerate(("preview (upload, read, check)", "store (click to success)")):
        print(f"{what:<32} {statistics.median(r[index] for r in runs):7.1f} s")
    print(f"{'whole import':<32} {statistics.median(r[0] + r[1] for r in runs):7.1f} s")
    print(f"{'server peak memory':<32} {statistics.median(r[2] for r in runs):7.0f} MB "
          f"(runs {', '.join(f'{r[2]:.0f}' for r in runs)})")


if __name__ == "__main__":
    main()
