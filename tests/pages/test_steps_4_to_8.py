"""Steps 4-8 pages inside the frame: demo, empty workbook, and one edit each."""

import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import automation, competitors, emotion, listening, team

STEPS = ("competitors", "team", "automation", "listening", "emotion")


@pytest.mark.parametrize("step", STEPS)
def test_each_step_renders_on_demo_and_empty(step, demo_id, empty_id):
    for workbook_id in (demo_id, empty_id):
        at = open_page(step, {"wb": str(workbook_id)})
        assert_clean(at)
        assert at.title[0].value.startswith("Step ")


def test_competitor_scores_heatmap_and_gaps(app_store, demo_id, empty_id):
    at = open_page("competitors", {"wb": str(demo_id)})
    assert len(at.get("vega_lite_chart")) == 1
    assert any("**Self-service**: RoastBox scores 5, we score 1 (gap 4)" in m.value for m in at.markdown)
    at = open_page("competitors", {"wb": str(empty_id)})
    at.session_state["cx_competitor_scores_0"] = {"edited_rows": {0: {"price": 4}}, "added_rows": [],
                                                  "deleted_rows": []}
    at.run()
    at.button(key="cx_competitor_scores_save").click().run()
    assert_clean(at)
    assert competitors.list_competitors(app_store, empty_id)[0]["price"] == 4


def test_team_raci_edit(app_store, demo_id):
    at = open_page("team", {"wb": str(demo_id)})
    members = team.list_members(app_store, demo_id)
    at.session_state["cx_raci_0"] = {"edited_rows": {0: {"Support": "I"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="cx_raci_save").click().run()
    assert_clean(at)
    assert team.list_members(app_store, demo_id)[0]["raci"]["Support"] == "I"
    assert members[0]["raci"]["Support"] == "A"


def test_automation_matrix_and_new_idea(app_store, empty_id):
    at = open_page("automation", {"wb": str(empty_id)})
    at.session_state["cx_automations_0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"name": "Auto-reply", "kind": "auto_reply", "volume": 3, "pain": 2, "feasibility": 5, "effort": 1}]}
    at.run()
    at.button(key="cx_automations_save").click().run()
    assert_clean(at)
    assert [i["name"] for i in automation.list_items(app_store, empty_id)] == ["Auto-reply"]
    assert len(at.get("vega_lite_chart")) == 1
    assert any("Priority = volume × pain × feasibility ÷ effort" in c.value for c in at.caption)


def test_listening_demo_charts_and_tagging(app_store, demo_id):
    at = open_page("listening", {"wb": str(demo_id)})
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) == 2
    assert any("for English mentions only" in c.value for c in at.caption)
    before = listening.counts(app_store, demo_id)["tagged"]
    at.session_state["cx_mention_tags_0"] = {"edited_rows": {0: {"stage": "Support"}}, "added_rows": [],
                                             "deleted_rows": []}
    at.run()
    at.button(key="cx_mention_tags_save").click().run()
    assert_clean(at)
    assert listening.counts(app_store, demo_id)["tagged"] >= before


def test_emotion_story_saved(app_store, empty_id):
    at = open_page("emotion", {"wb": str(empty_id)})
    at.text_area[0].input("We roast small lots")
    next(b for b in at.button if b.label == "Save").click().run()
    assert_clean(at)
    assert emotion.get_story(app_store, empty_id)["story"] == "We roast small lots"


def test_persian_digits_typed_in_grid_number_cells(app_store, empty_id):
    at = open_page("competitors", {"wb": str(empty_id), "lang": "fa"})
    assert_clean(at)
    at.session_state["cx_competitor_scores_0"] = {"edited_rows": {0: {"price": "۴"}}, "added_rows": [],
                                                  "deleted_rows": []}
    at.run()
    at.button(key="cx_competitor_scores_save").click().run()
    assert_clean(at)
    assert competitors.list_competitors(app_store, empty_id)[0]["price"] == 4
    at.session_state["cx_competitor_scores_1"] = {"edited_rows": {0: {"price": "خوب"}}, "added_rows": [],
                                                  "deleted_rows": []}
    at.run()
    at.button(key="cx_competitor_scores_save").click().run()
    assert at.error and "۱" in at.error[0].value  # refused, naming the row in Persian digits
    assert competitors.list_competitors(app_store, empty_id)[0]["price"] == 4
