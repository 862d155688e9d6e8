"""The KPI engine: the metric catalogue of SPEC.md, in polars.

Every survey KPI takes either a plain column (a list, numpy array or polars Series) and
returns a :class:`KPI`, or a polars DataFrame/LazyFrame with ``by=[...]`` and returns a
DataFrame with the ``by`` columns plus ``n``, ``value``, ``ci_low``, ``ci_high``.

Rules shared by all of them:

- nulls are excluded and counted (``missing``); n = 0 gives ``None``, never 0;
- a value outside the scale is an error (:class:`KPIError`) naming the rows (0-based
  positions in the input), never silently dropped;
- proportions and means come with a 95% confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from cxlib.l10n import calendars

Z95 = 1.959963984540054
SMALL_SAMPLE = 30  # below this n, NPS uses the adjusted Wald interval
FORMULAS = {
    "nps": "NPS = 100 × (promoters − detractors) ÷ n; promoters 9–10, detractors 0–6",
    "csat": "CSAT = answers in the top two boxes ÷ n",
    "ces": "CES = mean agreement that it was easy (1–7); agree = share of 5–7",
    "ttr": "TTR = resolved − created, per resolved ticket (median, mean, P90)",
    "churn": "churn = customers lost in the period ÷ customers active at its start",
    "retention": "retention = customers active at the start still active at the end ÷ those active at the start",
}


class KPIError(ValueError):
    """Input a KPI cannot use; ``rows`` are the 0-based positions at fault."""

    def __init__(self, message: str, rows: Sequence[int] = (), column: str | None = None):
        super().__init__(message)
        self.rows = list(rows)
        self.column = column


@dataclass(frozen=True)
class KPI:
    """One KPI value with its sample size, confidence interval and parts."""

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    missing: int = 0
    parts: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:  # promoters, detractors, mean, agree…
        parts = object.__getattribute__(self, "parts")
        if name in parts:
            return parts[name]
        raise AttributeError(name)


# -- helpers -------------------------------------------------------------------------


def _series(values: Any, name: str = "score") -> pl.Series:
    if isinstance(values, pl.Series):
        return values.alias(name)
    return pl.Series(name, list(values) if not isinstance(values, np.ndarray) else values, strict=False)


def _check_scale(series: pl.Series, low: float, high: float, what: str, integer: bool = True) -> None:
    """Raise KPIError naming the rows whose value is off the scale (nulls are fine)."""
    values = series.cast(pl.Float64, strict=False)
    unreadable = series.is_not_null() & values.is_null()
    off = values.is_not_null() & ((values < low) | (values > high))
    if integer:
        off = off | (values.is_not_null() & (values != values.floor()))
    bad = (unreadable | off).arg_true().to_list()
    if bad:
        shown = ", ".join(map(str, bad[:10])) + ("…" if len(bad) > 10 else "")
        raise KPIError(
            f"{what}: {len(bad)} value(s) outside {low:g}–{high:g} at rows {shown}", bad, series.name
        )


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion (good at small n and near 0 or 1)."""
    if n == 0:
        return None, None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_ci(values: np.ndarray) -> tuple[float | None, float | None]:
    """t-interval for a mean (None when n < 2)."""
    n = len(values)
    if n < 2:
        return None, None
    sem = float(np.std(values, ddof=1)) / math.sqrt(n)
    half = float(stats.t.ppf(0.975, n - 1)) * sem
    mean = float(np.mean(values))
    return mean - half, mean + half


def _grouped(frame: pl.DataFrame | pl.LazyFrame, by: Sequence[str] | str) -> tuple[pl.DataFrame, list[str]]:
    by = [by] if isinstance(by, str) else list(by)
    collected = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    return collected, by


# -- answers counted per score ------------------------------------------------------------
#
# Survey answers are whole numbers on short scales, so every survey KPI with its interval is
# a function of how many answers gave each score: NPS and CSAT count hits, means and
# standard deviations come from the integer sums S = Σ score and Q = Σ score² (exact, in
# any order). The row functions below count their rows first; step 10 passes counts kept
# by the database (:mod:`cxlib.analytics.aggregates`). Both give bit-identical results.

