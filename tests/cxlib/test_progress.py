"""Home progress: completion per step on empty and demo workbooks."""

from cxlib import progress


def test_empty_workbook_has_nothing_done(store, workbook):
    statuses = progress.step_statuses(store, workbook["id"])
    assert len(statuses) == 10 and not any(s.done for s in statuses)
    assert progress.next_step(statuses).key == "personas"
    assert progress.overall(statuses) == 0


def test_demo_workbook_has_the_first_eight_steps_done(store, demo_workbook):
    statuses = progress.step_statuses(store, demo_workbook["id"])
    assert [s.key for s in statuses if s.done] == list(progress.STEP_KEYS[:8])
    assert progress.overall(statuses) == 0.8
    assert progress.next_step(statuses) is None  # steps 9 and 10 are not available yet
