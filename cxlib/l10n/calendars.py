"""Calendar months for grouping: the Gregorian month, or the Solar Hijri month a date falls in.

Monthly figures (trends) group rows by the first day of their month. With the Solar Hijri
calendar on, that is the first day of the Persian month (1 Farvardin = 21 March in most
years), not the Gregorian month relabelled: a reading taken on 25 March belongs to
Farvardin, one on 15 March to Esfand of the year before.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

import jdatetime
import polars as pl

GREGORIAN, PERSIAN = "gregorian", "persian"


def persian_month_start(day: date) -> date:
    """The Gregorian date of the first day of the Solar Hijri month ``day`` falls in."""
    solar = jdatetime.date.fromgregorian(date=day)
    return jdatetime.date(solar.year, solar.month, 1).togregorian()


def month_of(moment: date | datetime, calendar: str = GREGORIAN) -> datetime:
    """Midnight on the first day of ``moment``'s month in ``calendar``."""
    day = moment.date() if isinstance(moment, datetime) else moment
    first = persian_month_start(day) if calendar == PERSIAN else day.replace(day=1)
    return datetime(first.year, first.month, first.day)


def next_month(start: datetime, calendar: str = GREGORIAN) -> datetime:
    """The first day of the month after the one that starts at ``start`` (a month start)."""
    if calendar == PERSIAN:  # a Persian month has 29–31 days: 31 days on is inside the next one
        return month_of(start + timedelta(days=31), PERSIAN)
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1)


def month_start(column: str, calendar: str = GREGORIAN) -> pl.Expr:
    """The start of each value's month in ``calendar`` (a datetime at midnight), for
    ``group_by``; a date or datetime column in, a datetime column out.

    A Solar Hijri month is found among the month starts of 1700–2700 by a sorted search,
    inside polars: a Python function called by polars (``map_batches``) runs on polars'
    worker threads and can stop the whole server (see
    :func:`cxlib.l10n.formats.written_column`)."""
    if calendar != PERSIAN:
        return pl.col(column).cast(pl.Datetime).dt.truncate("1mo")
    starts = pl.lit(_persian_month_starts())
    day = pl.col(column).cast(pl.Date).cast(pl.Datetime("us"))
    found = starts.search_sorted(day, side="right").cast(pl.Int64) - 1
    return pl.when((found >= 0) & (day < _PERSIAN_RANGE[1])).then(starts.gather(found.clip(0))).alias(column)


_PERSIAN_RANGE = (datetime(1700, 1, 1), datetime(2700, 1, 1))  # past any date a workbook holds


_MONTH_OFFSETS = (0, 31, 62, 93, 124, 155, 186, 216, 246, 276, 306, 336)  # days from 1 Farvardin to each month


@cache
def _persian_month_starts() -> pl.Series:
    """Midnight of every Solar Hijri month's first day from before 1700 to 2700, in order:
    the calendar's first six months have 31 days and the next five 30, so only each year's
    first day needs the calendar (a thousand conversions, not twelve thousand)."""
    first_year = jdatetime.date.fromgregorian(date=_PERSIAN_RANGE[0].date()).year - 1
    last_year = jdatetime.date.fromgregorian(date=_PERSIAN_RANGE[1].date()).year + 1
    starts = []
    for year in range(first_year, last_year + 1):
        nowruz = datetime.combine(jdatetime.date(year, 1, 1).togregorian(), datetime.min.time())
        starts.extend(nowruz + timedelta(days=offset) for offset in _MONTH_OFFSETS)
    return pl.Series("month_starts", starts, dtype=pl.Datetime("us"))


# A year written before this one is a Solar Hijri year (1404 SH is 2025/26): the same
# rule as a typed date (:meth:`cxlib.l10n.formats.Formatter.parse_date`).
SOLAR_YEARS_BEFORE = 1700
_SOLAR_DATE = re.compile(r"(1[0-6]\d\d)([-/.])(\d{1,2})([-/.])(\d{1,2})(.*)", re.DOTALL)


def solar_hijri_as_gregorian_text(cells: pl.Series) -> pl.Series:
    """Text cells where a date written year first with a year before 1700 (``1404/12/14``,
    Latin digits) is rewritten as the Gregorian date it is (``2026/03/05``), in the same
    layout and with the rest of the cell (a time of day) kept. A day that does not exist in
    the Solar Hijri calendar is left as it is, for the reader to refuse naming its row."""
    found = cells.str.contains(r"^1[0-6]\d\d[-/.]\d{1,2}[-/.]\d{1,2}")
    if not found.any():
        return cells
    rewritten = {text: _gregorian_text(text) for text in cells.filter(found).unique().to_list()}
    return cells.replace(rewritten)


def _gregorian_text(text: str) -> str:
    parts = _SOLAR_DATE.fullmatch(text)
    if not parts:
        return text
    year, first, month, second, day, rest = parts.groups()
    try:
        gregorian = jdatetime.date(int(year), int(month), int(day)).togregorian()
    except ValueError:
        return text
    return f"{gregorian.year:04d}{first}{gregorian.month:02d}{second}{gregorian.day:02d}{rest}"
