"""Where an import of many answers spends its time and memory, phase by phase.

Writes a semicolon CSV export of ``--size`` NPS answers (date, score, segment, stage,
channel, as a survey tool exports them), then, in a fresh process per run (so the peak
resident memory is the import's own), imports it the way the feedback page does:

1. ``pipeline.open_file(streamed=True)``: decode, find the header, split the first part
   into text cells;
2. ``pipeline.read``: every part read into dates and numbers and checked (the preview);
3. ``feedback.check_import``: every part's rows made and checked (the summary shown), kept
   on disk;
4. ``feedback.import_checked``: one transaction; the rows stored a part at a time and
   counted, progress reported.

Prints wall and CPU seconds per phase, the process's peak resident memory after each
phase (VmHWM) and how many progress reports the store made. The median of ``--runs``
runs (each phase's median separately).

Usage: python -m bench.import_answers [--size 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPING = {"date": "Date", "nps": "NPS", "segment": "Segment", "stage": "Stage", "channel": "Channel"}


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_export(path: Path, size: int) -> None:
    """A semicolon CSV of ``size`` NPS answers as a survey tool exports them."""
    import polars as pl

    from cxlib.demo import data as demo_data

    frame = demo_data.responses(size, seed=11)
    frame.select(pl.col("at").alias("Date"), (pl.col("score") * 10 / pl.col("scale")).round().cast(pl.Int64)
                 .alias("NPS"), pl.col("segment").alias("Segment"), pl.col("stage").alias("Stage"),
                 pl.col("channel").alias("Channel")).write_csv(path, separator=";")


def child(export: Path, database: Path) -> None:
    """One import, phase by phase; prints its figures as JSON."""
    from cxlib.ingest import pipeline
    from cxlib.steps import feedback
    from cxlib.storage.store import Store

    store = Store(database)
    workbook = store.rows("insert into workbooks (name, version) values ('bench', 1) returning id")[0]["id"]
    figures, reports = {"start": {"peak_mb": peak_mb()}}, []
    clock, cpu = time.perf_counter(), time.process_time()

    def phase(name: str) -> None:
        nonlocal clock, cpu
        figures[name] = {"wall": time.perf_counter() - clock, "cpu": time.process_time() - cpu, "peak_mb": peak_mb()}
        clock, cpu = time.perf_counter(), time.process_time()

    content = export.read_bytes()
    phase("read the file")
    table = pipeline.open_file(content, export.name, streamed=True)
    phase("open_file: decode, header, cells")
    reading = pipeline.read(table, feedback.RESPONSES, MAPPING)
    phase("read: dates and numbers checked")
    checked = feedback.check_import("responses", reading)
    phase("check_import: rows checked")
    feedback.import_checked(store, workbook, checked, export.name, "bench", progress=reports.append)
    phase("import_checked: store, counts")
    store.close()
    figures["progress_reports"] = len(reports)
    figures["rows"] = reading.height
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.csv"
        write_export(export, args.size)
        size_mb = export.stat().st_size / 1e6
        runs = []
        for run in range(args.runs):
            database = Path(folder) / f"import-{run}.db"
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "bench.import_answers", "--child", str(export), str(database)],
                                  cwd=ROOT, capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            figures["process"] = time.perf_counter() - started
            runs.append(figures)
            database.unlink()
            print(f"  run {run + 1}: {figures['process']:.1f} s in all, peak {figures['import_checked: store, counts']['peak_mb']:.0f} MB",
                  flush=True)
    phases = [name for name in runs[0] if isinstance(runs[0][name], dict) and "wall" in runs[0][name]]
    print(f"\n## import of {runs[0]['rows']:,} answers from a {size_mb:.0f} MB CSV (medians of {args.runs} runs, "
          "each in a fresh process)")
    for name in phases:
        wall = statistics.median(r[name]["wall"] for r in runs)
        cpu = statistics.median(r[name]["cpu"] for r in runs)
        peak = statistics.median(r[name]["peak_mb"] for r in runs)
        print(f"{name:<36} wall {wall:7.2f} s   CPU {cpu:7.2f} s   peak so far {peak:6.0f} MB")
    total = statistics.median(sum(r[name]["wall"] for name in phases) for r in runs)  # median of whole runs
    print(f"{'whole import (file to stored)':<36} wall {total:7.2f} s   process with start-up "
          f"{statistics.median(r['process'] for r in runs):.2f} s   progress reports {runs[0]['progress_reports']}")


if __name__ == "__main__":
    main()
