"""Step 5: members, RACI per stage, review cadence."""

from datetime import date, timedelta

import pytest

from cxlib.steps import journeys, team
from cxlib.storage.store import ConflictError, ValidationError


def test_members_raci_and_unowned_stages(store, workbook):
    journeys.create_journey(store, workbook["id"], {"name": "J", "kind": "as_is"}, ["Buy", "Use", "Support"], "a")
    stages = journeys.stage_names(store, workbook["id"])
    team.save_member_edits(store, workbook["id"], [], {"added_rows": [{"name": "Ana", "role": "Lead"},
                                                                      {"name": "Piotr"}]}, "a")
    members = team.list_members(store, workbook["id"])
    assert team.unowned_stages(members, stages) == ["Buy", "Use", "Support"]
    team.save_raci_edits(store, workbook["id"], members, {0: {"Buy": "r", "Use": "A"}, 1: {"Support": "C"}}, "a")
    members = team.list_members(store, workbook["id"])
    assert members[0]["raci"] == {"Buy": "R", "Use": "A"}
    assert team.unowned_stages(members, stages) == ["Support"]
    frame = team.raci_frame(members, stages)
    assert frame.columns == ["name", "Buy", "Use", "Support"] and frame.row(1) == ("Piotr", "", "", "C")


def test_bad_raci_letter_names_the_row(store, workbook):
    team.save_member_edits(store, workbook["id"], [], {"added_rows": [{"name": "Ana"}]}, "a")
    with pytest.raises(ValidationError) as raised:
        team.save_raci_edits(store, workbook["id"], team.list_members(store, workbook["id"]), {0: {"Buy": "X"}}, "a")
    assert raised.value.details["row"] == 1 and raised.value.field == "Buy"


def test_review_cadence_and_overdue_flag(store, workbook):
    assert team.is_overdue(None)
    today = date(2026, 11, 22)
    review = team.save_review(store, workbook["id"],
                              {"cadence_days": 30, "last_review": today - timedelta(days=10)}, "a")
    assert team.next_review(review) == today + timedelta(days=20)
    assert not team.is_overdue(review, today)
    assert team.is_overdue(review, today + timedelta(days=21))
    with pytest.raises(ConflictError):
        team.save_review(store, workbook["id"], {"cadence_days": 7}, "b")
    with pytest.raises(ValidationError):
        team.save_review(store, workbook["id"], {"cadence_days": 0}, "a", review["version"])


def test_completion(store, workbook):
    members = [{"raci": {"Buy": "R"}}]
    assert not team.is_complete(members, ["Buy"], None)
    assert team.is_complete(members, ["Buy"], {"last_review": "2026-11-01", "cadence_days": 30})
    assert not team.is_complete(members, ["Buy", "Use"], {"last_review": "2026-11-01", "cadence_days": 30})
