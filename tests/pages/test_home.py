"""Home page inside the frame: progress, next step, the ten steps."""

from apptest_helpers import open_page
from pagekit import assert_clean


def test_home_on_demo_shows_every_step_done(demo_id):
    at = open_page("home", {"wb": str(demo_id)})
    assert_clean(at)
    assert at.title[0].value == "Your CX strategy"
    assert "10 of 10 steps done" in at.get("progress")[0].proto.text
    # The frame ran too: language and workbook pickers, and the URL names the workbook.
    assert [s.label for s in at.sidebar.selectbox] == ["Language", "Workbook"]
    assert at.query_params["wb"] == [str(demo_id)] or at.query_params["wb"] == str(demo_id)
    markdown = " ".join(m.value for m in at.markdown)
    for n in range(1, 11):
        assert f"Step {n}:" in markdown


def test_home_on_empty_workbook_points_to_personas(empty_id):
    at = open_page("home", {"wb": str(empty_id)})
    assert_clean(at)
    assert "0 of 10 steps done" in at.get("progress")[0].proto.text
    assert any("Next:" in m.value and "Know your customers" in m.value for m in at.markdown)


def test_unknown_workbook_in_link_falls_back_with_a_warning(demo_id):
    at = open_page("home", {"wb": "999"})
    assert not at.exception
    assert "does not exist or is not shared with you" in at.warning[0].value
    assert at.sidebar.selectbox[1].value == demo_id
