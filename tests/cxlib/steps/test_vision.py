"""Step 2: vision save with versions, team goals grid edits, completion."""

import pytest

from cxlib.steps import vision
from cxlib.storage.store import ConflictError, ValidationError


def test_vision_is_created_once_then_updated_by_version(store, workbook):
    first = vision.save_vision(store, workbook["id"], {"statement": "S", "principles": "p1"}, "a")
    second = vision.save_vision(store, workbook["id"], {"statement": "S2"}, "a", first["version"])
    assert second["id"] == first["id"] and second["statement"] == "S2"
    with pytest.raises(ConflictError):
        vision.save_vision(store, workbook["id"], {"statement": "stale"}, "b", first["version"])


def test_goal_grid_edits_add_change_delete_in_one_change(store, workbook):
    edits = {"added_rows": [{"team": "support", "goal": "Reply fast", "kpi": "FRT", "target": 1}], "edited_rows": {}, "deleted_rows": []}
    vision.save_goal_edits(store, workbook["id"], [], edits, "a")
    vision.save_goal_edits(store, workbook["id"], [], {"added_rows": [{"team": "sales", "goal": "Grow", "kpi": "Churn"}]}, "a")
    loaded = vision.list_goals(store, workbook["id"])
    assert [g["team"] for g in loaded] == ["sales", "support"]
    vision.save_goal_edits(
        store, workbook["id"], loaded,
        {"edited_rows": {"1": {"target": 2}}, "deleted_rows": [0], "added_rows": []}, "b",
    )
    after = vision.list_goals(store, workbook["id"])
    assert [(g["team"], g["target"]) for g in after] == [("support", 2.0)]
    assert len(store.last_change(workbook["id"])) == 2
    store.undo_last(workbook["id"], "b")
    assert len(vision.list_goals(store, workbook["id"])) == 2


def test_bad_goal_row_names_row_and_column_and_writes_nothing(store, workbook):
    edits = {"added_rows": [{"team": "support", "goal": "ok"}, {"team": "legal", "goal": "x"}]}
    with pytest.raises(ValidationError) as raised:
        vision.save_goal_edits(store, workbook["id"], [], edits, "a")
    assert raised.value.field == "team" and raised.value.details["row"] == 2
    assert vision.list_goals(store, workbook["id"]) == []


def test_stale_goal_edit_is_a_conflict(store, workbook):
    vision.save_goal_edits(store, workbook["id"], [], {"added_rows": [{"team": "support", "goal": "A"}]}, "a")
    shown = vision.list_goals(store, workbook["id"])
    vision.save_goal_edits(store, workbook["id"], shown, {"edited_rows": {0: {"goal": "B"}}}, "a")
    with pytest.raises(ConflictError) as raised:
        vision.save_goal_edits(store, workbook["id"], shown, {"edited_rows": {0: {"goal": "C"}}}, "b")
    assert raised.value.theirs["goal"] == "B"


def test_completion_rule(store, workbook):
    assert not vision.is_complete(None, [])
    saved = vision.save_vision(store, workbook["id"], {"statement": "S", "principles": "p"}, "a")
    goals = [{"team": "support", "kpi": "CSAT"}, {"team": "sales", "kpi": ""}]
    assert not vision.is_complete(saved, goals)
    goals[1]["kpi"] = "Churn"
    assert vision.is_complete(saved, goals)


def test_creating_a_vision_someone_else_just_created_is_a_conflict(store, workbook):
    vision.save_vision(store, workbook["id"], {"statement": "first"}, "a")
    with pytest.raises(ConflictError) as raised:
        vision.save_vision(store, workbook["id"], {"statement": "second"}, "b")
    assert raised.value.theirs["statement"] == "first"


def test_goal_names_its_kpi_from_the_catalogue_in_the_kpis_unit(store, workbook):
    wb = workbook["id"]
    vision.save_goal_edits(store, wb, [], {"added_rows": [
        {"team": "support", "goal": "Happy after a call", "kpi": "CSAT", "metric": "csat", "target": 90}]}, "a")
    assert [(g["metric"], g["target"]) for g in vision.list_goals(store, wb)] == [("csat", 90.0)]
    for bad in ({"metric": "ces", "target": 90}, {"metric": "nps", "target": 101}, {"metric": "effort", "target": 5}):
        with pytest.raises(ValidationError) as error:
            vision.save_goal_edits(store, wb, [], {"added_rows": [{"team": "sales", "goal": "G", **bad}]}, "a")
        assert error.value.field == ("metric" if bad["metric"] == "effort" else "target")
    assert len(vision.list_goals(store, wb)) == 1


def test_migration_links_old_goals_only_where_the_kpi_is_unambiguous(tmp_path):
    """Goals typed before the KPI was a choice: whole words only, one KPI, a target in its unit."""
    from sqlite_utils import Database

    from cxlib.storage import schema
    from cxlib.storage.store import Store

    path = tmp_path / "old.db"
    db = Database(path)
    schema.migrations.apply(db, stop_before="m041_goal_metric")
    db["workbooks"].insert({"id": 1, "name": "Old"})
    old = [("Verification success rate", 90), ("NPS", 45), ("Net Promoter Score", 50), ("CSAT", 0.9),
           ("CSAT", 85), ("Churn rate (monthly)", 3), ("NPS and CSAT", 40), ("Effortless", 6),
           ("CES 2.0", 6), ("First response time (h)", 1), ("TTR", None), ("نرخ ریزش (ماهانه)", 2)]
    db["team_goals"].insert_all({"workbook_id": 1, "team": "support", "goal": "g", "kpi": kpi, "target": target}
                                for kpi, target in old)
    db.close()
    store = Store(path)
    linked = [(g["kpi"], g["metric"]) for g in store.list("team_goals")]
    store.close()
    assert linked == [("Verification success rate", None), ("NPS", "nps"), ("Net Promoter Score", "nps"),
                      ("CSAT", None), ("CSAT", "csat"), ("Churn rate (monthly)", "churn"), ("NPS and CSAT", None),
                      ("Effortless", None), ("CES 2.0", "ces"), ("First response time (h)", None), ("TTR", "ttr"),
                      ("نرخ ریزش (ماهانه)", "churn")]
