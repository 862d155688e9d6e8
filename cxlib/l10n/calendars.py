"""Calendar months for grouping: the Gregorian month, or the Solar Hijri month a date falls in.

Monthly figures (trends) group rows by the first day of their month. With the Solar Hijri
calendar on, that is the first day of the Persian month (1 Farvardin = 21 March in most
years), not the Gregorian month relabelled: a reading taken on 25 March belongs to
Farvardin, one on 15 March to Esfand of the year before.
"""

from __future__ import annotations

from datetime import date, datetime

import jdatetime
import polars as pl

GREGORIAN, PERSIAN = "gregorian", "persian"


def persian_month_start(day: date) -> date:
    """The Gregorian date of the first day of the Solar Hijri month ``day`` falls in."""
    solar = jdatetime.date.fromgregorian(date=day)
    return jdatetime.date(solar.year, solar.month, 1).togregorian()


def month_start(column: str, calendar: str = GREGORIAN) -> pl.Expr:
    """The start of each value's month in ``calendar`` (a datetime at midnight), for
    ``group_by``; a date or datetime column in, a datetime column out."""
    if calendar != PERSIAN:
        return pl.col(column).cast(pl.Datetime).dt.truncate("1mo")
    return pl.col(column).map_batches(_persian_month_starts, return_dtype=pl.Datetime("us"))


def _persian_month_starts(values: pl.Series) -> pl.Series:
    days = values.cast(pl.Date)
    starts = {day: datetime.combine(persian_month_start(day), datetime.min.time())
              for day in days.drop_nulls().unique().to_list()}  # a few hundred distinct days at most per year
    return days.replace_strict(starts, default=None, return_dtype=pl.Datetime("us"))
