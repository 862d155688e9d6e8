"""Step 10: dashboard numbers, targets from step 2 and gaps."""

from datetime import date

import polars as pl
import pytest

from cxlib.analytics import kpi, metrics
from cxlib.l10n import calendars
from cxlib.steps import feedback, vision


def test_targets_are_matched_by_kpi_name():
    goals = [{"kpi": "NPS", "target": 45}, {"kpi": "Churn rate (monthly)", "target": 3},
             {"kpi": "First response time (h)", "target": 1}, {"kpi": "CES", "target": None}]
    found = metrics.targets(goals)
    assert set(found) == {"nps", "churn"}


def test_headlines_on_the_demo(store, demo_workbook):
    wb = demo_workbook["id"]
    responses = feedback.load_responses(store, wb)
    lines = {h.metric: h for h in metrics.headlines(responses, feedback.load_tickets(store, wb),
                                                    feedback.load_events(store, wb), vision.list_goals(store, wb))}
    assert set(lines) == {"nps", "csat", "ces", "ttr", "churn"}
    nps = kpi.nps(responses.filter(pl.col("metric") == "nps")["score"])
    assert lines["nps"].value == pytest.approx(nps.value) and lines["nps"].n == nps.n
    assert lines["nps"].target == 45 and lines["nps"].gap == pytest.approx(nps.value - 45)
    assert lines["churn"].target == 3 and lines["churn"].gap == pytest.approx(3 - lines["churn"].value)
    assert 0 <= lines["csat"].value <= 100


def test_trend_breakdown_and_usage(store, demo_workbook):
    wb = demo_workbook["id"]
    responses = feedback.load_responses(store, wb)
    trend = metrics.trend(responses, "nps")
    assert trend["month"].is_sorted() and trend["n"].sum() == responses.filter(pl.col("metric") == "nps").height
    table = metrics.breakdown(responses, "csat", "stage")
    assert set(table["stage"]) <= set(responses["stage"]) and "small_sample" in table.columns
    usage = metrics.usage(feedback.load_events(store, wb))
    assert usage["cohorts"].height > 0 and 0 <= usage["bounce_rate"].value <= 1
    assert metrics.usage(pl.DataFrame()) == {}


def test_ttr_and_churn_trends(store, demo_workbook):
    wb = demo_workbook["id"]
    ttr = metrics.ttr_trend(feedback.load_tickets(store, wb))
    assert ttr["month"].is_sorted() and (ttr["p90"] >= ttr["value"]).all()
    churn = metrics.churn_trend(feedback.load_events(store, wb))
    assert churn.height == 6 and churn["month"].is_sorted()
    assert ((churn["value"] >= 0) & (churn["value"] <= 100)).all()


def test_trend_groups_by_persian_month_when_that_calendar_is_chosen(store, demo_workbook):
    responses = feedback.load_responses(store, demo_workbook["id"])
    nps = responses.filter(pl.col("metric") == "nps")
    persian = metrics.trend(nps, "nps", "persian")
    starts = persian["month"].dt.date().to_list()
    assert all(calendars.persian_month_start(day) == day for day in starts)
    assert persian["n"].sum() == nps.height  # every answer counted once, in its Persian month
    # 25 March belongs to Farvardin, not to March relabelled.
    per_month = dict(zip(starts, persian["n"].to_list()))
    in_farvardin_1405 = nps.filter(pl.col("at").is_between(pl.datetime(2026, 3, 21), pl.datetime(2026, 4, 21),
                                                           closed="left")).height
    assert per_month.get(date(2026, 3, 21), 0) == in_farvardin_1405
