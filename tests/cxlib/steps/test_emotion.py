"""Step 8: brand story, personalisation plans, target emotions feeding the curve."""

import pytest

from cxlib.steps import emotion, journeys, personas
from cxlib.storage.store import ValidationError


def test_story_plans_and_targets(store, workbook):
    persona = personas.save_persona(store, workbook["id"], {"name": "Ana"}, "a")
    journey = journeys.create_journey(store, workbook["id"], {"name": "J", "kind": "as_is",
                                                              "persona_id": persona["id"]}, ["A", "B", "C"], "a")
    story = emotion.save_story(store, workbook["id"], {"story": "We roast"}, "a")
    plans = emotion.plans(store, workbook["id"])
    assert plans[0]["persona"] == "Ana" and plans[0]["plan_id"] is None
    emotion.save_plan_edits(store, workbook["id"], plans, {0: {"plan": "Pick by rating"}}, "a")
    plans = emotion.plans(store, workbook["id"])
    assert plans[0]["plan"] == "Pick by rating"
    emotion.save_plan_edits(store, workbook["id"], plans, {0: {"moments": "First box"}}, "a")
    assert emotion.plans(store, workbook["id"])[0]["moments"] == "First box"

    stages = journeys.list_stages(store, journey["id"])
    emotion.save_stage_edits(store, workbook["id"], stages, {i: {"target_emotion": 2} for i in range(3)}, "a")
    stages = journeys.list_stages(store, journey["id"])
    assert emotion.is_complete(story, stages)
    frame = journeys.emotion_frame(store, workbook["id"], persona["id"])
    assert frame.filter(frame["kind"] == "target")["emotion"].to_list() == [2, 2, 2]


def test_target_outside_scale_is_refused(store, workbook):
    journey = journeys.create_journey(store, workbook["id"], {"name": "J", "kind": "as_is"}, ["A"], "a")
    with pytest.raises(ValidationError) as raised:
        emotion.save_stage_edits(store, workbook["id"], journeys.list_stages(store, journey["id"]),
                                 {0: {"target_emotion": 3}}, "a")
    assert raised.value.field == "target_emotion" and raised.value.details["row"] == 1
