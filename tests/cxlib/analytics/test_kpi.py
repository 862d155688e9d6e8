"""The KPI engine against hand-computed values and the rules of SPEC.md."""

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from cxlib.analytics import kpi


def test_nps_wald_interval_by_hand():
    scores = [10] * 40 + [8] * 30 + [3] * 30
    result = kpi.nps(scores)
    # p = .4, d = .3 → NPS 10; Var = .4 + .3 − .1² = .69; SE = √(.69/100)
    se = np.sqrt(0.69 / 100)
    assert result.value == pytest.approx(10)
    assert result.ci_low == pytest.approx(10 - 1.959964 * se * 100, abs=1e-4)
    assert result.ci_high == pytest.approx(10 + 1.959964 * se * 100, abs=1e-4)
    assert (result.promoters, result.passives, result.detractors) == (0.4, 0.3, 0.3)
    assert result.method == "wald"


def test_nps_adjusted_wald_for_small_samples():
    result = kpi.nps([9, 10, 9, 10, 9, 10, 7, 8, 2, 5])  # P = 6, D = 2, n = 10
    p, d = 6.75 / 13, 2.75 / 13
    se = np.sqrt((p + d - (p - d) ** 2) / 13)
    assert result.value == pytest.approx(40)
    assert result.ci_low == pytest.approx(100 * (p - d) - 1.959964 * se * 100, abs=1e-3)
    assert result.ci_high == pytest.approx(100 * (p - d) + 1.959964 * se * 100, abs=1e-3)
    assert result.method == "adjusted_wald"


def test_nps_nulls_excluded_and_counted_and_empty_is_null():
    result = kpi.nps(pl.Series([10, None, 0, None]))
    assert result.n == 2 and result.missing == 2 and result.value == 0
    empty = kpi.nps([])
    assert empty.value is None and empty.n == 0 and empty.ci_low is None
    assert kpi.nps([None, None]).value is None


@pytest.mark.parametrize("bad, rows", [([5, 11, 3], [1]), ([-1, 5, 7.5], [0, 2]), (["x", 3], [0])])
def test_out_of_scale_is_an_error_naming_rows(bad, rows):
    with pytest.raises(kpi.KPIError) as raised:
        kpi.nps(bad)
    assert raised.value.rows == rows


def test_nps_by_group_matches_plain_column():
    frame = pl.DataFrame({"segment": ["a"] * 100 + ["b"] * 10,
                          "score": [10] * 40 + [8] * 30 + [3] * 30 + [9] * 6 + [7, 8] + [2, 5]})
    table = kpi.nps(frame, score="score", by=["segment"])
    assert table.columns[:5] == ["segment", "n", "value", "ci_low", "ci_high"]
    a, b = table.to_dicts()
    plain_b = kpi.nps([9] * 6 + [7, 8, 2, 5])
    assert a["value"] == pytest.approx(10) and b["n"] == 10
    assert (b["value"], b["ci_low"], b["ci_high"]) == pytest.approx((plain_b.value, plain_b.ci_low, plain_b.ci_high))
    lazy = kpi.nps(frame.lazy(), by="segment")
    assert lazy["value"].to_list() == table["value"].to_list()


def test_csat_is_top_two_box_share_not_the_mean():
    result = kpi.csat([5, 4, 3, 2, 1, None])
    assert result.value == pytest.approx(0.4) and result.mean == pytest.approx(3.0) and result.missing == 1
    assert 0 < result.ci_low < 0.4 < result.ci_high < 1
    seven = kpi.csat([7, 6, 5, 4], scale=7)
    assert seven.value == pytest.approx(0.5)
    with pytest.raises(kpi.KPIError):
        kpi.csat([6], scale=5)
    grouped = kpi.csat(pl.DataFrame({"g": ["x", "x", "y"], "score": [5, 1, 4]}), by="g")
    assert grouped["value"].to_list() == [0.5, 1.0] and grouped["mean"].to_list() == [3.0, 4.0]


def test_ces_scale_and_direction():
    modern = kpi.ces([7, 6, 5, 4, 1], scale=7)
    assert modern.value == pytest.approx(4.6) and modern.agree == pytest.approx(0.6)
    assert 1 <= modern.ci_low < 4.6 < modern.ci_high <= 7
    legacy = kpi.ces([1, 2, 5, 4], scale=5)  # older effort scale: lower is better
    assert legacy.higher_is_better is False and legacy.agree == pytest.approx(0.5)
    grouped = kpi.ces(pl.DataFrame({"g": ["a", "a", "b"], "score": [7, 5, 2]}), by="g")
    assert grouped["agree"].to_list() == [1.0, 0.0]


def test_ttr_median_mean_p90_unresolved_and_negative():
    created = datetime(2026, 1, 1, 9)
    tickets = pl.DataFrame({
        "created": [created] * 6,
        "resolved": [created + timedelta(hours=h) for h in (1, 2, 3, 10)] + [None, created - timedelta(hours=1)],
    })
    result = kpi.ttr(tickets)
    assert result.n == 4 and result.median == pytest.approx(2.5) and result.mean == pytest.approx(4.0)
    assert result.p90 == pytest.approx(np.percentile([1, 2, 3, 10], 90))
    assert result.unresolved == 1 and result.negative_rows == [5]
    grouped = kpi.ttr(tickets.with_columns(pl.Series("channel", ["a", "a", "b", "b", "b", "a"])), by="channel")
    assert grouped.filter(pl.col("channel") == "b")["unresolved"].item() == 1


