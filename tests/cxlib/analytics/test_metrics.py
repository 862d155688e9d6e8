"""Step 10: dashboard numbers, targets from step 2 and gaps."""

from datetime import date, datetime

import polars as pl
import pytest

from cxlib.analytics import aggregates, kpi, metrics
from cxlib.l10n import calendars
from cxlib.steps import feedback, vision


def test_targets_come_from_the_kpi_a_goal_names_never_from_its_text():
    goals = [{"kpi": "Verification success rate", "target": 90, "metric": None},  # "ces" in "success"
             {"kpi": "NPS", "target": 45, "metric": "nps"}, {"kpi": "Churn", "target": 3, "metric": "churn"},
             {"kpi": "NPS, second goal", "target": 60, "metric": "nps"},
             {"kpi": "CES", "target": None, "metric": "ces"}]
    found = metrics.targets(goals)
    assert set(found) == {"nps", "churn"} and found["nps"]["target"] == 45
    assert [g["kpi"] for g in metrics.unlinked_goals(goals)] == ["Verification success rate"]


def test_headlines_on_the_demo(store, demo_workbook):
    wb = demo_workbook["id"]
    responses = feedback.load_responses(store, wb)
    lines = {h.metric: h for h in metrics.headlines(aggregates.load(store, wb), feedback.load_tickets(store, wb),
                                                    feedback.load_events(store, wb), vision.list_goals(store, wb))}
    assert set(lines) == {"nps", "csat", "ces", "ttr", "churn"}
    nps = kpi.nps(responses.filter(pl.col("metric") == "nps")["score"])
    assert lines["nps"].value == pytest.approx(nps.value) and lines["nps"].n == nps.n
    assert lines["nps"].target == 45 and lines["nps"].gap == pytest.approx(nps.value - 45)
    assert lines["churn"].target == 3 and lines["churn"].gap == pytest.approx(lines["churn"].value - 3)
    assert lines["ces"].target == 6 and lines["csat"].target is None and lines["ttr"].target is None
    assert 0 <= lines["csat"].value <= 100


def test_trend_breakdown_and_usage(store, demo_workbook):
    wb = demo_workbook["id"]
    responses = feedback.load_responses(store, wb)
    trend = metrics.trend(aggregates.load_days(store, wb), "nps")
    assert trend["month"].is_sorted() and trend["n"].sum() == responses.filter(pl.col("metric") == "nps").height
    table = metrics.breakdown(aggregates.from_rows(responses), "csat", "stage")
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
    persian = metrics.trend(aggregates.load_days(store, demo_workbook["id"]), "nps", "persian")
    starts = persian["month"].dt.date().to_list()
    assert all(calendars.persian_month_start(day) == day for day in starts)
    assert persian["n"].sum() == nps["score"].drop_nulls().len()  # every answer counted once, in its Persian month
    # 25 March belongs to Farvardin, not to March relabelled.
    per_month = dict(zip(starts, persian["n"].to_list()))
    in_farvardin_1405 = nps.filter(pl.col("at").is_between(pl.datetime(2026, 3, 21), pl.datetime(2026, 4, 21),
                                                           closed="left") & pl.col("score").is_not_null()).height
    assert per_month.get(date(2026, 3, 21), 0) == in_farvardin_1405


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
    churn = next(h for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), pl.DataFrame(), events, [])
                 if h.metric == "churn")
    assert churn.value == pytest.approx(50.0) and churn.detail["start"] == datetime(2026, 3, 1)


def test_churn_trend_follows_solar_hijri_months_when_that_calendar_is_chosen():
    """Worked by hand (active at t = a visit in [t − 30 days, t)). Esfand 1404 is
    [20 Feb, 21 Mar 2026), Farvardin 1405 [21 Mar, 21 Apr), Ordibehesht [21 Apr, 22 May).

    - Esfand: active on 20 Feb (visits 21 Jan–19 Feb) = a, b, c, d (10 Feb); active on
      21 Mar (19 Feb–20 Mar) = a, b, c (10 Mar): d lost, 1 of 4 = 25 %.
    - Farvardin: active on 21 Mar = a, b, c; active on 21 Apr (22 Mar–20 Apr) = a (10 Apr),
      b (25 Mar): c lost, 1 of 3 = 33.3 %. The last visit (1 May) is in Ordibehesht, which
      has not ended: Farvardin is the last full month.
    The Gregorian months give other points: March 1 of 4 (25 %), April 2 of 3 (b and c).
    """
    events = _events(*[(u, "2026-02-10T10:00:00") for u in "abcd"], *[(u, "2026-03-10T10:00:00") for u in "abc"],
                     ("b", "2026-03-25T10:00:00"), ("a", "2026-04-10T10:00:00"), ("a", "2026-05-01T10:00:00"))
    persian = metrics.churn_trend(events, months=2, calendar="persian")
    assert persian["month"].to_list() == [datetime(2026, 2, 20), datetime(2026, 3, 21)]
    assert persian["n"].to_list() == [4, 3]
    assert persian["value"].to_list() == pytest.approx([25.0, 100 / 3])
    gregorian = metrics.churn_trend(events, months=2)
    assert gregorian["month"].to_list() == [datetime(2026, 3, 1), datetime(2026, 4, 1)]
    assert gregorian["value"].to_list() == pytest.approx([25.0, 200 / 3])
    churn = next(h for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), pl.DataFrame(), events, [],
                                              "persian") if h.metric == "churn")
    assert churn.value == pytest.approx(100 / 3) and churn.detail["start"] == datetime(2026, 3, 21)


