"""Workbooks: create, rename, duplicate, delete, many per database."""

import pytest

from cxlib.steps import feedback, journeys, personas, vision
from cxlib.storage import workbooks
from cxlib.storage.store import ConflictError, ValidationError


def test_create_and_list_many(store):
    workbooks.create_workbook(store, "Beta", "a")
    workbooks.create_workbook(store, "alpha", "a")
    assert [w["name"] for w in workbooks.list_workbooks(store)] == ["alpha", "Beta"]


def test_names_are_required_and_unique(store, workbook):
    with pytest.raises(ValidationError) as raised:
        workbooks.create_workbook(store, "  ", "a")
    assert raised.value.field == "name"
    with pytest.raises(ValidationError) as raised:
        workbooks.create_workbook(store, "Test workbook", "a")
    assert raised.value.details["rule"] == "unique"


def test_rename_checks_version(store, workbook):
    renamed = workbooks.rename_workbook(store, workbook["id"], "New name", 1, "a")
    assert renamed["name"] == "New name" and renamed["version"] == 2
    with pytest.raises(ConflictError):
        workbooks.rename_workbook(store, workbook["id"], "Other", 1, "b")
    assert store.last_change(workbook["id"])[0]["action"] == "update"


def test_duplicate_copies_everything_with_new_links(store, demo_workbook):
    copy = workbooks.duplicate_workbook(store, demo_workbook["id"], "To-be plan", "a")
    assert workbooks.counts(store, copy["id"]) == workbooks.counts(store, demo_workbook["id"])
    copied_personas = {p["id"] for p in personas.list_personas(store, copy["id"])}
    for journey in journeys.list_journeys(store, copy["id"]):
        assert journey["persona_id"] in copied_personas
        stages = journeys.list_stages(store, journey["id"])
        assert stages and all(s["workbook_id"] == copy["id"] for s in stages)
    # Editing the copy leaves the original alone.
    first = personas.list_personas(store, copy["id"])[0]
    personas.delete_persona(store, copy["id"], first["id"], first["version"], "a")
    assert len(personas.list_personas(store, demo_workbook["id"])) == 3
    assert vision.get_vision(store, copy["id"])["statement"] == vision.get_vision(store, demo_workbook["id"])["statement"]
    # Imported feedback comes along in bulk, and undoing in the copy leaves the original alone.
    assert feedback.counts(store, copy["id"]) == feedback.counts(store, demo_workbook["id"])


def test_delete_removes_all_records_and_history(store, demo_workbook, workbook):
    workbooks.delete_workbook(store, demo_workbook["id"], demo_workbook["version"], "a")
    assert [w["id"] for w in workbooks.list_workbooks(store)] == [workbook["id"]]
    for table in ("personas", "vision", "team_goals", "journeys", "stages", "history"):
        left = store.rows(f"select count(*) as n from {table} where workbook_id = ?", (demo_workbook["id"],))
        assert left[0]["n"] == 0, table


def test_delete_with_stale_version_is_refused(store, workbook):
    workbooks.rename_workbook(store, workbook["id"], "Renamed", 1, "a")
    with pytest.raises(ConflictError):
        workbooks.delete_workbook(store, workbook["id"], 1, "b")
    assert workbooks.get_workbook(store, workbook["id"])["name"] == "Renamed"


def test_currency_is_set_checked_copied_and_exported(store):
    from cxlib.ingest import exchange

    made = workbooks.create_workbook(store, "Priced", "ana", currency="eur")
    assert made["currency"] == "EUR"
    with pytest.raises(ValidationError):
        workbooks.rename_workbook(store, made["id"], "Priced", made["version"], "ana", currency="XYZ")
    renamed = workbooks.rename_workbook(store, made["id"], "Priced", made["version"], "ana", currency="AMD")
    assert renamed["currency"] == "AMD"
    assert workbooks.duplicate_workbook(store, made["id"], "Copy", "ana")["currency"] == "AMD"
    assert exchange.export_workbook(store, made["id"])["workbook"]["currency"] == "AMD"
