"""Profile of step 10's cold path: everything the page computes on a cold cache (counts,
tickets, events, headlines, usage, trend, breakdown, the trend chart), without Streamlit's
drawing, under cProfile, with wall and CPU time.

Usage: python -m bench.profile_dashboard DATABASE [--workbook "bench 1,000,000"]
(a database kept by ``bench.kpi_engine --db`` or ``bench.browser_dashboard --db``)
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from cxlib.analytics import aggregates, metrics
from cxlib.report import charts
from cxlib.steps import feedback, vision
from cxlib.storage.store import Store


def cold(store: Store, workbook: int, calendar: str = "gregorian") -> None:
    counted = aggregates.load(store, workbook)
    tickets, events = feedback.load_tickets(store, workbook), feedback.load_events(store, workbook)
    metrics.headlines(counted, tickets, events, vision.list_goals(store, workbook), calendar)
    metrics.usage(events, calendar)
    trend = metrics.trend(aggregates.load_days(store, workbook), "nps", calendar)
    metrics.breakdown(counted, "nps", "segment")
    charts.kpi_trend(trend, {"value": "NPS", "month": "month", "title": "NPS"}, None)
    metrics.ttr_trend(tickets, calendar), metrics.churn_trend(events, calendar=calendar), metrics.ttr_by_channel(tickets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("--workbook", default="bench 1,000,000")
    args = parser.parse_args()
    store = Store(args.database)
    workbook = store.rows("select id from workbooks where name = ?", (args.workbook,))[0]["id"]
    cold(store, workbook)  # imports and first-use costs out of the way
    profile = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    cold(store, workbook)
    profile.disable()
    print(f"wall {time.perf_counter() - wall:.2f} s, CPU {time.process_time() - cpu:.2f} s")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"cxlib", 14)


if __name__ == "__main__":
    main()
