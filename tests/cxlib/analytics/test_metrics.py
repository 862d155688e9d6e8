"""Step 10: dashboard numbers, targets from step 2 and gaps."""

from datetime import datetime

import polars as pl
import pytest

from cxlib.analytics import kpi, metrics
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


def _events(*visits: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"user": [u for u, _ in visits], "at": [datetime.fromisoformat(d) for _, d in visits],
                         "page": ["home"] * len(visits), "feature": [None] * len(visits),
                         "key_event": [0] * len(visits)})


def test_churn_trend_points_are_one_calendar_month_each():
    """Worked by hand (active at t = a visit in [t − 30 days, t); new users excluded):

    - January: active on 1 Jan = a, b, c, d (visits 20 Dec); active on 1 Feb (visits 2 Jan–31 Jan)
      = a, b, c, so d is lost: 1 of 4 = 25 %.
    - February: active on 1 Feb = a, b, c; active on 1 Mar (30 Jan–28 Feb) = a, b: 1 of 3 = 33.3 %.
    - March: active on 1 Mar = a, b; active on 1 Apr (2 Mar–31 Mar) = a: 1 of 2 = 50 %.
    The old code measured [1 Feb, 1 Apr) for "March": 2 of 3 lost, 66.7 %.
    """
    events = _events(*[(u, "2025-12-20T10:00:00") for u in "abcd"],
                     *[(u, "2026-01-20T10:00:00") for u in "abc"],
                     ("a", "2026-02-20T10:00:00"), ("b", "2026-02-15T10:00:00"),
                     ("a", "2026-03-20T10:00:00"), ("a", "2026-04-10T10:00:00"))
    trend = metrics.churn_trend(events, months=3)
    assert trend["month"].to_list() == [datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)]
    assert trend["n"].to_list() == [4, 3, 2]
    assert trend["value"].to_list() == pytest.approx([25.0, 100 / 3, 50.0])
    churn = next(h for h in metrics.headlines(pl.DataFrame(schema=feedback.RESPONSE_SCHEMA | {"month": pl.Datetime}),
                                              pl.DataFrame(), events, []) if h.metric == "churn")
    assert churn.value == pytest.approx(50.0) and churn.detail["start"] == datetime(2026, 3, 1)
