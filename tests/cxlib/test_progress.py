"""Home progress: completion per step on empty and demo workbooks."""

from cxlib import progress


def test_empty_workbook_has_nothing_done(store, workbook):
    statuses = progress.step_statuses(store, workbook["id"])
    assert len(statuses) == 10 and not any(s.done for s in statuses)
    assert progress.next_step(statuses).key == "personas"
    assert progress.overall(statuses) == 0


def test_demo_workbook_has_the_first_three_steps_done(store, demo_workbook):
    statuses = progress.step_statuses(store, demo_workbook["id"])
    assert [s.key for s in statuses if s.done] == ["personas", "vision", "journeys"]
    assert progress.overall(statuses) == 0.3
    assert progress.next_step(statuses) is None  # steps 4-10 are not available yet
