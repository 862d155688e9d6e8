"""KPI engine, import and dashboard speed on 1M (and 10M) survey responses.

Each figure is printed next to a reference run in the same process:

- NPS, CSAT and CES grouped by segment and month: ``cxlib.analytics.kpi`` (polars) against DuckDB
  running the same aggregation (counts, means, standard deviations) on the same frame;
- importing 1M responses from a CSV export (read, detect header, parse dates and numbers,
  validate scales, store in one transaction) against a raw ``sqlite3`` ``executemany`` of
  the already-parsed rows into the same table;
- the metrics dashboard page (Streamlit AppTest) with 1M responses in the workbook: the
  first run, and a rerun when nothing changed (served from the cache keyed on the
  workbook's data version).

Usage: python -m bench.kpi_engine [--sizes 1000000 10000000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from bench import best_of
from cxlib.analytics import kpi
from cxlib.demo import data as demo_data
from cxlib.ingest import pipeline
from cxlib.steps import feedback
from cxlib.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent


def engine(frame: pl.DataFrame) -> None:
    frame = frame.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S").dt.truncate("1mo").alias("month"))
    parts = {m: frame.filter(pl.col("metric") == m) for m in ("nps", "csat", "ces")}

    def ours():
        return (kpi.nps(parts["nps"], by=["segment", "month"]),
                kpi.csat(parts["csat"], scale=5, by=["segment", "month"]),
                kpi.ces(parts["ces"], scale=7, by=["segment", "month"]))

    connection = duckdb.connect()
    connection.register("responses", frame.to_arrow())
    sql = """
        select segment, month,
          count(score) filter (where metric = 'nps') as nps_n,
          100.0 * (count(*) filter (where metric = 'nps' and score >= 9)
                 - count(*) filter (where metric = 'nps' and score <= 6))
                / nullif(count(score) filter (where metric = 'nps'), 0) as nps,
          count(score) filter (where metric = 'csat') as csat_n,
          avg(case when score >= 4 then 1.0 else 0.0 end) filter (where metric = 'csat') as csat,
          count(score) filter (where metric = 'ces') as ces_n,
          avg(score) filter (where metric = 'ces') as ces,
          stddev_samp(score) filter (where metric = 'ces') as ces_sd,
          avg(case when score >= 5 then 1.0 else 0.0 end) filter (where metric = 'ces') as ces_agree
        from responses group by segment, month
    """

    def reference():
        return pl.from_arrow(connection.sql(sql).to_arrow_table())

    ours_time, (nps, _, _) = best_of(3, ours)
    duck_time, duck = best_of(3, reference)
    check = nps.join(duck, on=["segment", "month"])
    assert (check["value"] - check["nps"]).abs().max() < 1e-9, "the two engines disagree"
    print(f"NPS+CSAT+CES by segment × month  cxlib.kpi {ours_time * 1000:8.1f} ms   "
          f"DuckDB {duck_time * 1000:8.1f} ms   ratio {ours_time / duck_time:5.2f}")


def import_speed(frame: pl.DataFrame, folder: Path) -> None:
    export = folder / "export.csv"
    # Every row as an NPS answer, so the file holds all of them (one metric per import).
    nps = frame.with_columns((pl.col("score") * 10 / pl.col("scale")).round().alias("score"))
    nps.select(pl.col("at").alias("Date"), pl.col("score").cast(pl.Int64).alias("Score"),
               pl.col("segment").alias("Segment"), pl.col("stage").alias("Stage"),
               pl.col("channel").alias("Channel")).write_csv(export, separator=";")
    content = export.read_bytes()
    mapping = {"date": "Date", "nps": "Score", "segment": "Segment", "stage": "Stage", "channel": "Channel"}

    def prepared():
        """The export through the import pipeline, as the feedback page reads it."""
        table = pipeline.open_file(content, "export.csv")
        return feedback.response_rows(pipeline.read(table, feedback.RESPONSES, mapping))[0]

    def ours():
        store = Store(folder / f"ours-{time.perf_counter_ns()}.db")
        workbook = store.rows("insert into workbooks (name, version) values ('bench', 1) returning id")[0]["id"]
        rows = prepared()
        feedback.import_rows(store, workbook, "responses", rows, "export.csv", "bench", "nps")
        store.close()
        return rows.height

    rows = prepared()
    tuples = list(rows.select(feedback.KIND_COLUMNS["responses"]).iter_rows())

    def reference():
        path = folder / f"raw-{time.perf_counter_ns()}.db"
        Store(path).close()  # same schema, built by the migrations
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("insert into workbooks (id, name, version) values (1, 'bench', 1)")
        connection.executemany(
            "insert into responses (workbook_id, import_id, at, metric, scale, score, customer, segment, persona, "
            "stage, channel, comment) values (1, null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", tuples)
        connection.commit()
        connection.close()

    ours_time, count = best_of(2, ours)
    raw_time, _ = best_of(2, reference)
    print(f"import {count:,} responses (read, validate, store)  {ours_time:6.2f} s   "
          f"raw sqlite3 executemany {raw_time:6.2f} s   ratio {ours_time / raw_time:5.2f}")


def dashboard(frame: pl.DataFrame, folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from apptest_helpers import open_page

    os.environ["CXW_DB"] = str(folder / "dashboard.db")
    store = Store()
    workbook = store.rows("insert into workbooks (name, version) values ('bench', 1) returning id")[0]["id"]
    feedback.import_rows(store, workbook, "responses", frame, "bench", "bench")
    start = time.perf_counter()
    at = open_page("metrics", {"wb": str(workbook)}, timeout=120)
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(3):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    print(f"dashboard with {frame.height:,} responses   first run {first:6.2f} s   "
          f"rerun, nothing changed {min(reruns):6.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            frame = demo_data.responses(size, seed=11)
            print(f"\n## {size:,} survey responses")
            engine(frame)
            if size <= 1_000_000:
                import_speed(frame.head(1_000_000), Path(folder))
                dashboard(frame, Path(folder))


if __name__ == "__main__":
    main()
