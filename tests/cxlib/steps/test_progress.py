"""Home progress: completion per step on empty and demo workbooks."""

from cxlib.steps import progress


def test_empty_workbook_has_nothing_done(store, workbook):
    statuses = progress.step_statuses(store, workbook["id"])
    assert len(statuses) == 10 and not any(s.done for s in statuses)
    assert progress.next_step(statuses).key == "personas"
    assert progress.overall(statuses) == 0


def test_demo_workbook_has_every_step_done(store, demo_workbook):
    statuses = progress.step_statuses(store, demo_workbook["id"])
    assert [s.key for s in statuses if s.done] == list(progress.STEP_KEYS)
    assert all(s.available for s in statuses)
    assert progress.overall(statuses) == 1.0
    assert progress.next_step(statuses) is None
