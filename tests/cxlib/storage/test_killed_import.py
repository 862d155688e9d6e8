"""kill -9 of a server process in the middle of an import leaves nothing half-written, and the
workbook stays writable for the other servers (the lock dies with the process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from cxlib.steps import feedback, personas
from cxlib.storage import workbooks
from cxlib.storage.store import Store

HERE = Path(__file__).parent


def test_a_killed_import_leaves_nothing_and_no_lock(db_path):
    store = Store(db_path)
    workbook = workbooks.create_workbook(store, "Imports", "tester")
    version = workbooks.get_workbook(store, workbook["id"])["data_version"]
    worker = subprocess.Popen([sys.executable, str(HERE / "import_worker.py"), str(db_path), str(workbook["id"]),
                               str(2 * feedback.CHUNK)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = worker.stdout.readline()  # the first chunk is in, the transaction still open
        assert line.strip() == "written", worker.stderr.read()
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert store.rows("select count(*) as n from events where workbook_id = ?", (workbook["id"],))[0]["n"] == 0
    assert feedback.list_imports(store, workbook["id"]) == []
    assert workbooks.get_workbook(store, workbook["id"])["data_version"] == version
    # The next change on that workbook goes through (no lock left behind).
    personas.save_persona(store, workbook["id"], {"name": "After the crash"}, "tester")
    assert len(personas.list_personas(store, workbook["id"])) == 1
    store.close()
