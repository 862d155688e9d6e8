"""Workshop facilitation: agenda, timer, quick capture, anonymous dot voting."""

from datetime import datetime, timedelta, timezone

import pytest

from cxlib.storage.store import ValidationError
from cxlib.workshop import facilitation


def test_agenda_steps_and_timer(store, demo_workbook):
    wb = demo_workbook["id"]
    state = facilitation.workshop(store, wb)
    assert state["current_step"] == "personas" and state["agenda"]["journeys"] == 30
    assert facilitation.seconds_left(state) is None
    state = facilitation.move(store, wb, 1, "f")
    assert state["current_step"] == "vision"
    started = datetime.fromisoformat(state["step_started_at"])
    assert facilitation.seconds_left(state, started + timedelta(minutes=5)) == 10 * 60
    assert facilitation.seconds_left(state, started + timedelta(minutes=16)) == -60
    assert facilitation.clock(-61) == "−01:01" and facilitation.clock(600) == "10:00"
    assert facilitation.move(store, wb, -5, "f")["current_step"] == "personas"
    state = facilitation.set_minutes(store, wb, {"vision": 25}, "f")
    assert state["agenda"]["vision"] == 25 and state["agenda"]["personas"] == 20
    with pytest.raises(ValidationError):
        facilitation.set_minutes(store, wb, {"vision": 0}, "f")


def test_quick_capture(store, workbook):
    facilitation.capture(store, workbook["id"], "journeys", "  Box arrives when nobody is home ", "f")
    assert facilitation.capture(store, workbook["id"], "journeys", "   ", "f") is None
    assert [i["text"] for i in facilitation.ideas(store, workbook["id"], "journeys")] == ["Box arrives when nobody is home"]


def test_an_idea_without_a_step_goes_to_the_step_on_the_shared_screen(store, workbook):
    """The presenter page may still be drawing the previous step when Enter is pressed; the
    idea belongs to the step the screen has moved to."""
    wb = workbook["id"]
    facilitation.move(store, wb, 3, "f")
    on_screen = facilitation.workshop(store, wb)["current_step"]
    facilitation.capture(store, wb, None, "Said while the page redrew", "f")
    assert [i["step"] for i in facilitation.ideas(store, wb)] == [on_screen]
    assert on_screen != "personas"


def test_controls_act_on_the_step_the_screen_showed_and_never_on_a_moved_room(store, workbook):
    """A presenter page still showing step 2 after another screen pressed Next: its "Start
    timer" would move the room back, its "Next" would skip step 3 for everyone. Both are
    refused (RoomMoved, naming the room's step) and change nothing."""
    wb = workbook["id"]
    first = facilitation.start_timer(store, wb, "personas", "f")  # the first action creates the record
    assert first["current_step"] == "personas" and first["step_started_at"]
    shown = facilitation.move(store, wb, 1, "f", shown="personas")["current_step"]
    assert shown == "vision"
    moved = facilitation.move(store, wb, 1, "other screen", shown="vision")
    assert moved["current_step"] == "journeys"
    for press in (lambda: facilitation.start_timer(store, wb, shown, "f"),
                  lambda: facilitation.move(store, wb, 1, "f", shown=shown),
                  lambda: facilitation.move(store, wb, -1, "f", shown=shown)):
        with pytest.raises(facilitation.RoomMoved) as refused:
            press()
        assert refused.value.details["step"] == "journeys"
        assert facilitation.workshop(store, wb) == moved
    restarted = facilitation.start_timer(store, wb, "journeys", "f")
    assert restarted["current_step"] == "journeys" and restarted["step_started_at"] > moved["step_started_at"]
    with pytest.raises(ValidationError):
        facilitation.start_timer(store, wb, "no-such-step", "f")


def test_dot_vote_is_anonymous_limited_and_saved(store, demo_workbook):
    wb = demo_workbook["id"]
    items = facilitation.vote_items(store, wb)
    assert "Support: Pause only by email" in items and "Pause and skip in the app" in items
    state = facilitation.open_voting(store, wb, 2, "f")
    token = state["vote_token"]
    facilitation.cast(store, wb, token, "phone-a", [items[0], items[1]])
    facilitation.cast(store, wb, token, "phone-b", [items[1]])
    facilitation.cast(store, wb, token, "phone-a", [items[1], items[2]])  # changes their mind
    ranked = facilitation.results(store, wb).to_dicts()
    assert ranked[0] == {"item": items[1], "dots": 2} and facilitation.voters(store, wb) == 2
    with pytest.raises(ValidationError):
        facilitation.cast(store, wb, token, "phone-c", items[:3])  # three dots, two allowed
    with pytest.raises(ValidationError):
        facilitation.cast(store, wb, "wrong", "phone-c", items[:1])
    saved = facilitation.close_voting(store, wb, "f")
    assert saved["ranking"][0]["item"] == items[1] and not saved["voting_open"]
    with pytest.raises(ValidationError):
        facilitation.cast(store, wb, token, "phone-d", items[:1])


def test_opening_the_presenter_view_writes_nothing(store, workbook):
    """A facilitator opening the shared screen leaves no history entry for Undo to offer;
    the first real action creates the state."""
    before = len(store.history(workbook["id"]))
    state = facilitation.workshop(store, workbook["id"])
    assert state["current_step"] == "personas" and state["voting_open"] == 0
    assert len(store.history(workbook["id"])) == before
    assert facilitation.move(store, workbook["id"], 1, "f")["current_step"] == "vision"
    assert len(store.rows("select id from workshops where workbook_id = ?", (workbook["id"],))) == 1