def test_cohorts_follow_solar_hijri_months_when_that_calendar_is_chosen():
    """Worked by hand: u1 first visits on 15 March 2026 (24 Esfand 1404) and again on
    25 March (5 Farvardin 1405); u2 on 22 March and 25 April (Ordibehesht); u3 on 25 March only.

    - Solar Hijri: Esfand's cohort is u1 (active in Esfand, Farvardin, not Ordibehesht:
      100 %, 100 %, 0 %); Farvardin's is u2 and u3 (100 %, then u2: 50 %, then not yet seen).
    - Gregorian: one March cohort of three (100 %, then u2 in April: 1 of 3).
    """
    events = _events(("u1", "2026-03-15T09:00:00"), ("u1", "2026-03-25T09:00:00"), ("u2", "2026-03-22T09:00:00"),
                     ("u2", "2026-04-25T09:00:00"), ("u3", "2026-03-25T09:00:00"))
    persian = metrics.usage(events, "persian")["cohorts"]
    assert persian["cohort"].to_list() == [datetime(2026, 2, 20), datetime(2026, 3, 21)]
    assert persian["size"].to_list() == [1, 2]
    assert persian.select("0", "1", "2").rows() == [(1.0, 1.0, 0.0), (1.0, 0.5, None)]
    gregorian = metrics.usage(events)["cohorts"]
    assert gregorian["cohort"].to_list() == [datetime(2026, 3, 1)] and gregorian["size"].to_list() == [3]
    assert gregorian.select("0", "1").rows() == [(1.0, pytest.approx(1 / 3))]


def _line(metric: str, value: float, target: float, higher: bool) -> metrics.Headline:
    return metrics.Headline(metric, value, None, None, 500, target, value - target, higher_is_better=higher)


@pytest.mark.parametrize("language, words", [
    ("en", "7.5 points above target 3.0%"), ("pl", "7,5 punktu powyżej celu 3,0%"),
    ("fa", "۷٫۵ واحد بالاتر از هدف ۳٫۰٪"), ("hy", "7,5 միավոր՝ 3,0% թիրախից բարձր")])
def test_churn_above_its_target_is_said_to_be_above_and_off_track(language, words):
    """10.5 % monthly churn against a 3 % target: 7.5 points above it, which is bad (it
    used to read "↓ −7.5", as if below target)."""
    from cxlib.l10n.formats import Formatter
    from cxlib.l10n.i18n import Translator

    line = _line("churn", 10.5, 3, higher=False)
    assert line.gap == pytest.approx(7.5) and line.on_track is False
    text, arrow = metrics.gap_words(line, Translator(language), Formatter(language))
    assert (text.replace("\u00a0", " ").replace("\u200e", ""), arrow) == (words, "up")


def test_gap_words_for_each_direction():
    from cxlib.l10n.formats import Formatter
    from cxlib.l10n.i18n import Translator

    t, fmt = Translator("en"), Formatter("en")
    ttr = _line("ttr", 20.0, 24, higher=False)  # 4 h faster than the target: below it, good
    assert metrics.gap_words(ttr, t, fmt) == ("4.0 h below target 24.0 h", "down") and ttr.on_track is True
    nps = _line("nps", 44.0, 45, higher=True)
    assert metrics.gap_words(nps, t, fmt) == ("1.0 points below target +45", "down") and nps.on_track is False
    assert metrics.gap_words(_line("nps", 46.0, 45, True), t, fmt) == ("1.0 points above target +45", "up")
    assert metrics.gap_words(_line("ces", 6.02, 6, True), t, fmt) == ("on target 6.00", "off")
    assert metrics.gap_words(metrics.Headline("csat", 80, None, None, 9), t, fmt) is None
    assert metrics.gap_words(_line("nps", 46.5, 45, True), Translator("pl"), Formatter("pl"))[0].startswith("1,5 punktu ")


def test_home_and_step_10_count_measured_kpis_by_one_rule(store, workbook):
    """3 NPS answers and 2 tickets, no usage events: NPS and TTR are measured (2), not
    "1 kind of data" (Home's old count) nor "every headline" (step 10's)."""
    from datetime import datetime as at

    from cxlib.steps import progress

    wb = workbook["id"]
    feedback.import_rows(store, wb, "responses", pl.DataFrame({
        "at": ["2026-01-05T10:00:00"] * 3, "metric": ["nps"] * 3, "scale": [10] * 3, "score": [10.0, 9.0, 3.0],
        "customer": ["a", "b", "c"], "segment": [None] * 3, "persona": [None] * 3, "stage": [None] * 3,
        "channel": [None] * 3, "comment": [None] * 3}), "answers.csv", "t", metric="nps")
    feedback.import_rows(store, wb, "tickets", pl.DataFrame({
        "created": ["2026-01-05T10:00:00"] * 2, "resolved": ["2026-01-05T12:00:00", None], "customer": ["a", "b"],
        "channel": ["email"] * 2, "stage": [None] * 2, "segment": [None] * 2}), "tickets.csv", "t")
    home = next(s for s in progress.step_statuses(store, wb) if s.key == "metrics")
    lines = metrics.headlines(aggregates.load(store, wb), feedback.load_tickets(store, wb),
                              feedback.load_events(store, wb), vision.list_goals(store, wb))
    assert home.detail == {"measured": 2} and [h.metric for h in lines] == ["nps", "ttr"]
    assert home.done is False  # no goal is held to NPS or TTR yet
    vision.save_goal_edits(store, wb, [], {"added_rows": [
        {"team": "support", "goal": "Answer fast", "kpi": "TTR", "metric": "ttr", "target": 24}]}, "t")
    assert next(s for s in progress.step_statuses(store, wb) if s.key == "metrics").done is True