COUNT = "answers"  # the column holding how many answers gave each score


def count_scores(frame: pl.DataFrame, score: str, keys: Sequence[str] = ()) -> pl.DataFrame:
    """Rows → one row per group and score (null = unanswered) with its count (``answers``)."""
    return frame.group_by([*keys, score], maintain_order=True).agg(pl.len().cast(pl.Int64).alias(COUNT))


def _score_totals(counted: pl.DataFrame, score: str, keys: Sequence[str],
                  hits: Mapping[str, pl.Expr]) -> pl.DataFrame:
    """Per group: n (answered), missing, S = Σ score, Q = Σ score², and the count of each hit."""
    answered, count = pl.col(score).is_not_null(), pl.col(COUNT)
    whole = pl.col(score).cast(pl.Int64)
    aggregations = [
        count.filter(answered).sum().alias("n"), count.filter(~answered).sum().alias("missing"),
        (whole * count).filter(answered).sum().alias("__s"), (whole * whole * count).filter(answered).sum().alias("__q"),
        *[count.filter(answered & hit).sum().alias(name) for name, hit in hits.items()],
    ]
    if keys:
        return counted.group_by(list(keys), maintain_order=True).agg(aggregations)
    return counted.select(aggregations)


def _mean_and_half_width(totals: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Mean S/n and the t-interval's half width, sd = √((nQ − S²) ÷ (n(n − 1))): integer
    arithmetic up to the last division, so the result does not depend on row order."""
    n, s, q = (totals[c].cast(pl.Int64).to_list() for c in ("n", "__s", "__q"))
    means, halves = [], []
    for count, total, squares in zip(n, s, q):
        means.append(total / count if count else None)
        if count < 2:
            halves.append(None)
            continue
        sd = math.sqrt((count * squares - total * total) / (count * (count - 1)))
        halves.append(float(stats.t.ppf(0.975, count - 1)) * sd / math.sqrt(count))
    return pl.Series("value", means, dtype=pl.Float64), pl.Series("__half", halves, dtype=pl.Float64)


# -- NPS -------------------------------------------------------------------------------


def _nps_from_counts(promoters: int, detractors: int, n: int) -> tuple[float | None, float | None, float | None, str]:
    if n == 0:
        return None, None, None, "none"
    p, d = promoters / n, detractors / n
    value = 100 * (p - d)
    if n < SMALL_SAMPLE:
        method = "adjusted_wald"
        n_adj = n + 3
        p_adj, d_adj = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
        centre = 100 * (p_adj - d_adj)
        variance = p_adj + d_adj - (p_adj - d_adj) ** 2
        se = math.sqrt(variance / n_adj)
    else:
        method = "wald"
        centre = value
        variance = p + d - (p - d) ** 2
        se = math.sqrt(variance / n)
    low, high = centre - Z95 * se * 100, centre + Z95 * se * 100
    return value, max(-100.0, low), min(100.0, high), method


def nps(scores: Any, score: str = "score", by: Sequence[str] | str | None = None) -> KPI | pl.DataFrame:
    """Net Promoter Score in points (−100…100) from 0–10 answers.

    CI: each answer scored +1/0/−1, Var = p + d − (p − d)², SE = √(Var/n),
    NPS ± 1.96·SE·100; below n = 30 the adjusted Wald form (n+3, P+¾, D+¾).
    """
    if by is not None:
        frame, keys = _grouped(scores, by)
        _check_scale(frame[score], 0, 10, "NPS")
        return nps_from_counts(count_scores(frame, score, keys), score, keys)
    series = _series(scores)
    _check_scale(series, 0, 10, "NPS")
    return nps_from_counts(count_scores(series.to_frame(), series.name), series.name)


def nps_from_counts(counted: pl.DataFrame, score: str = "score", keys: Sequence[str] = ()) -> KPI | pl.DataFrame:
    """NPS from answers counted per score (:func:`count_scores`): a KPI, or per group with ``keys``."""
    totals = _score_totals(counted, score, keys, {"promoters": pl.col(score) >= 9, "detractors": pl.col(score) <= 6})
    if not keys:
        row = totals.row(0, named=True) if totals.height else {"n": 0, "missing": 0, "promoters": 0, "detractors": 0}
        n, promoters, detractors = (int(row[c] or 0) for c in ("n", "promoters", "detractors"))
        value, low, high, method = _nps_from_counts(promoters, detractors, n)
        shares = {
            "promoters": promoters / n if n else None,
            "passives": (n - promoters - detractors) / n if n else None,
            "detractors": detractors / n if n else None,
            "method": method,
        }
        return KPI(value, n, low, high, int(row["missing"] or 0), shares)
    rows = []
    for row in totals.iter_rows(named=True):
        value, low, high, _ = _nps_from_counts(row["promoters"], row["detractors"], row["n"])
        rows.append({**{k: row[k] for k in keys}, "n": row["n"], "value": value,
                     "ci_low": low, "ci_high": high, "missing": row["missing"],
                     "promoters": row["promoters"] / row["n"] if row["n"] else None,
                     "detractors": row["detractors"] / row["n"] if row["n"] else None})
    return pl.DataFrame(rows, schema=totals.select(keys).schema | {
        "n": pl.Int64, "value": pl.Float64, "ci_low": pl.Float64, "ci_high": pl.Float64,
        "missing": pl.Int64, "promoters": pl.Float64, "detractors": pl.Float64})


# -- CSAT and CES ------------------------------------------------------------------------


def _top_boxes(scale: int) -> float:
    if scale not in (5, 7, 10):
        raise KPIError(f"scale must be 5, 7 or 10, not {scale}")
    return scale - 1  # answers ≥ this are in the top two boxes


def csat(scores: Any, scale: int = 5, score: str = "score",
         by: Sequence[str] | str | None = None) -> KPI | pl.DataFrame:
    """CSAT: the share of top-2-box answers (4–5 on 1–5, 6–7 on 1–7), Wilson CI.

    The mean score is offered separately (``mean``), it is not the CSAT.
    """
    _top_boxes(scale)
    if by is not None:
        frame, keys = _grouped(scores, by)
        _check_scale(frame[score], 1, scale, "CSAT")
        return csat_from_counts(count_scores(frame, score, keys), scale, score, keys)
    series = _series(scores)
    _check_scale(series, 1, scale, "CSAT")
    return csat_from_counts(count_scores(series.to_frame(), series.name), scale, series.name)


def csat_from_counts(counted: pl.DataFrame, scale: int = 5, score: str = "score",
                     keys: Sequence[str] = ()) -> KPI | pl.DataFrame:
    """CSAT from answers counted per score (:func:`count_scores`): a KPI, or per group."""
    totals = _score_totals(counted, score, keys, {"__hits": pl.col(score) >= _top_boxes(scale)})
    mean = pl.when(pl.col("n") > 0).then(pl.col("__s") / pl.col("n")).otherwise(None).alias("mean")
    table = _wilson_columns(totals.with_columns(mean), keys, extra_mean=True)
    if keys:
        return table
    if table.height == 0 or table["n"][0] == 0:
        return KPI(None, 0, None, None, int(table["missing"][0]) if table.height else 0,
                   {"mean": None, "top_boxes": 0})
    row = table.row(0, named=True)
    return KPI(row["value"], row["n"], row["ci_low"], row["ci_high"], row["missing"],
               {"mean": row["mean"], "top_boxes": int(totals["__hits"][0])})


def ces(scores: Any, scale: int = 7, score: str = "score", higher_is_better: bool | None = None,
        by: Sequence[str] | str | None = None) -> KPI | pl.DataFrame:
    """Customer Effort Score: the mean, with a t-interval, and the share who agree.

    CES 2.0 (1–7, "made it easy"): agree = 5–7, higher is better. The older 1–5 effort
    scale is lower-is-better: there "agree" is the share of low effort (1–2).
    """
    if scale not in (5, 7):
        raise KPIError(f"CES scale must be 5 or 7, not {scale}")
    if by is not None:
        frame, keys = _grouped(scores, by)
        _check_scale(frame[score], 1, scale, "CES")
        return ces_from_counts(count_scores(frame, score, keys), scale, score, higher_is_better, keys)
    series = _series(scores)
    _check_scale(series, 1, scale, "CES")
    return ces_from_counts(count_scores(series.to_frame(), series.name), scale, series.name, higher_is_better)


def ces_from_counts(counted: pl.DataFrame, scale: int = 7, score: str = "score",
                    higher_is_better: bool | None = None, keys: Sequence[str] = ()) -> KPI | pl.DataFrame:
    """CES from answers counted per score (:func:`count_scores`): a KPI, or per group."""
    if scale not in (5, 7):
        raise KPIError(f"CES scale must be 5 or 7, not {scale}")
    higher = (scale == 7) if higher_is_better is None else higher_is_better
    agree = (pl.col(score) >= scale - 2) if higher else (pl.col(score) <= 2)
    totals = _score_totals(counted, score, keys, {"__agree": agree})
    mean, half = _mean_and_half_width(totals)
    table = totals.with_columns(mean, half).with_columns(
        (pl.col("value") - pl.col("__half")).clip(1, scale).alias("ci_low"),
        (pl.col("value") + pl.col("__half")).clip(1, scale).alias("ci_high"),
        pl.when(pl.col("n") > 0).then(pl.col("__agree") / pl.col("n")).otherwise(None).alias("agree"),
    ).select([*keys, "n", "value", "ci_low", "ci_high", "missing", "agree"])
    if keys:
        return table
    row = table.row(0, named=True) if table.height else {"n": 0, "value": None, "ci_low": None, "ci_high": None,
                                                         "missing": 0, "agree": None}
    return KPI(row["value"], int(row["n"] or 0), row["ci_low"], row["ci_high"], int(row["missing"] or 0),
               {"agree": row["agree"], "scale": scale, "higher_is_better": higher})


def _wilson_columns(totals: pl.DataFrame, keys: Sequence[str], extra_mean: bool = False) -> pl.DataFrame:
    """Share of hits (``__hits`` ÷ ``n``) with its Wilson interval, per row of ``totals``."""
    n, p = pl.col("n"), pl.col("__hits") / pl.col("n")
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * ((p * (1 - p) / n + z2 / (4 * n * n)).sqrt()) / (1 + z2 / n)
    out = totals.with_columns(
        pl.when(n > 0).then(p).otherwise(None).alias("value"),
        pl.when(n > 0).then((centre - half).clip(0, 1)).otherwise(None).alias("ci_low"),
        pl.when(n > 0).then((centre + half).clip(0, 1)).otherwise(None).alias("ci_high"),
    )
    columns = list(keys) + ["n", "value", "ci_low", "ci_high", "missing"] + (["mean"] if extra_mean else [])
    return out.select(columns)


# -- time to resolution -------------------------------------------------------------------


def ttr(tickets: pl.DataFrame | pl.LazyFrame, created: str = "created", resolved: str = "resolved",
        by: Sequence[str] | str | None = None, unit: str = "h") -> KPI | pl.DataFrame:
    """Time to resolution per ticket (resolved − created), in hours by default.

    Median, mean and P90 over resolved tickets; unresolved tickets are excluded and counted;
    negative durations (resolved before created) are flagged and left out.
    """
    frame = tickets.collect() if isinstance(tickets, pl.LazyFrame) else tickets
    seconds = {"h": 3600, "d": 86400, "m": 60}[unit]
    durations = frame.with_row_index("__row").with_columns(
        ((pl.col(resolved) - pl.col(created)).dt.total_seconds() / seconds).alias("__duration")
    )
    if by is not None:
        keys = [by] if isinstance(by, str) else list(by)
        valid = pl.col("__duration").filter(pl.col("__duration") >= 0)
        return durations.group_by(keys, maintain_order=True).agg(
            valid.len().alias("n"),
            valid.median().alias("value"),
            valid.mean().alias("mean"),
            valid.quantile(0.9, "linear").alias("p90"),
            pl.col(resolved).is_null().sum().alias("unresolved"),
            (pl.col("__duration") < 0).sum().alias("negative"),
        )
    negative_rows = durations.filter(pl.col("__duration") < 0)["__row"].to_list()
    valid = durations.filter(pl.col("__duration") >= 0)["__duration"]
    n = valid.len()
    return KPI(
        float(valid.median()) if n else None, n, missing=int(frame[resolved].null_count()),
        parts={"median": float(valid.median()) if n else None, "mean": float(valid.mean()) if n else None,
               "p90": float(valid.quantile(0.9, "linear")) if n else None,
               "unresolved": int(frame[resolved].null_count()), "negative_rows": negative_rows,
               "unit": unit},
    )


# -- churn and retention -------------------------------------------------------------------


def _as_date(value: date | datetime | str) -> datetime:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _period_customers(frame: pl.DataFrame, customer: str, at: str | None, started: str | None,
                      ended: str | None, start: datetime, end: datetime, window: timedelta | None
                      ) -> tuple[set, set]:
    """Customers active at the start of the period, and those of them still active at the end."""
    if started is not None:
        ts = pl.col(started).cast(pl.Datetime)
        te = pl.col(ended).cast(pl.Datetime) if ended else pl.lit(None, pl.Datetime)
        at_start = frame.filter((ts < start) & (te.is_null() | (te >= start)))
        kept = at_start.filter(te.is_null() | (te >= end))
        return set(at_start[customer].to_list()), set(kept[customer].to_list())
    if window is None:
        raise KPIError("activity data needs an inactivity window (e.g. window=timedelta(days=30))")
    t = pl.col(at).cast(pl.Datetime)
    first = frame.group_by(customer).agg(t.min().alias("__first"))
    acquired_before = set(first.filter(pl.col("__first") < start)[customer].to_list())
    active_start = set(frame.filter((t < start) & (t >= start - window))[customer].to_list())
    active_end = set(frame.filter((t < end) & (t >= end - window))[customer].to_list())
    at_start = active_start & acquired_before
    return at_start, at_start & active_end


def churn_rate(data: pl.DataFrame | pl.LazyFrame, start: date | datetime | str, end: date | datetime | str,
               customer: str = "customer", at: str | None = "at", started: str | None = None,
               ended: str | None = None, window: timedelta | None = None,
               by: Sequence[str] | str | None = None) -> KPI | pl.DataFrame:
    """Customers lost during [start, end) ÷ customers active at ``start``.

    Subscriptions: pass ``started`` and ``ended`` columns (ended null = still active).
    Activity logs (non-subscription): pass ``at`` and an inactivity ``window``; a customer
    is active at t if they did something in [t − window, t). Customers acquired within
    the period are excluded. Wilson CI; ``annualised`` = 1 − (1 − m)^12 assumes a month.
    """
    frame = data.collect() if isinstance(data, pl.LazyFrame) else data
    start_at, end_at = _as_date(start), _as_date(end)
    if end_at <= start_at:
        raise KPIError("the period must end after it starts")
    column = None if started else at

    def one(part: pl.DataFrame) -> dict[str, Any]:
        active, kept = _period_customers(part, customer, column, started, ended, start_at, end_at, window)
        n, lost = len(active), len(active) - len(kept)
        low, high = wilson(lost, n)
        rate = lost / n if n else None
        return {"n": n, "value": rate, "ci_low": low, "ci_high": high, "lost": lost,
                "retained": len(kept), "annualised": annualise(rate) if rate is not None else None}

    if by is not None:
        keys = [by] if isinstance(by, str) else list(by)
        rows = [{**dict(zip(keys, group if isinstance(group, tuple) else (group,))), **one(part)}
                for group, part in frame.group_by(keys, maintain_order=True)]
        return pl.DataFrame(rows)
    result = one(frame)
    return KPI(result["value"], result["n"], result["ci_low"], result["ci_high"],
               parts={k: result[k] for k in ("lost", "retained", "annualised")})


def annualise(monthly_churn: float) -> float:
    """Annual churn from monthly churn: 1 − (1 − m)^12 (never 12 · m)."""
    return 1 - (1 - monthly_churn) ** 12


def retention_rate(data: pl.DataFrame | pl.LazyFrame, start: date | datetime | str,
                   end: date | datetime | str, **kwargs: Any) -> KPI | pl.DataFrame:
    """Share of customers active at ``start`` still active at ``end`` (= 1 − churn)."""
    churn = churn_rate(data, start, end, **kwargs)
    if isinstance(churn, pl.DataFrame):
        return churn.with_columns(
            (1 - pl.col("value")).alias("value"),
            (1 - pl.col("ci_high")).alias("ci_low"),
            (1 - pl.col("ci_low")).alias("ci_high"),
        ).drop("annualised")
    if churn.value is None:
        return KPI(None, 0)
    return KPI(1 - churn.value, churn.n, 1 - churn.ci_high, 1 - churn.ci_low,
               parts={"retained": churn.retained, "lost": churn.lost})


def retention_textbook(customers_at_start: int, customers_at_end: int, new_customers: int) -> float | None:
    """The textbook form (E − N) ÷ S."""
    if customers_at_start == 0:
        return None
    return (customers_at_end - new_customers) / customers_at_start


def cohort_retention(events: pl.DataFrame | pl.LazyFrame, customer: str = "customer", at: str = "at",
                     every: str = "1mo", observed_until: date | datetime | None = None,
                     calendar: str = calendars.GREGORIAN) -> pl.DataFrame:
    """Cohort × period matrix: cohort = period of first activity; cell (c, k) = share of
    cohort c active in period c + k. Periods not yet observed are null, not 0.

    With ``every="1mo"`` the periods are the months of ``calendar``: Solar Hijri months
    (from 1 Farvardin = 21 March in most years) when ``persian``, not Gregorian ones
    relabelled. Returns columns ``cohort`` (the period's first day), ``size`` and ``0``,
    ``1``, … (periods since first activity).
    """
    frame = events.collect() if isinstance(events, pl.LazyFrame) else events
    if frame.height == 0:
        return pl.DataFrame(schema={"cohort": pl.Datetime, "size": pl.UInt32})
    solar = calendar == calendars.PERSIAN and every == "1mo"
    period = calendars.month_start(at, calendar) if solar else pl.col(at).cast(pl.Datetime).dt.truncate(every)
    periods = frame.select(pl.col(customer), period.alias("period")).unique()
    first = periods.group_by(customer).agg(pl.col("period").min().alias("cohort"))
    ordered = periods.select("period").unique().sort("period")["period"].to_list()
    if solar:
        last = calendars.month_of(observed_until, calendar) if observed_until else ordered[-1]
        all_periods = [ordered[0]]
        while all_periods[-1] < last:
            all_periods.append(calendars.next_month(all_periods[-1], calendar))
    else:
        last = _as_date(observed_until) if observed_until else ordered[-1]
        all_periods = pl.datetime_range(ordered[0], last, every, eager=True).to_list()
    index = {p: i for i, p in enumerate(all_periods)}
    joined = periods.join(first, on=customer)
    counts = joined.group_by("cohort", "period").agg(pl.col(customer).n_unique().alias("active"))
    sizes = first.group_by("cohort").agg(pl.len().alias("size")).sort("cohort")
    cells = {(row["cohort"], row["period"]): row["active"] for row in counts.iter_rows(named=True)}
    rows = []
    horizon = len(all_periods)
    for row in sizes.iter_rows(named=True):
        c = index[row["cohort"]]
        entry = {"cohort": row["cohort"], "size": row["size"]}
        for k in range(horizon):
            observed = c + k < horizon
            entry[str(k)] = (cells.get((row["cohort"], all_periods[c + k]), 0) / row["size"]) if observed else None
        rows.append(entry)
    schema = {"cohort": pl.Datetime, "size": pl.UInt32} | {str(k): pl.Float64 for k in range(horizon)}
    return pl.DataFrame(rows, schema=schema)


# -- health score, adoption, sessions, UX ---------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One input of the health score: a column, its weight, and which way is good.

    ``low``/``high`` fix the normalisation range; by default the observed min and max.
    """

    column: str
    weight: float
    higher_is_better: bool = True
    low: float | None = None
    high: float | None = None


GREEN, YELLOW = 70.0, 40.0


def health_score(customers: pl.DataFrame, signals: Sequence[Signal]) -> pl.DataFrame:
    """A 0–100 weighted composite of normalised signals per customer, banded
    green (≥ 70) / yellow (≥ 40) / red. Missing signals are left out and the remaining
    weights rescaled; ``coverage`` is the share of the total weight that was available."""
    if not signals or sum(s.weight for s in signals) <= 0:
        raise KPIError("the health score needs at least one signal with a positive weight")
    total_weight = sum(s.weight for s in signals)
    parts, weights = [], []
    for signal in signals:
        values = customers[signal.column].cast(pl.Float64)
        low = signal.low if signal.low is not None else values.min()
        high = signal.high if signal.high is not None else values.max()
        span = (high - low) if high is not None and low is not None and high > low else None
        norm = ((values - low) / span).clip(0, 1) if span else values * 0 + 0.5
        if not signal.higher_is_better:
            norm = 1 - norm
        parts.append((norm * signal.weight).fill_null(0).alias(f"__w_{signal.column}"))
        weights.append(pl.when(values.is_not_null()).then(signal.weight).otherwise(0.0)
                       .alias(f"__a_{signal.column}"))
    frame = customers.with_columns(parts + [w for w in weights])
    weighted = pl.sum_horizontal([f"__w_{s.column}" for s in signals])
    available = pl.sum_horizontal([f"__a_{s.column}" for s in signals])
    score = pl.when(available > 0).then(100 * weighted / available).otherwise(None)
    return frame.with_columns(
        score.alias("health"),
        (available / total_weight).alias("coverage"),
    ).with_columns(
        pl.when(pl.col("health") >= GREEN).then(pl.lit("green"))
        .when(pl.col("health") >= YELLOW).then(pl.lit("yellow"))
        .when(pl.col("health").is_not_null()).then(pl.lit("red"))
        .otherwise(None).alias("band")
    ).drop([c for c in frame.columns if c.startswith("__")])


def health_backtest(scored: pl.DataFrame, churned: str = "churned") -> pl.DataFrame:
    """Churn rate per band among customers whose outcome is known: red should churn most."""
    return (
        scored.filter(pl.col(churned).is_not_null() & pl.col("band").is_not_null())
        .group_by("band")
        .agg(pl.len().alias("n"), pl.col(churned).cast(pl.Float64).mean().alias("churn_rate"))
        .sort(pl.col("band").replace_strict({"red": 0, "yellow": 1, "green": 2}))
    )


def adoption(events: pl.DataFrame, feature: str, user: str = "user", at: str = "at",
             feature_column: str = "feature", start: date | datetime | None = None,
             end: date | datetime | None = None, eligible: Sequence[Any] | None = None) -> KPI:
    """Users of ``feature`` in the window ÷ eligible users (default: everyone active in it)."""
    frame = events
    if start is not None:
        frame = frame.filter(pl.col(at).cast(pl.Datetime) >= _as_date(start))
    if end is not None:
        frame = frame.filter(pl.col(at).cast(pl.Datetime) < _as_date(end))
    base = set(eligible) if eligible is not None else set(frame[user].to_list())
    users = set(frame.filter(pl.col(feature_column) == feature)[user].to_list()) & base
    n = len(base)
    low, high = wilson(len(users), n)
    return KPI(len(users) / n if n else None, n, low, high, parts={"adopters": len(users)})


SESSION_GAP = timedelta(minutes=30)


def sessions(events: pl.DataFrame, user: str = "user", at: str = "at", page: str | None = "page",
             key_event: str | None = None, gap: timedelta = SESSION_GAP) -> pl.DataFrame:
    """Split each user's events into sessions at ``gap`` of inactivity (30 minutes).

    Per session: start, duration (last − first event, seconds), page views, and two bounce
    flags: ``bounce`` (a single page view) and ``not_engaged`` (GA4: under 10 s, no key
    event, fewer than 2 page views).
    """
    t = pl.col(at).cast(pl.Datetime)
    ordered = events.sort(user, at).with_columns(t.alias("__t"))
    ordered = ordered.with_columns(
        ((pl.col("__t") - pl.col("__t").shift(1).over(user)) > gap).fill_null(True)
        .cum_sum().over(user).alias("session")
    )
    views = pl.len() if page is None else pl.col(page).is_not_null().sum()
    keyed = pl.col(key_event).cast(pl.Boolean).any() if key_event else pl.lit(False)
    return (
        ordered.group_by(user, "session", maintain_order=True)
        .agg(
            pl.col("__t").min().alias("start"),
            ((pl.col("__t").max() - pl.col("__t").min()).dt.total_seconds()).alias("duration"),
            views.alias("page_views"),
            keyed.alias("key_event"),
        )
        .with_columns(
            (pl.col("page_views") <= 1).alias("bounce"),
            ((pl.col("duration") < 10) & ~pl.col("key_event") & (pl.col("page_views") < 2)).alias("not_engaged"),
        )
    )


def session_summary(session_table: pl.DataFrame) -> dict[str, KPI]:
    """Mean session time (seconds), bounce rate and GA4 not-engaged rate."""
    n = session_table.height
    durations = session_table["duration"].to_numpy().astype(float)
    low, high = mean_ci(durations)
    bounces = int(session_table["bounce"].sum())
    idle = int(session_table["not_engaged"].sum())
    return {
        "session_time": KPI(float(durations.mean()) if n else None, n, low, high,
                            parts={"median": float(np.median(durations)) if n else None}),
        "bounce_rate": KPI(bounces / n if n else None, n, *wilson(bounces, n)),
        "not_engaged_rate": KPI(idle / n if n else None, n, *wilson(idle, n)),
    }


def ux_tasks(tasks: pl.DataFrame, success: str = "success", errors: str | None = "errors",
             seconds: str | None = "seconds", clicks: str | None = "clicks") -> dict[str, KPI]:
    """Task success rate (Wilson CI), error rate (share of tasks with an error), time on
    task (mean with t-interval, and median) and clicks per task."""
    n = tasks.height
    done = int(tasks[success].cast(pl.Boolean).sum())
    result = {"success_rate": KPI(done / n if n else None, n, *wilson(done, n))}
    if errors:
        with_errors = int((tasks[errors] > 0).sum())
        result["error_rate"] = KPI(with_errors / n if n else None, n, *wilson(with_errors, n),
                                   parts={"errors_per_task": float(tasks[errors].mean()) if n else None})
    for name, column in (("time_on_task", seconds), ("clicks_per_task", clicks)):
        if column:
            values = tasks[column].drop_nulls().cast(pl.Float64).to_numpy()
            result[name] = KPI(float(values.mean()) if len(values) else None, len(values), *mean_ci(values),
                               parts={"median": float(np.median(values)) if len(values) else None})
    return result


def repeat_purchase_rate(orders: pl.DataFrame, customer: str = "customer") -> KPI:
    """Share of customers with two or more orders."""
    counts = orders.group_by(customer).agg(pl.len().alias("orders"))
    n = counts.height
    repeat = int((counts["orders"] >= 2).sum())
    return KPI(repeat / n if n else None, n, *wilson(repeat, n))


def perception(scores: pl.DataFrame, factors: Sequence[str], scale: int = 5) -> pl.DataFrame:
    """Mean perception score per factor (product quality, support quality…), with CI and n."""
    rows = []
    for factor in factors:
        series = scores[factor]
        _check_scale(series.alias(factor), 1, scale, f"perception '{factor}'")
        values = series.drop_nulls().cast(pl.Float64).to_numpy()
        low, high = mean_ci(values)
        rows.append({"factor": factor, "n": len(values), "value": float(values.mean()) if len(values) else None,
                     "ci_low": low, "ci_high": high})
    return pl.DataFrame(rows)


def small_sample(n: int, threshold: int = SMALL_SAMPLE) -> bool:
    """True when a KPI rests on too few answers to read much into it."""
    return n < threshold


def describe(result: KPI | Mapping[str, Any]) -> str:
    """'value [low, high], n' for logs and notebooks."""
    get = result.get if isinstance(result, Mapping) else lambda k: getattr(result, k)
    if get("value") is None:
        return f"— (n = {get('n')})"
    if get("ci_low") is None:
        return f"{get('value'):.3g} (n = {get('n')})"
    return f"{get('value'):.3g} [{get('ci_low'):.3g}, {get('ci_high'):.3g}] (n = {get('n')})"
