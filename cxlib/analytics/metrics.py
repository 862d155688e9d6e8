"""Step 10, the metrics dashboard: KPIs from a workbook's data, against the step 2 targets.

Pure functions of polars frames (loaded by :mod:`cxlib.steps.feedback`), so the page can cache
them on the workbook's data version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from cxlib.analytics import kpi

SURVEY_METRICS = ("nps", "csat", "ces")
BREAKDOWNS = ("segment", "persona", "stage", "channel")
CHURN_WINDOW = timedelta(days=30)
# Words in a step 2 KPI name that tie its target to a measured metric.
TARGET_WORDS = {"nps": ("nps", "promoter"), "csat": ("csat", "satisfaction"), "ces": ("ces", "effort"),
                "ttr": ("ttr", "resolution"), "churn": ("churn",)}
LOWER_IS_BETTER = {"ttr", "churn"}


@dataclass(frozen=True)
class Headline:
    """One dashboard number: value, interval, n, its target from step 2 and the gap."""

    metric: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    target: float | None = None
    gap: float | None = None  # positive = better than target
    small_sample: bool = False
    detail: Mapping[str, Any] | None = None


def _scale(responses: pl.DataFrame, metric: str) -> int:
    scales = responses.filter(pl.col("metric") == metric)["scale"]
    return int(scales.max()) if scales.len() else {"nps": 10, "csat": 5, "ces": 7}[metric]


def survey_kpi(responses: pl.DataFrame, metric: str, by: Sequence[str] | None = None) -> Any:
    """NPS / CSAT / CES of the workbook's answers, overall (KPI) or per group (DataFrame).

    CSAT and CES values are shown on their natural scale: CSAT as a percentage.
    """
    rows = responses.filter(pl.col("metric") == metric)
    scale = _scale(responses, metric)
    if metric == "nps":
        return kpi.nps(rows, by=by) if by else kpi.nps(rows["score"])
    if metric == "csat":
        result = kpi.csat(rows, scale=scale, by=by) if by else kpi.csat(rows["score"], scale=scale)
        if by:
            return result.with_columns((pl.col(c) * 100) for c in ("value", "ci_low", "ci_high"))
        return kpi.KPI(_percent(result.value), result.n, _percent(result.ci_low), _percent(result.ci_high),
                       result.missing, result.parts)
    return kpi.ces(rows, scale=scale, by=by) if by else kpi.ces(rows["score"], scale=scale)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def targets(goals: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Step 2 goals whose KPI names a metric we measure (first match wins)."""
    found: dict[str, dict[str, Any]] = {}
    for goal in goals:
        name = (goal.get("kpi") or "").lower()
        for metric, words in TARGET_WORDS.items():
            if metric not in found and goal.get("target") is not None and any(w in name for w in words):
                found[metric] = dict(goal)
    return found


def _gap(metric: str, value: float | None, target: float | None) -> float | None:
    if value is None or target is None:
        return None
    return (target - value) if metric in LOWER_IS_BETTER else (value - target)


def month_start(moment: datetime) -> datetime:
    """Midnight on the first day of ``moment``'s month."""
    return datetime(moment.year, moment.month, 1)


def last_full_month(moment: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the last calendar month that ended before ``moment``."""
    first_of_this = month_start(moment)
    return month_start(first_of_this - timedelta(days=1)), first_of_this


def headlines(responses: pl.DataFrame, tickets: pl.DataFrame, events: pl.DataFrame,
              goals: Sequence[Mapping[str, Any]]) -> list[Headline]:
    """The dashboard's top row: survey KPIs, TTR and monthly churn, each with its target."""
    wanted = targets(goals)
    out = []
    for metric in SURVEY_METRICS:
        if responses.filter(pl.col("metric") == metric).height == 0:
            continue
        result = survey_kpi(responses, metric)
        target = wanted.get(metric, {}).get("target")
        if metric == "csat" and target is not None and target <= 1:
            target *= 100
        out.append(Headline(metric, result.value, result.ci_low, result.ci_high, result.n, target,
                            _gap(metric, result.value, target), kpi.small_sample(result.n), result.parts))
    if tickets.height:
        result = kpi.ttr(tickets)
        target = wanted.get("ttr", {}).get("target")
        out.append(Headline("ttr", result.value, None, None, result.n, target, _gap("ttr", result.value, target),
                            kpi.small_sample(result.n), result.parts))
    if events.height:
        start, end = last_full_month(events["at"].max())
        result = kpi.churn_rate(events, start, end, customer="user", at="at", window=CHURN_WINDOW)
        value = _percent(result.value)
        target = wanted.get("churn", {}).get("target")
        out.append(Headline(
            "churn", value, _percent(result.ci_low), _percent(result.ci_high), result.n, target,
            _gap("churn", value, target), kpi.small_sample(result.n),
            {**result.parts, "start": start, "end": end}))
    return out


def trend(responses: pl.DataFrame, metric: str) -> pl.DataFrame:
    """The metric per month with its interval and n."""
    return survey_kpi(responses, metric, by=["month"]).sort("month")


def breakdown(responses: pl.DataFrame, metric: str, by: str) -> pl.DataFrame:
    """The metric per segment, persona, journey stage or channel (groups without a value
    are left out), largest group first, with a small-sample flag."""
    table = survey_kpi(responses.filter(pl.col(by).is_not_null()), metric, by=[by])
    return table.with_columns((pl.col("n") < kpi.SMALL_SAMPLE).alias("small_sample")).sort("n", descending=True)


def ttr_trend(tickets: pl.DataFrame) -> pl.DataFrame:
    """Median time to resolution per month of ticket creation (with mean, P90 and n)."""
    monthly = tickets.with_columns(pl.col("created").dt.truncate("1mo").alias("month"))
    return kpi.ttr(monthly, by="month").sort("month")


def churn_trend(events: pl.DataFrame, months: int = 6) -> pl.DataFrame:
    """Monthly churn (%, Wilson interval) for each of the last ``months`` full months."""
    end = last_full_month(events["at"].max())[1]
    rows = []
    for _ in range(months):
        start = month_start(end - timedelta(days=1))  # the month that ends at ``end``, not the one before it
        result = kpi.churn_rate(events, start, end, customer="user", at="at", window=CHURN_WINDOW)
        rows.append({"month": start, "n": result.n, "value": _percent(result.value),
                     "ci_low": _percent(result.ci_low), "ci_high": _percent(result.ci_high)})
        end = start
    return pl.DataFrame(rows, schema={"month": pl.Datetime, "n": pl.Int64, "value": pl.Float64,
                                      "ci_low": pl.Float64, "ci_high": pl.Float64}).sort("month")


def ttr_by_channel(tickets: pl.DataFrame) -> pl.DataFrame:
    return kpi.ttr(tickets, by="channel").sort("n", descending=True)


def usage(events: pl.DataFrame) -> dict[str, Any]:
    """Retention cohorts, pause-feature adoption (last 30 days), session time and bounce."""
    if events.height == 0:
        return {}
    end = events["at"].max()
    table = kpi.sessions(events, user="user", at="at", page="page", key_event="key_event")
    return {
        "cohorts": kpi.cohort_retention(events, customer="user", at="at", every="1mo"),
        "adoption": kpi.adoption(events, "pause", user="user", at="at", start=end - timedelta(days=30)),
        **kpi.session_summary(table),
    }
