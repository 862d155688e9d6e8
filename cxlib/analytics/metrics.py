"""Step 10, the metrics dashboard: KPIs from a workbook's data, against the step 2 targets.

Survey KPIs come from the answer counts the store keeps (:mod:`cxlib.analytics.aggregates`),
never from millions of loaded answers; tickets and usage events are polars frames loaded by
:mod:`cxlib.steps.feedback`. Pure functions, so the page can cache them on the workbook's
data version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from cxlib.analytics import aggregates, kpi
from cxlib.l10n import calendars

SURVEY_METRICS = ("nps", "csat", "ces")
BREAKDOWNS = ("segment", "persona", "stage", "channel")
CHURN_WINDOW = timedelta(days=30)
# The KPIs a step 2 goal can be held to, each with the range of a target in its own unit:
# NPS in points, CSAT and monthly churn in percent, CES on its 1–7 scale, TTR in hours.
GOAL_KPIS: dict[str, tuple[float, float | None]] = {
    "nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "ttr": (0, None), "churn": (0, 100)}


@dataclass(frozen=True)
class Headline:
    """One dashboard number: value, interval, n, its target from step 2 and the gap."""

    metric: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    target: float | None = None
    gap: float | None = None  # value − target, in the KPI's unit (positive = above the target)
    small_sample: bool = False
    detail: Mapping[str, Any] | None = None
    higher_is_better: bool = True  # churn, TTR and the old 1–5 effort scale: lower is better

    @property
    def on_track(self) -> bool | None:
        """Whether the value is on the good side of its target (None without one)."""
        if self.gap is None:
            return None
        return self.gap >= 0 if self.higher_is_better else self.gap <= 0


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def targets(goals: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Step 2 goals with a target, by the KPI they name explicitly (``metric``; the first
    goal of each KPI wins). The free-text KPI name is never matched: "ces" is inside
    "success"."""
    found: dict[str, dict[str, Any]] = {}
    for goal in goals:
        metric = goal.get("metric")
        if metric in GOAL_KPIS and metric not in found and goal.get("target") is not None:
            found[metric] = dict(goal)
    return found


