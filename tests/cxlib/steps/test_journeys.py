"""Step 3: journeys, stage grid edits, reordering, the emotion frame and the swimlane."""

import pytest

from cxlib.steps import journeys, personas
from cxlib.storage.store import ConflictError, ValidationError


@pytest.fixture
def journey(store, workbook):
    persona = personas.save_persona(store, workbook["id"], {"name": "Ana"}, "t")
    return journeys.create_journey(
        store, workbook["id"], {"name": "Buy", "kind": "as_is", "persona_id": persona["id"]},
        ["Awareness", "Purchase", "Use"], "t",
    )


def test_create_with_stages_in_order(store, journey):
    stages = journeys.list_stages(store, journey["id"])
    assert [(s["position"], s["name"]) for s in stages] == [(1, "Awareness"), (2, "Purchase"), (3, "Use")]


def test_kind_must_be_as_is_or_to_be(store, workbook):
    with pytest.raises(ValidationError) as raised:
        journeys.create_journey(store, workbook["id"], {"name": "X", "kind": "maybe"}, [], "t")
    assert raised.value.field == "kind"


def test_stage_grid_edit_and_new_rows_go_last(store, workbook, journey):
    shown = journeys.list_stages(store, journey["id"])
    journeys.save_stage_edits(
        store, workbook["id"], journey["id"], shown,
        {"edited_rows": {1: {"emotion": -2, "pain_points": "Slow checkout"}},
         "added_rows": [{"name": "Renewal", "channels": ["email"]}], "deleted_rows": []},
        "t",
    )
    stages = journeys.list_stages(store, journey["id"])
    assert [s["name"] for s in stages] == ["Awareness", "Purchase", "Use", "Renewal"]
    assert stages[1]["emotion"] == -2 and stages[3]["position"] == 4 and stages[3]["channels"] == ["email"]


@pytest.mark.parametrize("emotion", [3, -3, 1.5, "happy"])
def test_emotion_out_of_scale_names_row_and_column(store, workbook, journey, emotion):
    shown = journeys.list_stages(store, journey["id"])
    with pytest.raises(ValidationError) as raised:
        journeys.save_stage_edits(
            store, workbook["id"], journey["id"], shown, {"edited_rows": {2: {"emotion": emotion}}}, "t"
        )
    assert raised.value.field == "emotion" and raised.value.details["row"] == 3
    assert journeys.list_stages(store, journey["id"])[2]["emotion"] is None


def test_stale_stage_edit_is_a_conflict(store, workbook, journey):
    shown = journeys.list_stages(store, journey["id"])
    journeys.save_stage_edits(store, workbook["id"], journey["id"], shown, {"edited_rows": {0: {"thoughts": "A"}}}, "a")
    with pytest.raises(ConflictError):
        journeys.save_stage_edits(store, workbook["id"], journey["id"], shown, {"edited_rows": {0: {"thoughts": "B"}}}, "b")
    forced = {shown[0]["id"]: shown[0]["version"] + 1}
    journeys.save_stage_edits(
        store, workbook["id"], journey["id"], shown, {"edited_rows": {0: {"thoughts": "B"}}}, "b", forced
    )
    assert journeys.list_stages(store, journey["id"])[0]["thoughts"] == "B"


def test_move_stage_renumbers(store, workbook, journey):
    use = journeys.list_stages(store, journey["id"])[2]
    journeys.move_stage(store, workbook["id"], use["id"], -1, "t")
    assert [s["name"] for s in journeys.list_stages(store, journey["id"])] == ["Awareness", "Use", "Purchase"]
    journeys.move_stage(store, workbook["id"], use["id"], -1, "t")
    journeys.move_stage(store, workbook["id"], use["id"], -1, "t")  # already first: nothing
    assert [s["position"] for s in journeys.list_stages(store, journey["id"])] == [1, 2, 3]
    assert journeys.list_stages(store, journey["id"])[0]["name"] == "Use"


def test_emotion_frame_and_stage_order(store, demo_workbook):
    maya = next(p for p in personas.list_personas(store, demo_workbook["id"]) if p["name"].startswith("Maya"))
    frame = journeys.emotion_frame(store, demo_workbook["id"], maya["id"])
    assert set(frame["kind"]) == {"as_is", "to_be", "target"}
    assert frame.filter(frame["kind"] != "target").height == 14
    order = journeys.stage_order(frame)
    assert order[0] == "Awareness" and order[-1] == "Renewal / advocacy" and len(order) == 7
    empty = journeys.emotion_frame(store, demo_workbook["id"], -1)
    assert empty.height == 0 and "emotion" in empty.columns


def test_swimlane_escapes_and_lays_stages_as_columns():
    stages = [
        {"name": "A<b>", "emotion": -2, "channels": ["web"], "pain_points": "x\ny", **{k: "" for k in ("customer_goal", "touchpoints", "actions", "thoughts", "opportunities", "owner_team", "kpi")}},
        {"name": "B", "emotion": None, "channels": [], "pain_points": "", **{k: "" for k in ("customer_goal", "touchpoints", "actions", "thoughts", "opportunities", "owner_team", "kpi")}},
    ]
    labels = {lane: lane.upper() for lane in journeys.LANES}
    markup = journeys.swimlane_html(stages, labels, {-2: "very bad"}, "rtl")
    assert "A&lt;b&gt;" in markup and "<b>" not in markup
    assert markup.count("<tr>") == 1 + len(journeys.LANES)
    assert "x<br>y" in markup and "emotion--2" in markup and "dir='rtl'" in markup
    named = journeys.swimlane_html(stages, labels, {}, "ltr", {"channels": {"web": "Strona WWW"}})
    assert "Strona WWW" in named and ">web<" not in named  # codes are shown in the reader's words


def test_completion_rule(store, workbook, journey):
    assert not journeys.is_complete(store, workbook["id"])
    shown = journeys.list_stages(store, journey["id"])
    journeys.save_stage_edits(
        store, workbook["id"], journey["id"], shown,
        {"edited_rows": {0: {"emotion": 1}, 1: {"emotion": -1, "pain_points": "p"}, 2: {"emotion": 0}}}, "t",
    )
    assert journeys.is_complete(store, workbook["id"])
