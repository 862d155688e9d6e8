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

    at.segmented_control(key="cx_stage_mode").set_value("grid").run()
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
    at.segmented_control(key="cx_stage_mode").set_value("grid").run()
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


def test_capture_one_stage_at_a_time_saves_and_moves_on(app_store, demo_id):
    """The room calls a stage out: type, Enter, and the next stage opens."""
    at = open_page("journeys", {"wb": str(demo_id)})
    journey_id = at.selectbox(key="cx_journey_pick").value
    first = journeys.list_stages(app_store, journey_id)[0]
    form = f"cx_stage_{journey_id}_{first['id']}_{first['version']}"
    at.text_input(key=f"{form}_thoughts").input("Who are these people?")
    at.text_area(key=f"{form}_pain_points").input("No reviews\nNo prices on Instagram")
    at.segmented_control(key=f"{form}_emotion").set_value(-1)
    at.button(key=f"FormSubmitter:{form}-Save and go to the next stage").click().run()
    assert_clean(at)
    saved = journeys.list_stages(app_store, journey_id)[0]
    assert saved["thoughts"] == "Who are these people?" and saved["emotion"] == -1
    assert saved["pain_points"] == "No reviews\nNo prices on Instagram"
    assert saved["touchpoints"] == first["touchpoints"]  # untouched lanes keep their lines
    assert at.session_state[f"cx_stage_{journey_id}_pick"] == 1


def test_capture_a_new_stage(app_store, demo_id):
    at = open_page("journeys", {"wb": str(demo_id)})
    journey_id = at.selectbox(key="cx_journey_pick").value
    count = len(journeys.list_stages(app_store, journey_id))
    at.session_state[f"cx_stage_{journey_id}_pick"] = -1
    at.run()
    form = f"cx_stage_{journey_id}_new_0"
    at.text_input(key=f"{form}_name").input("Referral")
    at.pills(key=f"{form}_channels").set_value(["email", "app"])
    at.button(key=f"FormSubmitter:{form}-Save and go to the next stage").click().run()
    assert_clean(at)
    stages = journeys.list_stages(app_store, journey_id)
    assert len(stages) == count + 1 and stages[-1]["name"] == "Referral" and stages[-1]["channels"] == ["email", "app"]
