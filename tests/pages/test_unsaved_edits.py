"""Grid edits nobody saved are not lost by leaving the page: other pages say where they wait,
and the grid's page offers to save or discard them."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import vision

GOAL = {"team": "support", "goal": "Reply within an hour", "kpi": "FRT", "target": 1}


def left_on_the_vision_page(app_store, workbook_id) -> dict:
    """Type a goal into the grid and do not save: what the session keeps."""
    at = open_page("vision", {"wb": str(workbook_id)})
    at.session_state["cx_goals_0"] = {"edited_rows": {}, "added_rows": [GOAL], "deleted_rows": []}
    at.run()
    kept = at.session_state["cx_unsaved"]
    assert kept["cx_goals"]["edits"]["added_rows"] == [GOAL] and kept["cx_goals"]["page"] == "vision"
    return kept


def test_another_page_warns_where_unsaved_edits_wait(app_store, empty_id):
    kept = left_on_the_vision_page(app_store, empty_id)
    home = open_page("home", {"wb": str(empty_id)}, session={"cx_unsaved": kept})
    assert_clean(home)
    assert any("Unsaved changes (1)" in w.value and "Define the experience" in w.value for w in home.warning)
    assert vision.list_goals(app_store, empty_id) == []  # nothing was written behind the user's back


def test_coming_back_offers_to_save_what_was_left(app_store, empty_id):
    kept = left_on_the_vision_page(app_store, empty_id)
    back = open_page("vision", {"wb": str(empty_id)}, session={"cx_unsaved": kept})
    assert any("left unsaved in this table: 1" in w.value for w in back.warning)
    back.button(key="cx_goals_save_left").click().run()
    assert_clean(back)
    assert [g["goal"] for g in vision.list_goals(app_store, empty_id)] == ["Reply within an hour"]
    assert "cx_goals" not in back.session_state["cx_unsaved"]


def test_discarding_what_was_left(app_store, empty_id):
    kept = left_on_the_vision_page(app_store, empty_id)
    back = open_page("vision", {"wb": str(empty_id)}, session={"cx_unsaved": kept})
    back.button(key="cx_goals_discard_left").click().run()
    assert not back.warning and vision.list_goals(app_store, empty_id) == []
