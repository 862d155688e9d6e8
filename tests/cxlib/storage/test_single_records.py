"""Single-per-workbook records (vision, brand story, team review, workshop) under races.

Eight OS processes create the same record of a fresh workbook at once: one record comes
out, and no call fails with anything but a clean ConflictError.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import race_worker  # noqa: E402  (spawned processes import it by this name)

from cxlib.storage import workbooks

PROCESSES = 8
CALLS = 5


@pytest.fixture(scope="module")
def processes():
    """Eight spawned processes and a barrier manager, shared by the four races (starting
    Python with polars eight times per race would dominate the run)."""
    spawn = multiprocessing.get_context("spawn")
    # A spawned child runs the parent's __main__ again; after a page test in this process
    # that is the script AppTest ran (pytest-xdist runs files in any order), so the children
    # start from a blank __main__ and import what they need by name.
    main, sys.modules["__main__"] = sys.modules["__main__"], types.ModuleType("__main__")
    try:
        manager, pool = spawn.Manager(), spawn.Pool(PROCESSES)
    finally:
        sys.modules["__main__"] = main
    with manager, pool:
        yield pool, manager


@pytest.mark.parametrize("kind", sorted(race_worker.CALLS))
def test_eight_processes_creating_one_record(store, processes, kind):
    pool, manager = processes
    workbook = workbooks.create_workbook(store, f"Race {kind}", "tester")
    start = manager.Barrier(PROCESSES)
    outcomes = pool.starmap(
        race_worker.run,
        [(str(store.path), workbook["id"], kind, f"p{n}", CALLS, start) for n in range(PROCESSES)],
        chunksize=1,
    )
    assert [o["other"] for o in outcomes] == [[]] * PROCESSES
    assert len(store.list(kind, "workbook_id = ?", (workbook["id"],))) == 1
    succeeded = sum(o["ok"] for o in outcomes)
    conflicts = sum(o["conflict"] for o in outcomes)
    assert succeeded + conflicts == PROCESSES * CALLS
    if kind == "workshops":  # the facilitator drives: each start of the timer goes through
        assert conflicts == 0
    else:  # everyone started from "no record yet": only the first save goes through
        assert succeeded == 1
    creations = [h for h in store.history(workbook["id"], limit=500)
                 if h["table_name"] == kind and h["action"] == "insert"]
    assert len(creations) == 1
