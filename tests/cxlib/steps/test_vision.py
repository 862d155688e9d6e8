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