def unlinked_goals(goals: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Goals that name no measured KPI: step 10 cannot hold them to their target."""
    return [dict(goal) for goal in goals if goal.get("metric") not in GOAL_KPIS]


def _gap(value: float | None, target: float | None) -> float | None:
    return None if value is None or target is None else value - target


GAP_DECIMALS = 1
HOURS = ("ttr", "frt")  # KPIs counted in hours


def gap_words(headline: Headline, t: Any, fmt: Any) -> tuple[str, str] | None:
    """The gap to target as words and its direction: ("7.5 points above target 3%", "up").

    The words say above or below; whether that is good is :attr:`Headline.on_track`
    (for churn, above is bad). ``t`` is a :class:`cxlib.l10n.i18n.Translator`, ``fmt``
    a :class:`cxlib.l10n.formats.Formatter`. Direction: "up", "down" or "off" (on target
    at the precision shown).
    """
    if headline.gap is None:
        return None
    target = value_words(headline.metric, headline.target, t, fmt)
    size = round(abs(headline.gap), GAP_DECIMALS)
    if size == 0:
        return t("metrics.gap.on", target=target), "off"
    shown = fmt.number(size, GAP_DECIMALS)
    if headline.metric in HOURS:
        amount = t("metrics.unit.hours", value=shown)
    else:
        # The plural form follows the number as written ("1.0 points", "2,5 punktu").
        amount = t("metrics.gap_points", value=Decimal(f"{size:.{GAP_DECIMALS}f}"))
    if headline.gap > 0:
        return t("metrics.gap.above", gap=amount, target=target), "up"
    return t("metrics.gap.below", gap=amount, target=target), "down"


def value_words(metric: str, value: float | None, t: Any, fmt: Any) -> str:
    """A KPI value written in its own unit the language's way (NPS +12, CSAT 84%, TTR 5.5 h)."""
    if value is None:
        return fmt.number(None)
    if metric == "nps":
        return fmt.signed(value)
    if metric == "csat":
        return fmt.points(value)
    if metric == "ces":
        return fmt.number(value, 2)
    if metric in HOURS:
        return t("metrics.unit.hours", value=fmt.number(value, 1))
    return fmt.points(value, 1)


def data_notes(headline: Headline, left_out: Mapping[str, Mapping[str, int]], t: Any) -> list[str]:
    """What a KPI's number leaves out, as sentences to show beside it: answers the imports
    left out for being off the scale or blank (``left_out``, from
    :func:`cxlib.steps.feedback.left_out`), tickets whose first response is dated before
    their creation (left out) or after their resolution (kept, but said). Empty when there
    is nothing to say. (TTR's resolved-before-created note
    has its own place on the dashboard.)"""
    notes = []
    counted = left_out.get(headline.metric) or {}
    if counted.get("left_out"):
        notes.append(t("metrics.note.off_scale", n=int(counted["left_out"])))
    if counted.get("blank"):
        notes.append(t("metrics.note.blank", n=int(counted["blank"])))
    if headline.metric == "frt":
        detail = headline.detail or {}
        if detail.get("negative_rows"):
            notes.append(t("metrics.note.frt_before_created", n=len(detail["negative_rows"])))
        if detail.get("after_resolution"):
            notes.append(t("metrics.note.frt_after_resolution", n=int(detail["after_resolution"])))
    return notes


def month_start(moment: datetime, calendar: str = calendars.GREGORIAN) -> datetime:
    """Midnight on the first day of ``moment``'s month in ``calendar`` (1 Farvardin is
    21 March in most years: a Solar Hijri month does not start on the 1st)."""
    return calendars.month_of(moment, calendar)


def last_full_month(moment: datetime, calendar: str = calendars.GREGORIAN) -> tuple[datetime, datetime]:
    """[start, end) of the last month of ``calendar`` that ended before ``moment``."""
    first_of_this = month_start(moment, calendar)
    return month_start(first_of_this - timedelta(days=1), calendar), first_of_this


def measured(answers: Mapping[str, int], tickets: int, events: int) -> list[str]:
    """The one rule for "measured", used by Home and step 10 alike: a KPI is measured
    when its data has at least one row (answers to its survey question, tickets for TTR,
    usage events for churn), in catalogue order."""
    return ([m for m in SURVEY_METRICS if answers.get(m, 0) > 0] + (["ttr"] if tickets > 0 else [])
            + (["churn"] if events > 0 else []))


def is_complete(measured_kpis: Sequence[str], goals: Sequence[Mapping[str, Any]]) -> bool:
    """Step 10 is done when a measured KPI is held to a step 2 target."""
    wanted = targets(goals)
    return any(metric in wanted for metric in measured_kpis)


def headlines(counted: pl.DataFrame, tickets: pl.DataFrame, events: pl.DataFrame,
              goals: Sequence[Mapping[str, Any]], calendar: str = calendars.GREGORIAN) -> list[Headline]:
    """The dashboard's top row: survey KPIs (from the answer counts), TTR and monthly
    churn (the last full month of ``calendar``), each with its target."""
    wanted = targets(goals)
    shown = measured(aggregates.answers(counted), tickets.height, events.height)
    out = []
    for metric in SURVEY_METRICS:
        if metric not in shown:
            continue
        result = aggregates.survey_kpi(counted, metric)
        target = wanted.get(metric, {}).get("target")
        higher = bool(result.parts.get("higher_is_better", True))
        out.append(Headline(metric, result.value, result.ci_low, result.ci_high, result.n, target,
                            _gap(result.value, target), kpi.small_sample(result.n), result.parts, higher))
    if tickets.height:
        result = kpi.ttr(tickets)
        target = wanted.get("ttr", {}).get("target")
        out.append(Headline("ttr", result.value, None, None, result.n, target, _gap(result.value, target),
                            kpi.small_sample(result.n), result.parts, higher_is_better=False))
    if "first_response" in tickets.columns and tickets["first_response"].is_not_null().any():
        # Time to first response: the same reading as TTR (median of answered tickets; a
        # response before the ticket was created is left out and counted, for the note).
        result = kpi.ttr(tickets, resolved="first_response")
        # Kept in both figures but said: a first response after the resolution (in one
        # real export, half the tickets) usually means the export's columns are mixed up.
        after = int((tickets["first_response"] > tickets["resolved"]).fill_null(False).sum())
        out.append(Headline("frt", result.value, None, None, result.n, None, None,
                            kpi.small_sample(result.n), {**result.parts, "after_resolution": after},
                            higher_is_better=False))
    if events.height:
        start, end = last_full_month(events["at"].max(), calendar)
        result = kpi.churn_rate(events, start, end, customer="user", at="at", window=CHURN_WINDOW)
        value = _percent(result.value)
        target = wanted.get("churn", {}).get("target")
        out.append(Headline(
            "churn", value, _percent(result.ci_low), _percent(result.ci_high), result.n, target,
            _gap(value, target), kpi.small_sample(result.n),
            {**result.parts, "start": start, "end": end}, higher_is_better=False))
    return out


def trend(daily: pl.DataFrame, metric: str, calendar: str = calendars.GREGORIAN) -> pl.DataFrame:
    """The metric per month of ``calendar`` (Solar Hijri months when ``persian``) with its
    interval and n, from the answer counts per day (:func:`aggregates.load_days`): the days
    are grouped by their month in the calendar, then the KPI per month follows from the
    counts as from the rows."""
    monthly = daily.filter(pl.col("metric") == metric).with_columns(
        calendars.month_start("day", calendar).alias("month"))
    return aggregates.survey_kpi(monthly, metric, by=["month"]).sort("month")


def breakdown(counted: pl.DataFrame, metric: str, by: str) -> pl.DataFrame:
    """The metric per segment, persona, journey stage or channel (answers without one are
    left out), largest group first (then by name), with a small-sample flag."""
    table = aggregates.survey_kpi(counted.filter(pl.col(by).is_not_null()), metric, by=[by])
    return table.with_columns((pl.col("n") < kpi.SMALL_SAMPLE).alias("small_sample")).sort(
        ["n", by], descending=[True, False])


def ttr_trend(tickets: pl.DataFrame, calendar: str = calendars.GREGORIAN) -> pl.DataFrame:
    """Median time to resolution per month of ticket creation in ``calendar`` (with mean,
    P90 and n)."""
    monthly = tickets.with_columns(calendars.month_start("created", calendar).alias("month"))
    return kpi.ttr(monthly, by="month").sort("month")


def churn_trend(events: pl.DataFrame, months: int = 6, calendar: str = calendars.GREGORIAN) -> pl.DataFrame:
    """Monthly churn (%, Wilson interval) for each of the last ``months`` full months of
    ``calendar`` (Solar Hijri months when ``persian``, not Gregorian ones relabelled)."""
    end = last_full_month(events["at"].max(), calendar)[1]
    rows = []
    for _ in range(months):
        start = month_start(end - timedelta(days=1), calendar)  # the month that ends at ``end``, not the one before it
        result = kpi.churn_rate(events, start, end, customer="user", at="at", window=CHURN_WINDOW)
        rows.append({"month": start, "n": result.n, "value": _percent(result.value),
                     "ci_low": _percent(result.ci_low), "ci_high": _percent(result.ci_high)})
        end = start
    return pl.DataFrame(rows, schema={"month": pl.Datetime, "n": pl.Int64, "value": pl.Float64,
                                      "ci_low": pl.Float64, "ci_high": pl.Float64}).sort("month")


def ttr_by_channel(tickets: pl.DataFrame) -> pl.DataFrame:
    return kpi.ttr(tickets, by="channel").sort("n", descending=True)


def usage(events: pl.DataFrame, calendar: str = calendars.GREGORIAN) -> dict[str, Any]:
    """Retention cohorts (by the months of ``calendar``), pause-feature adoption (last 30
    days), session time and bounce."""
    if events.height == 0:
        return {}
    end = events["at"].max()
    table = kpi.sessions(events, user="user", at="at", page="page", key_event="key_event")
    return {
        "cohorts": kpi.cohort_retention(events, customer="user", at="at", every="1mo", calendar=calendar),
        "adoption": kpi.adoption(events, "pause", user="user", at="at", start=end - timedelta(days=30)),
        **kpi.session_summary(table),
    }
