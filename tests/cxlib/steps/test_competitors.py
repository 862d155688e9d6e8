"""Step 4: competitor scores, gaps and actions."""

import pytest

from cxlib.steps import competitors, journeys
from cxlib.storage.store import ValidationError


def rows_of(store, workbook):
    return competitors.list_competitors(store, workbook["id"])


def test_every_new_workbook_has_our_row_first(store, workbook):
    (us,) = rows_of(store, workbook)
    assert us["is_us"] == 1 and us["name"] == "Us"


def test_scores_are_1_to_5_and_name_row_and_column(store, workbook):
    edits = {"added_rows": [{"name": "Rival", "price": 4}, {"name": "Other", "reputation": 6}]}
    with pytest.raises(ValidationError) as raised:
        competitors.save_edits(store, workbook["id"], rows_of(store, workbook), edits, "a")
    assert raised.value.field == "reputation" and raised.value.details["row"] == 3
    assert len(rows_of(store, workbook)) == 1


def test_our_row_cannot_be_deleted(store, workbook):
    with pytest.raises(ValidationError):
        competitors.save_edits(store, workbook["id"], rows_of(store, workbook), {"deleted_rows": [0]}, "a")


def test_gaps_name_the_leader_and_skip_unscored_factors(store, workbook):
    loaded = rows_of(store, workbook)
    competitors.save_edits(store, workbook["id"], loaded, {
        "edited_rows": {0: {"price": 2, "reputation": 4, "self_service": 1}},
        "added_rows": [{"name": "A", "price": 5, "reputation": 3, "self_service": 3},
                       {"name": "B", "price": 3, "reputation": 5, "chat_24_7": 5}],
    }, "a")
    gaps = competitors.gaps(rows_of(store, workbook)).to_dicts()
    assert [(g["factor"], g["leader"], g["gap"]) for g in gaps] == [
        ("price", "A", 3), ("self_service", "A", 2), ("reputation", "B", 1)]
    # chat_24_7: we have no score, so it is not a gap we can claim.


def test_completion_needs_us_and_two_fully_scored_competitors(store, workbook):
    full = {f: 3 for f in competitors.FACTORS}
    loaded = rows_of(store, workbook)
    competitors.save_edits(store, workbook["id"], loaded, {
        "edited_rows": {0: full}, "added_rows": [{"name": "A", **full}, {"name": "B", **full, "price": None}]}, "a")
    assert not competitors.is_complete(rows_of(store, workbook))
    rows = rows_of(store, workbook)
    b = next(i for i, r in enumerate(rows) if r["name"] == "B")
    competitors.save_edits(store, workbook["id"], rows, {"edited_rows": {b: {"price": 2}}}, "a")
    assert competitors.is_complete(rows_of(store, workbook))


def test_gap_actions_link_to_stages(store, workbook):
    journey = journeys.create_journey(store, workbook["id"], {"name": "J", "kind": "as_is"}, ["Support"], "a")
    stage = journeys.list_stages(store, journey["id"])[0]
    competitors.save_action_edits(store, workbook["id"], [], {"added_rows": [
        {"factor": "self_service", "action": "Pause in the app", "stage_id": stage["id"]}]}, "a")
    (action,) = competitors.list_actions(store, workbook["id"])
    assert action["stage_id"] == stage["id"]
    with pytest.raises(ValidationError):
        competitors.save_action_edits(store, workbook["id"], [], {"added_rows": [{"factor": "vibes", "action": "x"}]}, "a")