def test_churn_excludes_customers_acquired_in_the_period():
    subscriptions = pl.DataFrame({
        "customer": ["A", "B", "C", "D"],
        "started": [date(2024, 1, 1), date(2024, 1, 15), date(2024, 3, 5), date(2023, 12, 1)],
        "ended": [None, date(2024, 3, 10), date(2024, 3, 20), date(2024, 2, 20)],
    })
    result = kpi.churn_rate(subscriptions, start=date(2024, 3, 1), end=date(2024, 4, 1),
                            started="started", ended="ended")
    # Active on 1 March: A and B (C joined mid-March, D left in February). B was lost.
    assert result.n == 2 and result.lost == 1 and result.value == pytest.approx(0.5)
    assert result.annualised == pytest.approx(1 - 0.5 ** 12)
    retention = kpi.retention_rate(subscriptions, start=date(2024, 3, 1), end=date(2024, 4, 1),
                                   started="started", ended="ended")
    assert retention.value == pytest.approx(0.5)
    assert kpi.annualise(0.05) == pytest.approx(1 - 0.95 ** 12)
    assert kpi.retention_textbook(100, 95, 10) == pytest.approx(0.85)


def test_churn_from_activity_uses_an_inactivity_window():
    day = lambda d: datetime(2024, 3, d) if d > 0 else datetime(2024, 2, 29) + timedelta(days=d)  # noqa: E731
    events = pl.DataFrame({
        "customer": ["A", "A", "B", "C", "C"],
        "at": [day(-10), day(25), day(-5), day(10), day(28)],
    })
    result = kpi.churn_rate(events, start=date(2024, 3, 1), end=date(2024, 4, 1), window=timedelta(days=30))
    # A and B active before 1 March; B did nothing in the last 30 days → lost. C is new.
    assert result.n == 2 and result.lost == 1
    with pytest.raises(kpi.KPIError):
        kpi.churn_rate(events, start=date(2024, 3, 1), end=date(2024, 4, 1))
    empty = kpi.churn_rate(events, start=date(2020, 1, 1), end=date(2020, 2, 1), window=timedelta(days=30))
    assert empty.value is None and empty.n == 0


def test_cohort_retention_leaves_unobserved_cells_null():
    events = pl.DataFrame({
        "customer": ["a", "a", "a", "b", "b", "c"],
        "at": [date(2024, 1, 5), date(2024, 2, 5), date(2024, 3, 5), date(2024, 1, 9), date(2024, 3, 1),
               date(2024, 3, 7)],
    })
    matrix = kpi.cohort_retention(events, every="1mo")
    january, march = matrix.row(0, named=True), matrix.row(1, named=True)
    assert january["size"] == 2 and january["0"] == 1.0 and january["1"] == 0.5 and january["2"] == 1.0
    assert march["size"] == 1 and march["0"] == 1.0 and march["1"] is None and march["2"] is None


def test_health_score_bands_coverage_and_backtest():
    customers = pl.DataFrame({
        "id": [1, 2, 3, 4],
        "usage": [10.0, 5.0, 0.0, None],
        "tickets": [0.0, 2.0, 8.0, 1.0],
        "churned": [False, False, True, None],
    })
    signals = [kpi.Signal("usage", 2), kpi.Signal("tickets", 1, higher_is_better=False)]
    scored = kpi.health_score(customers, signals)
    assert scored["health"].to_list()[:3] == pytest.approx([100.0, 100 * (2 * 0.5 + 0.75) / 3, 0.0])
    assert scored["band"].to_list()[:3] == ["green", "yellow", "red"]
    assert scored["coverage"].to_list() == pytest.approx([1, 1, 1, 1 / 3])
    backtest = kpi.health_backtest(scored).to_dicts()
    assert backtest[0] == {"band": "red", "n": 1, "churn_rate": 1.0}


def test_adoption_sessions_and_bounce():
    t0 = datetime(2026, 5, 1, 10)
    events = pl.DataFrame({
        "user": ["u1", "u1", "u1", "u2", "u2"],
        "at": [t0, t0 + timedelta(minutes=5), t0 + timedelta(hours=2), t0, t0 + timedelta(seconds=5)],
        "page": ["/", "/pause", "/", "/", None],
        "feature": [None, "pause", None, None, None],
        "key": [False, True, False, False, False],
    })
    assert kpi.adoption(events, "pause").value == pytest.approx(0.5)
    table = kpi.sessions(events, key_event="key")
    assert table.height == 3  # u1 splits at the 2-hour gap
    first = table.row(0, named=True)
    assert first["duration"] == 300 and first["page_views"] == 2 and not first["bounce"]
    summary = kpi.session_summary(table)
    assert summary["bounce_rate"].value == pytest.approx(2 / 3)
    assert summary["not_engaged_rate"].value == pytest.approx(2 / 3)


def test_ux_task_metrics_and_repeat_purchases():
    tasks = pl.DataFrame({"success": [True, True, False, True], "errors": [0, 1, 3, 0],
                          "seconds": [30.0, 45.0, 120.0, 25.0], "clicks": [4, 6, 15, 3]})
    ux = kpi.ux_tasks(tasks)
    assert ux["success_rate"].value == 0.75 and ux["error_rate"].value == 0.5
    assert ux["time_on_task"].median == pytest.approx(37.5) and ux["clicks_per_task"].value == 7
    orders = pl.DataFrame({"customer": ["a", "a", "b", "c", "c", "c"]})
    assert kpi.repeat_purchase_rate(orders).value == pytest.approx(2 / 3)
    perception = kpi.perception(pl.DataFrame({"price": [4, 5, None], "reputation": [3, 3, 3]}), ["price", "reputation"])
    assert perception["value"].to_list() == [4.5, 3.0] and perception["n"].to_list() == [2, 3]


def test_describe_and_small_sample():
    assert kpi.describe(kpi.csat([5, 5, 1])).startswith("0.667 [")
    assert kpi.small_sample(12) and not kpi.small_sample(400)
