"""The store: migrations, pragmas, versions and conflicts, history and undo, concurrency."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cxlib.steps import journeys, personas
from cxlib.storage import schema
from cxlib.storage.store import ConflictError, main_row, SQLITE_PARAMETERS, Store

WORKER = Path(__file__).with_name("store_worker.py")


def persona(store, workbook, name="Ana", **extra):
    values = {"name": name, "goals": "g", "pain_points": "p", "segment_size": 0, **extra}
    return personas.save_persona(store, workbook["id"], values, "tester")


@pytest.mark.sqlite_only
def test_migrations_build_schema_from_empty(db_path):
    store = Store(db_path)
    tables = set(store.db.table_names())
    assert {"workbooks", "personas", "vision", "team_goals", "journeys", "stages", "history"} <= tables
    applied = [m.name for m in schema.migrations.applied(store.db)]
    assert applied == [m.name for m in schema.migrations._migrations]
    assert applied[:2] == ["m001_initial", "m002_scenarios"]
    # Opening again applies nothing twice.
    Store(db_path)
    assert [m.name for m in schema.migrations.applied(Store(db_path).db)] == applied


@pytest.mark.sqlite_only
def test_older_database_is_upgraded_in_place(db_path):
    """A file made before a migration existed gets it on open, keeping its data."""
    import sqlite_utils

    old = sqlite_utils.Database(db_path)
    schema.migrations.apply(old, stop_before="m002_scenarios")
    old["workbooks"].insert({"name": "Old", "version": 1})
    old.close()
    store = Store(db_path)
    assert "scenarios" in store.db.table_names()
    assert [w["name"] for w in store.list("workbooks")] == ["Old"]


@pytest.mark.sqlite_only
def test_connection_pragmas(store):
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


@pytest.mark.sqlite_only
def test_one_connection_per_thread(store):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(store.db))
    thread.start()
    thread.join()
    assert seen[0] is not store.db
    assert store.db is store.db


def test_default_path_from_environment(db_path):
    assert Store().path == db_path


def test_insert_starts_at_version_1_and_update_bumps_it(store, workbook):
    created = persona(store, workbook)
    assert created["version"] == 1 and created["updated_by"] == "tester"
    updated = personas.save_persona(
        store, workbook["id"], {**created, "role": "CFO"}, "bob", created["id"], 1
    )
    assert updated["version"] == 2 and updated["role"] == "CFO" and updated["updated_by"] == "bob"


def test_stale_update_is_a_conflict_carrying_both_versions(store, workbook):
    created = persona(store, workbook)
    personas.save_persona(store, workbook["id"], {**created, "role": "first"}, "a", created["id"], 1)
    with pytest.raises(ConflictError) as raised:
        personas.save_persona(store, workbook["id"], {**created, "role": "second"}, "b", created["id"], 1)
    conflict = raised.value
    assert conflict.expected_version == 1
    assert conflict.mine["role"] == "second"
    assert conflict.theirs["role"] == "first" and conflict.theirs["version"] == 2
    # Nothing was overwritten, and keeping mine deliberately works from their version.
    assert store.get("personas", created["id"])["role"] == "first"
    kept = personas.save_persona(
        store, workbook["id"], {**created, "role": "second"}, "b", created["id"], conflict.theirs["version"]
    )
    assert kept["role"] == "second" and kept["version"] == 3


def test_update_of_deleted_record_is_a_conflict(store, workbook):
    created = persona(store, workbook)
    personas.delete_persona(store, workbook["id"], created["id"], 1, "a")
    with pytest.raises(ConflictError) as raised:
        personas.save_persona(store, workbook["id"], {**created, "role": "x"}, "b", created["id"], 1)
    assert raised.value.theirs is None


def test_failed_change_writes_nothing(store, workbook):
    before = store.history(workbook["id"])
    with pytest.raises(RuntimeError):
        with store.change("a", workbook["id"]) as change:
            change.insert("personas", {"workbook_id": workbook["id"], "name": "Ghost"})
            raise RuntimeError("boom")
    assert personas.list_personas(store, workbook["id"]) == []
    assert store.history(workbook["id"]) == before


def test_history_records_who_when_before_after(store, workbook):
    created = persona(store, workbook)
    personas.save_persona(store, workbook["id"], {**created, "role": "CFO"}, "bob", created["id"], 1)
    newest = store.history(workbook["id"])[0]
    assert newest["action"] == "update" and newest["who"] == "bob" and newest["at"]
    assert newest["before"]["role"] == "" and newest["after"]["role"] == "CFO"
    assert newest["table_name"] == "personas" and newest["record_id"] == created["id"]


def test_undo_update_insert_and_delete_step_by_step(store, workbook):
    created = persona(store, workbook)
    personas.save_persona(store, workbook["id"], {**created, "role": "CFO"}, "bob", created["id"], 1)
    current = store.get("personas", created["id"])
    personas.delete_persona(store, workbook["id"], created["id"], current["version"], "bob")

    store.undo_last(workbook["id"], "carol")  # the delete
    restored = store.get("personas", created["id"])
    assert restored["role"] == "CFO"
    store.undo_last(workbook["id"], "carol")  # the update
    assert store.get("personas", created["id"])["role"] == ""
    store.undo_last(workbook["id"], "carol")  # the insert
    assert store.get("personas", created["id"]) is None
    # Creating the workbook itself is not undoable (deleting it is the way back).
    assert store.last_change(workbook["id"]) == []
    assert store.undo_last(workbook["id"], "carol") == []


def test_undo_of_persona_delete_brings_back_its_journeys(store, workbook):
    created = persona(store, workbook)
    journey = journeys.create_journey(
        store, workbook["id"], {"name": "J", "kind": "as_is", "persona_id": created["id"]}, ["A", "B"], "a"
    )
    personas.delete_persona(store, workbook["id"], created["id"], 1, "a")
    assert journeys.list_journeys(store, workbook["id"]) == []
    last = store.last_change(workbook["id"])
    assert main_row(last)["table_name"] == "personas"
    store.undo_last(workbook["id"], "a")
    assert [j["id"] for j in journeys.list_journeys(store, workbook["id"])] == [journey["id"]]
    assert [s["name"] for s in journeys.list_stages(store, journey["id"])] == ["A", "B"]


def test_undo_refuses_to_discard_a_later_edit(store, workbook):
    created = persona(store, workbook)
    personas.save_persona(store, workbook["id"], {**created, "role": "one"}, "a", created["id"], 1)
    # Someone edits the record outside the history (e.g. a newer change undone elsewhere).
    with store.change("someone", workbook["id"]) as change:  # a write that history does not know
        change.execute("update personas set version = 9 where id = ?", (created["id"],))
    with pytest.raises(ConflictError):
        store.undo_last(workbook["id"], "b")
    assert store.get("personas", created["id"])["role"] == "one"


def test_undo_bumps_version_so_open_editors_see_a_conflict(store, workbook):
    created = persona(store, workbook)
    personas.save_persona(store, workbook["id"], {**created, "role": "one"}, "a", created["id"], 1)
    store.undo_last(workbook["id"], "b")
    with pytest.raises(ConflictError):
        personas.save_persona(store, workbook["id"], {**created, "role": "late"}, "c", created["id"], 2)


def test_data_version_moves_with_every_change(store, workbook):
    start = store.get("workbooks", workbook["id"])["data_version"]
    persona(store, workbook)
    assert store.get("workbooks", workbook["id"])["data_version"] == start + 1


def test_two_threads_writing_lose_no_update(store, workbook):
    target = persona(store, workbook)
    errors = []

    def bump(times, who):
        try:
            for _ in range(times):
                while True:
                    current = store.get("personas", target["id"])
                    try:
                        personas.save_persona(
                            store, workbook["id"], {**current, "segment_size": current["segment_size"] + 1},
                            who, target["id"], current["version"],
                        )
                        break
                    except ConflictError:
                        continue
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=bump, args=(40, f"t{i}")) for i in range(2)]
    # A second Store object on the same file shares the process-wide write lock.
    other = Store(store.path)
    threads.append(threading.Thread(target=lambda: [persona(other, workbook, f"P{i}") for i in range(20)]))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.get("personas", target["id"])["segment_size"] == 80
    assert len(personas.list_personas(store, workbook["id"])) == 21


def test_two_processes_writing_lose_no_update(store, workbook):
    target = persona(store, workbook)
    edits = 60
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(store.path), str(workbook["id"]), str(target["id"]), str(edits), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("proc-a", "proc-b")
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert "database is locked" not in err
        assert out.startswith("ok")
    final = store.get("personas", target["id"])
    assert final["segment_size"] == 2 * edits
    updates = [h for h in store.history(workbook["id"], limit=1000) if h["action"] == "update"]
    assert len(updates) == 2 * edits


def test_foreign_keys_are_enforced(store, workbook):
    with pytest.raises(store.integrity_errors):
        with store.change("a", workbook["id"]) as change:
            change.insert("stages", {"workbook_id": workbook["id"], "journey_id": 999, "name": "x"})


def test_a_change_opened_inside_a_change_is_refused_not_a_hang(store, workbook):
    """One thread, two changes at once: on SQLite the file's write lock is not re-entrant,
    so the inner one would wait for itself forever; it is refused, like on PostgreSQL, and
    the outer change rolls back."""
    with pytest.raises(RuntimeError, match="already open"):
        with store.change("ana", workbook["id"]) as change:
            change.insert("personas", {"workbook_id": workbook["id"], "name": "Outer"})
            with store.change("ana", workbook["id"]):
                pass
    assert store.list("personas", "workbook_id = ?", (workbook["id"],)) == []
    with store.change("ana", workbook["id"]) as change:  # the lock and the flag were let go
        change.insert("personas", {"workbook_id": workbook["id"], "name": "Later"})
    assert [p["name"] for p in store.list("personas", "workbook_id = ?", (workbook["id"],))] == ["Later"]


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_bulk_rows_are_stored_all_and_in_order_however_they_fall_into_statements(store, extra):
    """SQLite takes several rows per statement (as many as 999 parameters allow): a count
    just under, at and over a whole number of statements, and over one group of them."""
    workbook = store.rows("insert into workbooks (name, version) values ('w', 1) returning id")[0]["id"]
    columns = ("workbook_id", "import_id", "at", "metric", "scale", "score")
    per = SQLITE_PARAMETERS // len(columns)
    for count in (per + extra, per * 1000 + per * 2 + extra):
        with store.change("ana", workbook) as change:
            record = change.insert("imports", {"workbook_id": workbook, "kind": "responses", "name": "x",
                                               "rows": count, "created_at": "2026-01-01T00:00:00"})
            change.insert_rows("responses", columns, ((workbook, record["id"], f"2026-01-01T00:00:{i % 60:02d}",
                                                       "nps", 10, float(i % 11)) for i in range(count)))
        stored = store.tuples("select score from responses where import_id = ? order by id", (record["id"],))
        assert [score for (score,) in stored] == [float(i % 11) for i in range(count)]
