"""Step 2 page: vision form and the team-goal grid (edited through its session state)."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import vision


def test_demo_vision_is_shown(demo_id):
    at = open_page("vision", {"wb": str(demo_id)})
    assert_clean(at)
    assert at.text_area[0].value.startswith("Every Bean & Bloom customer")


def test_write_vision_on_empty_workbook(app_store, empty_id):
    at = open_page("vision", {"wb": str(empty_id)})
    assert_clean(at)
    at.text_area[0].input("Customers feel known")
    at.text_area[1].input("One tap to pause\nA human answers")
    at.button[0].click().run()
    assert_clean(at)
    saved = vision.get_vision(app_store, empty_id)
    assert saved["statement"] == "Customers feel known" and saved["principles"].count("\n") == 1


def test_goal_grid_edit_is_saved(app_store, empty_id):
    at = open_page("vision", {"wb": str(empty_id)})
    at.session_state["cx_goals_0"] = {
        "edited_rows": {},
        "added_rows": [{"team": "support", "goal": "Reply within an hour", "kpi": "FRT", "target": 1}],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="cx_goals_save").click().run()
    assert_clean(at)
    goals = vision.list_goals(app_store, empty_id)
    assert [(g["team"], g["goal"], g["target"]) for g in goals] == [("support", "Reply within an hour", 1.0)]


def test_bad_goal_row_is_reported_with_row_and_column(app_store, empty_id):
    at = open_page("vision", {"wb": str(empty_id)})
    at.session_state["cx_goals_0"] = {"edited_rows": {}, "added_rows": [{"team": "support"}], "deleted_rows": []}
    at.run()
    at.button(key="cx_goals_save").click().run()
    assert at.error[0].value == "Row 1: Goal is required."
    assert vision.list_goals(app_store, empty_id) == []


def test_goals_without_a_measured_kpi_are_listed(demo_id):
    at = open_page("vision", {"wb": str(demo_id)})
    assert_clean(at)
    unlinked = next(c.value for c in at.caption if "No measured KPI chosen" in c.value)
    assert "Answer every contact within one working hour" in unlinked and "Personalised" not in unlinked
