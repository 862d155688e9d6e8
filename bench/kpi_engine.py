"""KPI engine and step 10 speed on 1M (and 10M) survey answers.

Every figure is the median of ``--runs`` (≥ 5) runs taken in turns with its reference in the
same process, and times the whole path the user waits for (filters and conversions inside
the clock):

- grouped NPS with its interval, segment × month, string keys, from the answers as they come
  from a file (``at`` as text): ours (polars, lazily: filter the metric, count answers per
  segment × month text × score, turn the month text into a date on the groups, NPS and
  interval per group: ``aggregates.count_answers`` + ``kpi.nps_from_counts``) against
  DuckDB doing the same in one SQL statement on the same Arrow frame (results checked to
  agree to 1e-9);
- step 10's survey figures from the counts the store keeps (read ``response_counts``, NPS,
  CSAT and CES headlines, the NPS trend, a breakdown by channel) against DuckDB computing the
  same figures from the answers already in memory (what a row engine would need at best);
- importing 1M answers from a CSV export (read, validate, store, counts kept) against a raw
  ``sqlite3`` ``executemany`` of the already-parsed rows into the same table;
- the step 10 page in Streamlit's AppTest on a copy of the demo workbook with the answers
  added: cold first run (caches cleared), rerun, and a widget change (the breakdown),
  against the same page on the demo workbook itself (same goals, tickets and usage events,
  3,000 answers): the difference is what the answers cost.

Usage: python -m bench.kpi_engine [--sizes 1000000 10000000] [--runs 5] [--no-import] [--engine-only]
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

from bench import CPU, interleaved
from cxlib.analytics import aggregates, kpi, metrics
from cxlib.demo import data as demo_data
from cxlib.ingest import pipeline
from cxlib.steps import feedback
from cxlib.storage import workbooks
from cxlib.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1_000_000

# Both engines group first and turn the month text ('2026-03') into a date afterwards, on
# the few hundred groups instead of the millions of answers (bit-identical results).
NPS_SQL = """
    with groups as (
        select segment, substr("at", 1, 7) as month_text, count(score) as n,
               count(*) filter (where score >= 9) as p, count(*) filter (where score <= 6) as d
        from responses where metric = 'nps' group by segment, month_text),
    shares as (
        select segment, strptime(month_text || '-01', '%Y-%m-%d') as month, n, p, d, p / n as ps, d / n as ds,
               (p + 0.75) / (n + 3) as pa, (d + 0.75) / (n + 3) as da from groups)
    select segment, month, n, 100 * (ps - ds) as value,
        greatest(-100, case when n >= 30 then 100 * (ps - ds) - 1.959963984540054 * sqrt((ps + ds - (ps - ds) ^ 2) / n) * 100
             else 100 * (pa - da) - 1.959963984540054 * sqrt((pa + da - (pa - da) ^ 2) / (n + 3)) * 100 end) as ci_low,
        least(100, case when n >= 30 then 100 * (ps - ds) + 1.959963984540054 * sqrt((ps + ds - (ps - ds) ^ 2) / n) * 100
             else 100 * (pa - da) + 1.959963984540054 * sqrt((pa + da - (pa - da) ^ 2) / (n + 3)) * 100 end) as ci_high
    from shares
