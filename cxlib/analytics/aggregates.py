"""Survey KPIs from the answer counts the database keeps, exactly as from the answers.

The store keeps, in the transaction of every write, how many answers share each metric ×
scale × segment × persona × stage × channel × score (``response_counts``) and each metric ×
scale × day × score (``response_day_counts``, for trends by the month of any calendar; see
:mod:`cxlib.storage.schema`). A workbook with ten million answers has a few thousand such
rows, and every survey KPI of step 10 (NPS, CSAT, CES with their intervals, per month or
per group) follows from them through the same functions :mod:`cxlib.analytics.kpi` uses on
rows (``kpi.nps_from_counts`` …), so the numbers are bit-identical to the row-level ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from cxlib.analytics import kpi
from cxlib.storage import counts as stored_counts
from cxlib.storage.schema import COUNT_TABLES
from cxlib.storage.store import Store

DEFAULT_SCALES = {"nps": 10, "csat": 5, "ces": 7}
SCORE_RANGE = {"nps": 0, "csat": 1, "ces": 1}  # lowest score of each scale
_TYPES = {"metric": pl.String, "scale": pl.Int64, "day": pl.String, "segment": pl.String, "persona": pl.String,
          "stage": pl.String, "channel": pl.String, "score": pl.Float64}
SCHEMA = {**{key: _TYPES[key] for key in COUNT_TABLES["response_counts"]}, kpi.COUNT: pl.Int64}
DAY_SCHEMA = {**{key: _TYPES[key] for key in COUNT_TABLES["response_day_counts"]}, kpi.COUNT: pl.Int64}


def load(store: Store, workbook_id: int) -> pl.DataFrame:
    """The workbook's answer counts per metric, scale, segment, persona, stage, channel and
    score (``answers``): the headlines and every breakdown."""
    return pl.DataFrame(stored_counts.read(store, workbook_id), schema=list(SCHEMA.items()), orient="row")


def load_days(store: Store, workbook_id: int) -> pl.DataFrame:
    """The workbook's answer counts per metric, scale, day (a date) and score: the trends,
    grouped by the month of any calendar (:func:`cxlib.analytics.metrics.trend`)."""
    frame = pl.DataFrame(stored_counts.read(store, workbook_id, "response_day_counts"),
                         schema=list(DAY_SCHEMA.items()), orient="row")
    return frame.with_columns(pl.col("day").str.to_date("%Y-%m-%d"))


def from_rows(responses: pl.DataFrame) -> pl.DataFrame:
    """The counts of :func:`load` from loaded answers, for callers holding rows."""
    return responses.group_by(list(COUNT_TABLES["response_counts"])).agg(pl.len().cast(pl.Int64).alias(kpi.COUNT))


def days_from_rows(responses: pl.DataFrame) -> pl.DataFrame:
    """The counts of :func:`load_days` from loaded answers (``at`` a datetime)."""
    return responses.with_columns(pl.col("at").dt.date().alias("day")).group_by(
        list(COUNT_TABLES["response_day_counts"])).agg(pl.len().cast(pl.Int64).alias(kpi.COUNT))


def count_answers(answers: pl.DataFrame | pl.LazyFrame, keys: Sequence[str], score: str = "score",
                  at: str = "at") -> pl.DataFrame:
    """Answers as a file gives them (``at`` as ISO text) counted per ``keys`` and score, for
    ``kpi.*_from_counts``. A ``month`` key is taken from the text ('2026-03') and made a date
    after grouping, on the groups rather than on every answer; pass a LazyFrame so a filter
    before it runs in the same pass. Scores off their scale are the caller's to check (the
    importers and ``kpi._check_scale`` do)."""
    text_keys = [pl.col(at).str.slice(0, 7).alias("month") if key == "month" else pl.col(key) for key in keys]
    counted = answers.lazy().group_by([*text_keys, score]).agg(pl.len().cast(pl.Int64).alias(kpi.COUNT))
    if "month" in keys:
        counted = counted.with_columns(
            (pl.col("month") + "-01").str.to_datetime("%Y-%m-%d", time_unit="us").alias("month"))
    return counted.collect()


def answers(counted: pl.DataFrame) -> dict[str, int]:
    """Answer rows per survey metric (unanswered included), as :func:`metrics.measured` wants."""
    totals = counted.group_by("metric").agg(pl.col(kpi.COUNT).sum())
    return dict(totals.iter_rows())


def scale(counted: pl.DataFrame, metric: str) -> int:
    """The metric's scale: the largest one its answers were given on (as the rows say it)."""
    scales = counted.filter(pl.col("metric") == metric)["scale"]
    return int(scales.max()) if scales.len() else DEFAULT_SCALES[metric]


def survey_kpi(counted: pl.DataFrame, metric: str, by: Sequence[str] | None = None) -> Any:
    """NPS / CSAT / CES, overall (a KPI) or per group (a DataFrame), from the counts.

    CSAT is given in percent (value and interval), as step 10 shows it. A score off the
    metric's scale is an error, as on the rows (imports and typed answers refuse them).
    """
    keys = list(by or [])
    rows = counted.filter(pl.col("metric") == metric)
    top = scale(counted, metric)
    off = rows.filter(pl.col("score").is_not_null() & ((pl.col("score") < SCORE_RANGE[metric])
                                                      | (pl.col("score") > top)
                                                      | (pl.col("score") != pl.col("score").floor())))
    if off.height:
        raise kpi.KPIError(f"{metric.upper()}: {int(off[kpi.COUNT].sum())} stored answer(s) outside "
                           f"{SCORE_RANGE[metric]}–{top}", column="score")
    per_score = rows.group_by([*keys, "score"]).agg(pl.col(kpi.COUNT).sum())
    if metric == "nps":
        return kpi.nps_from_counts(per_score, "score", keys)
    if metric == "ces":
        return kpi.ces_from_counts(per_score, top, "score", keys=keys)
    result = kpi.csat_from_counts(per_score, top, "score", keys)
    if keys:
        return result.with_columns(pl.col(c) * 100 for c in ("value", "ci_low", "ci_high"))
    return kpi.KPI(_percent(result.value), result.n, _percent(result.ci_low), _percent(result.ci_high),
                   result.missing, result.parts)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100
