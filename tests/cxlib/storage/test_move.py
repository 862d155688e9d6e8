"""Moving a whole instance SQLite → PostgreSQL → SQLite: everything arrives with its ids,
history and undo keep working, and a refused move leaves nothing on the target."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cxlib.access import accounts, roles
from cxlib.demo import build as demo
from cxlib.steps import feedback, personas
from cxlib.storage import move, workbooks
from cxlib.storage.store import Store

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[3]


def filled(path: Path) -> Store:
    """A SQLite instance with the demo (imports, answers, history), an account, a typed
    answer and an undone change."""
    store = Store(path)
    wb = demo.create_demo(store)
    accounts.create_account(Store(path, roles.ACCESS), "ana", "Ana", "a long password", roles.Actor.system("setup"),
                            True)
    feedback.add_response(store, wb["id"], {"metric": "nps", "score": 9, "segment": "B2B"}, "tester")
    first = personas.list_personas(store, wb["id"])[0]
    personas.save_persona(store, wb["id"], {**first, "role": "changed"}, "tester", first["id"], first["version"])
    store.undo_last(wb["id"], "tester")
    return store


def fingerprints(store: Store) -> dict:
    ordered, columns = move._layout()
    with store.transaction(snapshot=True):
        return {t: move._fingerprint(store, t, columns[t]) for t in ordered}


def test_sqlite_to_postgresql_and_back_keeps_everything(tmp_path, db_path):
    source = filled(tmp_path / "before.db")
    target = Store(db_path)
    copied = move.move(source, target, say=lambda _: None)
    assert copied["responses"] > 0 and copied["history"] > 0
    assert fingerprints(target) == fingerprints(source)
    wb = workbooks.list_workbooks(target)[0]
    assert workbooks.counts(target, wb["id"]) == workbooks.counts(source, wb["id"])
    assert feedback.counts(target, wb["id"]) == feedback.counts(source, wb["id"])
    # History and undo go on where they were; new records get new ids.
    assert [c["change_id"] for c in target.changes(wb["id"])] == [c["change_id"] for c in source.changes(wb["id"])]
    created = personas.save_persona(target, wb["id"], {"name": "After the move"}, "tester")
    assert created["id"] > max(p["id"] for p in personas.list_personas(source, wb["id"]))
    target.undo_last(wb["id"], "tester")
    assert fingerprints(target)["personas"] == fingerprints(source)["personas"]
    # And back, by the command line.
    back = tmp_path / "after.db"
    done = subprocess.run([sys.executable, "-m", "cxlib.storage.move", db_path, str(back)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "counts and history read back the same" in done.stdout
    assert "cxw-test" not in done.stdout  # the password is not printed
    assert fingerprints(Store(back)) == fingerprints(target)


def test_a_target_that_holds_data_is_refused_untouched(tmp_path, db_path):
    source = filled(tmp_path / "before.db")
    target = Store(db_path)
    workbooks.create_workbook(target, "Already here", "someone")
    before = fingerprints(target)
    with pytest.raises(move.MoveRefused) as refused:
        move.move(source, target, say=lambda _: None)
    assert refused.value.details["reason"] == "not_empty"
    assert fingerprints(target) == before


def test_a_row_the_target_refuses_leaves_no_half_copy(tmp_path, db_path):
    source = filled(tmp_path / "before.db")
    # SQLite keeps text in an INTEGER column; PostgreSQL refuses it, late in the copy.
    source.db.execute("update stages set position = 'second' where id = (select max(id) from stages)")
    target = Store(db_path)
    empty = fingerprints(target)
    with pytest.raises(move.MoveRefused) as refused:
        move.move(source, target, say=lambda _: None)
    assert refused.value.details["reason"] == "refused"
    assert fingerprints(target) == empty
    done = subprocess.run([sys.executable, "-m", "cxlib.storage.move", str(tmp_path / "before.db"), db_path],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.startswith("Not moved: the target refused the copy")
    assert "Traceback" not in done.stderr


def test_the_reference_schema_reads_from_any_thread():
    """The schema read by moves and migrations checks is made once per process, perhaps in
    a page's script thread, and read later from another (the cause of a flaky CI run)."""
    import threading

    from cxlib.storage import schema

    schema.reference.cache_clear()
    made: list[object] = []
    maker = threading.Thread(target=lambda: made.append(schema.reference()))
    maker.start()
    maker.join()
    assert made[0] is schema.reference()
    assert "responses" in schema.reference().table_names()
    assert "workbooks" in move._layout()[0]