"""

DASHBOARD_SQL = {
    "headline": """select metric, count(score) as n, count(*) filter (where score >= 9) as p,
                   count(*) filter (where score <= 6) as d, count(*) filter (where score >= scale - 1) as top,
                   avg(score) as mean, stddev_samp(score) as sd from responses group by metric""",
    "trend": """select date_trunc('month', strptime("at", '%Y-%m-%dT%H:%M:%S')) as month, count(score) as n,
                100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(score) as nps
                from responses where metric = 'nps' group by month order by month""",
    "breakdown": """select channel, count(score) as n,
                    100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(score)
                    as nps from responses where metric = 'nps' and channel is not null group by channel
                    order by n desc""",
}


def engine(frame: pl.DataFrame, runs: int) -> None:
    connection = duckdb.connect()
    connection.register("responses", frame.to_arrow())

    def ours() -> pl.DataFrame:
        return kpi.nps_from_counts(aggregates.count_answers(frame.lazy().filter(pl.col("metric") == "nps"),
                                                            ["segment", "month"]), "score", ["segment", "month"])

    timed = interleaved(runs, ours=ours, duckdb=lambda: pl.from_arrow(connection.sql(NPS_SQL).to_arrow_table()))
    check = timed["ours"][1].join(timed["duckdb"][1].with_columns(pl.col("month").cast(pl.Datetime("us"))),
                                  on=["segment", "month"], suffix="_duck")
    assert check.height == timed["ours"][1].height
    for column in ("value", "ci_low", "ci_high"):
        assert (check[column] - check[f"{column}_duck"]).abs().max() < 1e-9, f"{column}: the two engines disagree"
    report(f"grouped NPS with CI, segment × month, {frame.height:,} rows", timed, "DuckDB, same SQL path")


def dashboard_figures(frame: pl.DataFrame, store: Store, workbook: int, runs: int) -> None:
    connection = duckdb.connect()
    connection.register("responses", frame.to_arrow())

    def ours():
        counted, daily = aggregates.load(store, workbook), aggregates.load_days(store, workbook)
        lines = metrics.headlines(counted, pl.DataFrame(), pl.DataFrame(), [])
        return lines, metrics.trend(daily, "nps"), metrics.breakdown(counted, "nps", "channel")

    def reference():
        return {name: connection.sql(sql).fetchall() for name, sql in DASHBOARD_SQL.items()}

    timed = interleaved(runs, ours=ours, duckdb=reference)
    lines, trend, table = timed["ours"][1]
    duck = timed["duckdb"][1]
    assert [round(v, 9) for _, _, v in duck["trend"]] == [round(v, 9) for v in trend["value"].to_list()]
    assert sum(n for _, n, _ in duck["breakdown"]) == table["n"].sum()
    counted_rows = store.rows("select count(*) as n from response_counts where workbook_id = ?", (workbook,))[0]["n"]
    report(f"step 10 survey figures from {counted_rows:,} count rows ({frame.height:,} answers)", timed,
           "DuckDB on the answers in memory")


def import_speed(frame: pl.DataFrame, folder: Path, runs: int) -> None:
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
        path = folder / f"ours-{time.perf_counter_ns()}.db"
        store = Store(path)
        workbook = store.rows("insert into workbooks (name, version) values ('bench', 1) returning id")[0]["id"]
        rows = prepared()
        feedback.import_rows(store, workbook, "responses", rows, "export.csv", "bench", "nps")
        store.close()
        path.unlink()
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
        path.unlink()

    timed = interleaved(runs, ours=ours, raw=reference)
    report(f"import {timed['ours'][1]:,} answers from CSV (read, validate, store, counts)", timed,
           "raw sqlite3 executemany of parsed rows (no counts)")


def fill(store: Store, demo: int, size: int) -> int:
    """A copy of the demo workbook (its goals, tickets and usage events) with ``size`` more
    answers, imported a million at a time (as a team would)."""
    workbook = workbooks.duplicate_workbook(store, demo, f"bench {size:,}", "bench")["id"]
    for start in range(0, size, CHUNK):
        part = demo_data.responses(min(CHUNK, size - start), seed=11 + start // CHUNK)
        feedback.import_rows(store, workbook, "responses", part, f"part {start // CHUNK}", "bench")
    return workbook


def bench_workbooks(store: Store, size: int | None = None) -> tuple[int, int | None]:
    """The demo workbook and the one with ``size`` answers, made once per database file."""
    from cxlib.demo import build as demo

    named = {row["name"]: row["id"] for row in store.rows("select id, name from workbooks")}
    demo_id = next(iter(named.values()), None) or demo.create_demo(store)["id"]
    if size is None:
        return demo_id, None
    return demo_id, named.get(f"bench {size:,}") or fill(store, demo_id, size)


def page(workbook: int, demo: int, runs: int, size: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import streamlit as st
    from apptest_helpers import open_page

    def cold(workbook_id: int):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = open_page("metrics", {"wb": str(workbook_id)}, timeout=300)
        assert not at.exception, at.exception
        return at

    timed = interleaved(runs, ours=lambda: cold(workbook), demo=lambda: cold(demo))
    report(f"step 10 in AppTest, cold first run, {size:,} answers", timed, "same page, demo workbook")
    at, demo_at = timed["ours"][1], timed["demo"][1]
    timed = interleaved(runs, ours=lambda: at.run(), demo=lambda: demo_at.run())
    report(f"step 10 in AppTest, rerun, {size:,} answers", timed, "same page, demo workbook")

    def change(app):
        def flip():
            control = app.segmented_control(key="cx_breakdown")
            control.set_value("channel" if control.value != "channel" else "stage").run()
        return flip

    timed = interleaved(runs, ours=change(at), demo=change(demo_at))
    report(f"step 10 in AppTest, breakdown changed, {size:,} answers", timed, "same page, demo workbook")


def report(what: str, timed: dict, reference: str) -> None:
    """One line: our median, the reference's, the ratio, and both medians of CPU time."""
    (ours, _), (theirs, _) = list(timed.values())
    cpu_ours, cpu_theirs = list(CPU.values())
    print(f"{what}\n    ours {fmt(ours):>9}   {reference} {fmt(theirs):>9}   ratio {ours / theirs:5.2f}   "
          f"(CPU {fmt(cpu_ours)} vs {fmt(cpu_theirs)})", flush=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--engine-only", action="store_true", help="only grouped NPS against DuckDB")
    parser.add_argument("--db", type=Path, help="keep the workbooks in this file (and reuse them next time)")
    args = parser.parse_args()
    print(f"(medians of {args.runs} interleaved runs; a shared 2-core machine: read the ratios)")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CXW_DB"] = str(args.db or Path(folder) / "bench.db")
        store = Store()
        demo_id = bench_workbooks(store)[0]
        for size in args.sizes:
            print(f"\n## {size:,} survey answers", flush=True)
            frame = pl.concat([demo_data.responses(min(CHUNK, size - s), seed=11 + s // CHUNK)
                               for s in range(0, size, CHUNK)])
            engine(frame, args.runs)
            if args.engine_only:
                continue
            workbook = bench_workbooks(store, size)[1]
            demo_rows = feedback.load_responses(store, demo_id).with_columns(
                pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S"))  # the copy holds the demo's answers too
            frame = pl.concat([frame, demo_rows.select(frame.columns)], how="vertical_relaxed")
            dashboard_figures(frame, store, workbook, args.runs)
            del frame
            page(workbook, demo_id, args.runs, size)
            if size <= 1_000_000 and not args.no_import:
                import_speed(demo_data.responses(size, seed=11), Path(folder), args.runs)


if __name__ == "__main__":
    main()
