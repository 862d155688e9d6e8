"""Step 6: the automation backlog and its priority score."""

import pytest

from cxlib.steps import automation
from cxlib.storage.store import ValidationError

IDEA = {"name": "Chatbot", "kind": "chatbot", "volume": 4, "pain": 3, "feasibility": 3, "effort": 2,
        "response_hours_now": 8, "response_hours_after": 0.5}


def test_priority_and_impact_are_ranked(store, workbook):
    automation.save_edits(store, workbook["id"], [], {"added_rows": [
        IDEA, {**IDEA, "name": "SMS", "kind": "proactive", "volume": 5, "pain": 3, "feasibility": 5, "effort": 1,
         "response_hours_now": None, "response_hours_after": None}]}, "a")
    ranked = automation.scored(automation.list_items(store, workbook["id"])).to_dicts()
    assert [r["name"] for r in ranked] == ["SMS", "Chatbot"]
    assert ranked[1]["priority"] == pytest.approx(4 * 3 * 3 / 2) and ranked[1]["impact"] == 12
    assert ranked[1]["response_hours_saved"] == pytest.approx(7.5)
    assert ranked[0]["response_hours_saved"] is None


@pytest.mark.parametrize("field, value", [("volume", 0), ("effort", 6), ("pain", None), ("kind", "magic"),
                                          ("response_hours_now", -1)])
def test_bad_scores_name_the_column(store, workbook, field, value):
    with pytest.raises(ValidationError) as raised:
        automation.save_edits(store, workbook["id"], [], {"added_rows": [{**IDEA, field: value}]}, "a")
    assert raised.value.field == field and raised.value.details["row"] == 1


def test_completion_needs_three_and_a_stage():
    assert not automation.is_complete([IDEA] * 3)
    assert automation.is_complete([IDEA, IDEA, {**IDEA, "stage_id": 4}])
