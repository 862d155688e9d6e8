"""First load of the app and page switches in a real browser, on the demo workbook.

`streamlit run serve.py` driven by Playwright in Debian's Chromium:

- first load: a new browser session opening the app (``/?wb=…``) on a warm server, from
  navigation to the end of the first whole-page run (Streamlit's ``script_finished``) with
  the page's title drawn; the first of all (a cold server) is printed apart;
- page switch: a click on a sidebar link to the end of the new page's run with its title
  drawn, through the strategy steps in order, ``--rounds`` times.

Prints the median (p50) and p90 of each. No reference: the issue's goals are absolute
(first load ≤ 1.5 s, page switch p50 ≤ 0.4 s).

Usage: python -m bench.browser_pages [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.browser_dashboard import Finished
from bench.kpi_engine import bench_workbooks, fmt
from cxlib.storage.store import Store

from browserkit import AppServer, CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - bench.browser_dashboard puts it on the path

STEPS = ("personas", "vision", "journeys", "competitors", "team", "automation", "listening", "emotion",
         "feedback", "metrics", "whatif")


def titled(page) -> None:
    page.wait_for_selector("h1", timeout=300_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")


def first_load(browser, server: AppServer, workbook: int) -> tuple[float, object, object, Finished]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    finished = Finished(page)
    start = time.perf_counter()
    page.goto(f"{server.url}/?wb={workbook}", timeout=300_000)
    finished.wait(page, 0)
    titled(page)
    return time.perf_counter() - start, context, page, finished


def switch(page, finished: Finished, stem: str) -> float:
    before = finished.count
    start = time.perf_counter()
    page.locator(f"a[data-testid='stSidebarNavLink'][href*='/{stem}']").first.click()
    finished.wait(page, before)
    titled(page)
    return time.perf_counter() - start


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        db = Path(folder) / "pages.db"
        os.environ["CXW_DB"] = str(db)
        store = Store(db)
        demo = bench_workbooks(store)[0]
        store.close()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        server = AppServer(db)
        server.start()
        try:
            cold, context, _, _ = first_load(browser, server, demo)
            context.close()
            loads, switches = [], {stem: [] for stem in STEPS}
            for round_ in range(args.rounds):
                took, context, page, finished = first_load(browser, server, demo)
                loads.append(took)
                for stem in STEPS:
                    switches[stem].append(switch(page, finished, stem))
                assert page.locator("[data-testid='stException']").count() == 0
                context.close()
                print(f"  round {round_ + 1}: first load {fmt(took)}, switches "
                      + ", ".join(f"{stem} {fmt(times[-1])}" for stem, times in switches.items()), flush=True)
            errors = server.errors()
            assert not errors, errors[-2000:]
        finally:
            server.stop()
            browser.close()
    every = [t for times in switches.values() for t in times]
    print(f"\n## the app in Chromium, demo workbook ({args.rounds} rounds)")
    print(f"first load, cold server          {fmt(cold):>9}")
    print(f"first load, new session          p50 {fmt(statistics.median(loads)):>9}   p90 {fmt(p90(loads)):>9}")
    print(f"page switch, all {len(every)} switches    p50 {fmt(statistics.median(every)):>9}   p90 {fmt(p90(every)):>9}")
    for stem, times in switches.items():
        print(f"  to {stem:<12} p50 {fmt(statistics.median(times)):>9}")


if __name__ == "__main__":
    main()
