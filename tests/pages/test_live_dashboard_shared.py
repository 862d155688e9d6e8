"""Step 10 watched live by several screens: one published data version per workbook, and
charts cached once per version whose specs are exactly the ones built from scratch."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.l10n.formats import Formatter
from cxlib.report import charts
from cxlib.steps import webhooks
from cxlib.storage import workbooks
from ui import live, show


def _trend(values: list[float]) -> pl.DataFrame:
    months = [datetime(2026, month, 1) for month in range(1, len(values) + 1)]
    return pl.DataFrame({"month": months, "n": [40 + i for i in range(len(values))], "value": values,
                         "ci_low": [v - 5.5 for v in values], "ci_high": [v + 4.25 for v in values]})


def _table(values: list[float]) -> pl.DataFrame:
    names = ["Home", "Office " + "x" * 90, "Öffentlich", "Small"][: len(values)]
    return pl.DataFrame({"segment": names, "value": values, "ci_low": [v - 3.0 for v in values],
                         "ci_high": [v + 3.0 for v in values], "n": [1500, 300, 29, 4][: len(values)],
                         "small_sample": [False, False, True, True][: len(values)]})


@pytest.mark.parametrize(("language", "calendar", "projector"),
                         [("en", "gregorian", False), ("fa", "persian", True), ("hy", "gregorian", False),
                          ("pl", "gregorian", True)])
def test_a_cached_chart_with_new_data_is_the_chart_built_on_that_data(language, calendar, projector):
    fmt = Formatter(language, calendar)
    labels = {"value": "NPS", "month": "Month", "n": "n", "title": "NPS by month"}
    months = fmt.time_labels("month")
    rtl = language == "fa"

    def trend_spec(frame):
        return show.chart_spec(charts.kpi_trend(frame, labels, months), fmt, rtl, projector)

    def bars_spec(frame):
        return show.chart_spec(charts.kpi_bars(frame, "segment", {"value": "NPS", "category": "Segment", "title": "By"}),
                               fmt, rtl, projector)

    def named(spec, name):  # the spec with its one dataset under ``name``
        (data,) = spec["datasets"].values()
        return {**spec, "data": {"name": name}, "datasets": {name: data}}

    first, then = _trend([-40.0, -35.5, 12.25]), _trend([-41.0, 1234.5, 7.0])
    data, order = charts.kpi_trend_data(then, months)
    assert order == charts.kpi_trend_data(first, months)[1]
    template = trend_spec(first)
    (name,) = template["datasets"]
    filled = show.spec_with_data(template, data)
    assert filled == named(trend_spec(then), name)
    assert filled["datasets"][name] != template["datasets"][name]
    template = bars_spec(_table([1.0, 2.0, 3.0, 4.0]))
    (name,) = template["datasets"]
    then = _table([9.5, -2.0, 3.0, 1500.0])
    assert show.spec_with_data(template, charts.kpi_bars_data(then)) == named(bars_spec(then), name)


class _Rows:
    """A store that only answers the data-version query, counting the reads."""

    def __init__(self, version: int, path: str = "/tmp/one.db"):
        self.version, self.path, self.reads = version, path, 0

    def rows(self, _sql, _params):
        self.reads += 1
        return [{"data_version": self.version}] if self.version is not None else []


def test_the_published_version_moves_at_most_once_per_gap_and_never_waits_for_a_lower_one():
    store = _Rows(5, "/tmp/published-test.db")
    assert live.published(store, 1, now=100.0) == 5
    store.version = 9
    assert live.published(store, 1, now=100.5) == 5  # within the gap: not even read
    assert store.reads == 1
    assert live.published(store, 1, now=100.0 + live.MIN_GAP_SECONDS) == 9
    assert live.published(store, 2, now=100.6) == 9  # another workbook has its own
    store.version = 3  # the workbook's id reused (or another database at this path)
    assert live.published(store, 1, now=200.0) == 3
    store.version = None  # deleted
    assert live.published(store, 1, now=300.0) is None


def test_a_live_rerun_draws_the_published_version_and_a_click_the_current_one(app_store, monkeypatch):
    monkeypatch.setattr(live, "MIN_GAP_SECONDS", 3600.0)  # the page's own poll publishes nothing newer meanwhile
    workbook = workbooks.create_workbook(app_store, "Live", "tester")
    deliveries = [("generic", {"score": i % 11, "metric": "nps", "customer": f"C{i}"}, f"k{i}") for i in range(30)]
    webhooks.receive_many(app_store, workbook["id"], deliveries)
    at = open_page("metrics", {"wb": str(workbook["id"])})
    assert_clean(at)
    assert any("n = 30" in c.value for c in at.caption)
    webhooks.receive_many(app_store, workbook["id"], [("generic", {"score": 10, "metric": "nps"}, "late")])
    published = app_store.get("workbooks", workbook["id"])["data_version"] - 1
    at.session_state[live.LIVE_VERSION_KEY] = (str(app_store.path), workbook["id"], published)
    at.run()  # as the poll asks: the version it published, shared with every screen
    assert any("n = 30" in c.value for c in at.caption)
    assert live.LIVE_VERSION_KEY not in at.session_state
    at.run()  # any other run: the data as it is now
    assert any("n = 31" in c.value for c in at.caption)
    # A poll's request for another workbook (one picked in the same merged rerun), or for a
    # version the workbook has not reached, is not drawn: this workbook as it is now.
    for request in ((str(app_store.path), workbook["id"] + 1, published), (str(app_store.path), workbook["id"], 10**9)):
        at.session_state[live.LIVE_VERSION_KEY] = request
        at.run()
        assert any("n = 31" in c.value for c in at.caption), request
    assert len(at.get("vega_lite_chart")) == 2
