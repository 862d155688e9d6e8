"""Presenter view, participant voting page and the report page, inside the frame."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.workshop import facilitation


def test_presenter_moves_through_steps_and_captures(app_store, demo_id):
    at = open_page("workshop", {"wb": str(demo_id)})
    assert_clean(at)
    assert at.title[0].value == "Step 1: Know your customers"
    at.button(key="cx_next").click().run()
    assert at.title[0].value.startswith("Step 2:")
    assert facilitation.seconds_left(facilitation.workshop(app_store, demo_id)) > 0
    at.text_input(key="cx_capture").input("Pause in one tap").run()
    assert_clean(at)
    assert [i["text"] for i in facilitation.ideas(app_store, demo_id, "vision")] == ["Pause in one tap"]
    assert any(m.value == "- Pause in one tap" for m in at.markdown)


def test_controls_on_a_screen_behind_the_room_do_not_move_it(app_store, demo_id):
    """This screen shows step 1 when another screen presses Next: "Start timer" here is for
    step 1, so it changes nothing, says where the room is, and shows that step; so does a
    "Next" pressed for a step the room has already left."""
    at = open_page("workshop", {"wb": str(demo_id)})
    assert at.title[0].value.startswith("Step 1:")
    moved = facilitation.move(app_store, demo_id, 1, "other screen")
    at.button(key="cx_start").click().run()
    assert_clean(at)
    state = facilitation.workshop(app_store, demo_id)
    assert state["current_step"] == "vision" and state["step_started_at"] == moved["step_started_at"]
    assert at.title[0].value.startswith("Step 2:")
    assert any("moved the workshop" in toast.value for toast in at.toast)
    at.button(key="cx_start").click().run()  # now it is the step on this screen: its timer restarts
    assert facilitation.workshop(app_store, demo_id)["step_started_at"] > moved["step_started_at"]
    facilitation.move(app_store, demo_id, 1, "other screen")  # the room goes on to step 3
    at.button(key="cx_next").click().run()  # meant to go from step 2 to 3: nothing more
    assert facilitation.workshop(app_store, demo_id)["current_step"] == "journeys"
    assert at.title[0].value.startswith("Step 3:")


def test_vote_from_a_phone_and_close(app_store, demo_id):
    presenter = open_page("workshop", {"wb": str(demo_id)})
    presenter.button(key="cx_open_vote").click().run()
    state = facilitation.workshop(app_store, demo_id)
    assert state["voting_open"] and any(state["vote_token"] in h.value and "/join-vote?wb=" in h.value
                                        for h in presenter.html)
    assert presenter.get("image"), "the vote link is shown as a QR code too"
    phone = open_page("vote", {"wb": str(demo_id), "token": state["vote_token"]})
    assert_clean(phone)
    item = phone.multiselect(key="cx_picks").options[0]
    phone.multiselect(key="cx_picks").select(item)
    phone.button[0].click().run()
    assert_clean(phone)
    assert facilitation.voters(app_store, demo_id) == 1
    presenter.run()
    presenter.button(key="cx_close_vote").click().run()
    assert facilitation.workshop(app_store, demo_id)["ranking"][0]["dots"] == 1
    closed = open_page("vote", {"wb": str(demo_id), "token": state["vote_token"]})
    assert "no open vote" in closed.info[0].value


def test_report_page(demo_id, empty_id):
    for workbook_id in (demo_id, empty_id):
        at = open_page("report", {"wb": str(workbook_id)})
        assert_clean(at)
        assert at.title[0].value == "Strategy report"


def test_presenter_view_shows_each_steps_content(app_store, demo_id):
    """On the shared screen each step shows its living content, not only its title."""
    at = open_page("workshop", {"wb": str(demo_id)})
    seen = {}
    for number in range(1, 11):
        assert_clean(at)
        assert at.title[0].value.startswith(f"Step {number}:")
        seen[number] = (len(at.get("vega_lite_chart")), len(at.metric), len(at.get("html")), len(at.table))
        if number < 10:
            at.button(key="cx_next").click().run()
    assert seen[1][1] >= 9  # three persona cards, three figures each
    assert seen[3][0] >= 1  # the emotion curve (and the swimlane as HTML)
    assert seen[4][0] >= 1 and seen[6][0] >= 1 and seen[7][0] >= 1  # heatmap, impact/effort, share of voice
    assert seen[10][1] >= 3  # KPI tiles
