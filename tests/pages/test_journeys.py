"""Step 3 page: emotion curve, swimlane, creating journeys and editing stages."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import journeys, personas


def test_demo_journey_shows_curve_and_swimlane(demo_id):
    at = open_page("journeys", {"wb": str(demo_id)})
    assert_clean(at)
    assert at.selectbox(key="cx_journey_persona").value is not None
    assert len(at.get("vega_lite_chart")) == 1
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "cxw-swimlane" in html and "Pause only by email" in html


def test_empty_workbook_asks_for_a_persona_first(empty_id):
    at = open_page("journeys", {"wb": str(empty_id)})
    assert_clean(at)
    assert "Describe at least one persona first" in at.info[0].value


def test_create_journey_with_default_stages_and_edit_a_stage(app_store, empty_id):
    persona = personas.save_persona(app_store, empty_id, {"name": "Ana"}, "t")
    at = open_page("journeys", {"wb": str(empty_id)})
    assert_clean(at)
    next(w for w in at.text_input if w.label == "Name *").input("First purchase")
    next(b for b in at.button if b.label == "Create journey").click().run()
    assert_clean(at)
    (journey,) = journeys.list_journeys(app_store, empty_id, persona["id"])
    stages = journeys.list_stages(app_store, journey["id"])
    assert [s["name"] for s in stages][:3] == ["Awareness", "Consideration", "Purchase"]
    assert len(stages) == 7

    key = f"cx_stages_{journey['id']}_0"
    at.session_state[key] = {
        "edited_rows": {0: {"emotion": -2, "pain_points": "Cannot find prices"}},
        "added_rows": [],
        "deleted_rows": [6],
    }
    at.run()
    at.button(key=f"cx_stages_{journey['id']}_save").click().run()
    assert_clean(at)
    stages = journeys.list_stages(app_store, journey["id"])
    assert len(stages) == 6 and stages[0]["emotion"] == -2
    assert len(at.get("vega_lite_chart")) == 1


def test_out_of_range_emotion_is_refused(app_store, demo_id):
    at = open_page("journeys", {"wb": str(demo_id)})
    journey_id = at.selectbox(key="cx_journey_pick").value
    before = journeys.list_stages(app_store, journey_id)
    at.session_state[f"cx_stages_{journey_id}_0"] = {"edited_rows": {2: {"emotion": 5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key=f"cx_stages_{journey_id}_save").click().run()
    assert at.error[0].value.startswith("Row 3: Emotion")
    assert journeys.list_stages(app_store, journey_id) == before


def test_move_stage_earlier(app_store, demo_id):
    at = open_page("journeys", {"wb": str(demo_id)})
    journey_id = at.selectbox(key="cx_journey_pick").value
    stages = journeys.list_stages(app_store, journey_id)
    at.selectbox(key="cx_move_stage").set_value(stages[1]["id"]).run()
    at.button(key="cx_move_-1").click().run()
    assert_clean(at)
    assert journeys.list_stages(app_store, journey_id)[0]["id"] == stages[1]["id"]
