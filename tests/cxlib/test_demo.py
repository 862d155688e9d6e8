"""The demo workbook is created once, on first run, and is believable."""

from cxlib import demo, workbooks


def test_demo_created_only_when_database_is_empty(store):
    demo.ensure_demo(store)
    demo.ensure_demo(store)
    found = workbooks.list_workbooks(store)
    assert len(found) == 1
    counts = workbooks.counts(store, found[0]["id"])
    assert counts["personas"] == 3 and counts["journeys"] == 2 and counts["stages"] == 14
    assert counts["vision"] == 1 and counts["team_goals"] >= 2


def test_unknown_language_falls_back_to_english():
    assert demo.content("xx") == demo.content("en")
