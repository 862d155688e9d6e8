"""Reading a column of dates from a file the way the file meant them, or saying why not.

Exports write dates in many ways: ISO with fractional seconds and time zones, local
day/month/year or month/day/year, two-digit years, AM/PM, month names (English, Polish,
Armenian, Persian), Solar Hijri dates (``۱۴۰۵/۰۷/۰۱``, ``۱۱ آبان ۱۴۰۴``) and Excel serial
numbers. A whole column is read one way: day/month order is decided from the column when
some cell decides it (a 13th day), and left as a question when none does, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import jdatetime

from cxlib.l10n.digits import ascii_text

ORDERS = ("dmy", "mdy")  # the orders a numeric a/b/year date may use
EARLIEST = datetime(1900, 1, 1)
SOLAR_YEARS = range(1300, 1501)  # plausible Solar Hijri years in a file (1921–2122)
EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_SERIALS = (20000, 80000)  # 1954–2119: a bare number in this range in a date column
SPREADSHEET_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#FORMULA")

# A time of day at the end of a cell: 14:05, 14:05:09.123, 2:05 PM, and "14.05" as Excel
# writes it in some locales (a dot only after a space, so 24.02.2015 stays a date).
_TIME = re.compile(
    r"(?:[t\s]+|^)(?P<h>\d{1,2})(?:(?P<colon>:)|(?<=\s\d)\.|(?<=\s\d\d)\.)(?P<mi>\d{2})"
    r"(?:(?(colon):|\.)(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?|ق\.?\s?ظ|ب\.?\s?ظ)?"
    r"\s*(?P<tz>z|(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?|utc|gmt)?\s*$"
)
_YMD = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")
_ABY = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)
_NUMBER = re.compile(r"\d+")
FILLERS = {"of", "the", "r.", "r", "roku", "թ.", "թ", "year", "on", "at"}
SOLAR_MONTHS = jdatetime.date.j_months_fa


@cache
def month_names() -> dict[str, tuple[int, bool]]:
    """Month names and abbreviations in en/pl/hy/fa → (month, is Solar Hijri)."""
    from babel import Locale

    names: dict[str, tuple[int, bool]] = {}
    for language in ("en", "pl", "hy", "fa"):
        months = Locale.parse(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    names[name.lower().rstrip(".")] = (number, False)
    names["sept"] = (9, False)
    for number, name in enumerate(SOLAR_MONTHS, start=1):
        names[name] = (number, True)
    return names


@cache
def weekday_names() -> frozenset[str]:
    from babel import Locale

    found = set()
    for language in ("en", "pl", "hy", "fa"):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                found.update(n.lower().rstrip(".") for n in Locale.parse(language).days[context][width].values())
    return frozenset(found)


@dataclass(frozen=True)
class Cell:
    """One cell taken apart: the date fields found and how they were written."""

    year: int
    month: int | None  # None: a/b order still to be decided (a, b in ``pair``)
    day: int | None
    pair: tuple[int, int] | None = None
    time: tuple[int, int, int, int] = (0, 0, 0, 0)  # hour, minute, second, microsecond
    offset: timedelta | None = None
    features: frozenset[str] = frozenset()


def _split_time(text: str) -> tuple[str, tuple[int, int, int, int], timedelta | None, set[str]] | None:
    """(the date part, the time, its UTC offset, features), or None if the time is bad."""
    found = _TIME.search(text)
    if not found or not found.group("h"):
        return text, (0, 0, 0, 0), None, set()
    features = {"time"}
    hour, minute = int(found["h"]), int(found["mi"])
    second = int(found["s"] or 0)
    micro = int((found["f"] or "0")[:6].ljust(6, "0"))
    if found["f"]:
        features.add("fraction")
    if found["ampm"]:
        features.add("ampm")
        if not 1 <= hour <= 12:
            return None
        afternoon = found["ampm"][0] in "pب"
        hour = hour % 12 + (12 if afternoon else 0)
    offset = None
    if found["tz"]:
        features.add("timezone")
        zone = found["tz"]
        zone = re.sub(r"^(utc|gmt)\s*", "", zone)
        if zone in ("z", "utc", "gmt", ""):
            offset = timedelta(0)
        else:
            sign = -1 if zone[0] == "-" else 1
            hours, _, minutes = zone[1:].partition(":")
            if not minutes and len(hours) > 2:
                hours, minutes = hours[:-2], hours[-2:]
            offset = sign * timedelta(hours=int(hours), minutes=int(minutes or 0))
    if hour > 23 or minute > 59 or second > 59:
        return None
    return text[: found.start()].strip(), (hour, minute, second, micro), offset, features


def take_apart(raw: str) -> Cell | None:
    """A cell's date fields, or None when it is not a date in any way this module reads."""
    text = ascii_text(raw).strip().lower().replace(",", " ")
    text = re.sub(r"\s+", " ", text)
    if not text:
        return None
    if _SERIAL.match(text):
        serial = float(text)
        if not EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
            return None
        moment = EXCEL_EPOCH + timedelta(days=serial)
        moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
        return Cell(moment.year, moment.month, moment.day,
                    time=(moment.hour, moment.minute, moment.second, 0), features=frozenset({"serial"}))
    split = _split_time(text)
    if split is None:
        return None
    rest, time, offset, features = split
    rest = rest.rstrip("t ").strip()
    if found := _YMD.match(rest):
        year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
        if year in SOLAR_YEARS:  # 1404/12/14, 1404-12-14: no Gregorian file holds such years
            features.add("solar")
        return Cell(year, month, day, time=time, offset=offset, features=frozenset(features))
    if found := _COMPACT.match(rest):
        return Cell(int(found["y"]), int(found["m"]), int(found["d"]), time=time, offset=offset,
                    features=frozenset(features))
    if found := _ABY.match(rest):
        year = int(found["y"])
        if len(found["y"]) == 2:
            features.add("two_digit_year")
        return Cell(year, None, None, pair=(int(found["a"]), int(found["b"])), time=time, offset=offset,
                    features=frozenset(features))
    return _with_month_name(rest, time, offset, features)


def _with_month_name(rest: str, time, offset, features: set[str]) -> Cell | None:
    """``March 3 2025``, ``3 marca 2025``, ``11 آبان 1404``, ``Mon, 3 Mar 2025``."""
    words = [w.rstrip(".") for w in _WORD.findall(rest)]
    numbers = _NUMBER.findall(rest)
    months = [month_names()[w] for w in words if w in month_names()]
    others = [w for w in words if w not in month_names() and w not in FILLERS and w not in weekday_names()
              and not re.fullmatch(r"(st|nd|rd|th)", w)]
    if len(months) != 1 or others or len(numbers) != 2:
        return None
    month, solar = months[0]
    long = [n for n in numbers if len(n) == 4]
    if len(long) == 1:
        year = int(long[0])
        day = int(next(n for n in numbers if n is not long[0]))
    elif not long and all(len(n) <= 2 for n in numbers):
        day, year = int(numbers[0]), int(numbers[1])
        features.add("two_digit_year")
    else:
        return None
    features.add("month_name")
    if solar:
        features.add("solar")
    return Cell(year, month, day, time=time, offset=offset, features=frozenset(features))


def looks_like_date(text: str) -> bool:
    """Whether a cell reads as a date in some order (used to tell data rows from headers)."""
    cell = take_apart(text)
    return cell is not None and not (cell.features == {"serial"})


@dataclass
class DateColumn:
    """A column read as dates: values (naive, UTC where the file gave a zone), how it was
    read, and the positions of cells that could not be read or fall outside the range."""

    values: list[datetime | None] | Any  # or a polars Datetime column (the vectorised ISO reader)
    order: str | None  # "dmy"/"mdy" when some cells needed it
    decided: bool  # the order came from the data (or was chosen), not left open
    features: set[str] = field(default_factory=set)
    unreadable: list[int] = field(default_factory=list)
    too_early: list[int] = field(default_factory=list)
    in_future: list[int] = field(default_factory=list)
    two_digit_pivot: int = 0  # two-digit years up to this read as 20xx, above as 19xx
    shown: bool = False  # some cell shows the order (a number over 12); not so when all pairs read alike

    @property
    def needs_order(self) -> bool:
        return self.order is None and not self.decided


def decide_order(cells: Sequence[Cell | None]) -> tuple[str | None, bool]:
    """(order, decided): from the pairs of the column's a/b/year cells.

    A first number over 12 says day-first, a second over 12 month-first; when no cell
    says either (and some pair differs), the order is undecided.
    """
    pairs = [c.pair for c in cells if c is not None and c.pair is not None]
    if not pairs:
        return None, True
    day_first = sum(1 for a, b in pairs if a > 12 >= b)
    month_first = sum(1 for a, b in pairs if b > 12 >= a)
    if day_first or month_first:
        return ("dmy" if day_first >= month_first else "mdy"), True
    if all(a == b for a, b in pairs):
        return "dmy", True
    return None, False


def read_dates(values: Sequence[str | None], order: str | None = None,
               now: datetime | None = None) -> DateColumn:
    """Read text cells as date-times (see the module docstring).

    ``order`` ("dmy"/"mdy") is the user's choice for a/b/year cells; without it the data
    decides or the column is left with ``needs_order``. Nothing raises: the caller names
    the positions in ``unreadable``, ``too_early`` and ``in_future``.
    """
    now = now or datetime.now()
    pivot = now.year % 100 + 1
    unique = {v: take_apart(v) for v in set(values) if v is not None}
    shown = False
    if order is None:
        order, decided = decide_order(list(unique.values()))
        shown = any(c is not None and c.pair is not None and max(c.pair) > 12 for c in unique.values())
    else:
        decided = True
    column = DateColumn([], order, decided, two_digit_pivot=pivot, shown=shown)
    converted: dict[str, datetime | None] = {}
    for raw, cell in unique.items():
        moment = _to_datetime(cell, order, pivot) if cell is not None else None
        if moment is not None:
            column.features |= cell.features
        converted[raw] = moment
    limit = now + timedelta(days=1)
    for index, raw in enumerate(values):
        if raw is None:
            column.values.append(None)
            continue
        moment = converted[raw]
        if moment is None:
            if not (column.needs_order and unique[raw] is not None and unique[raw].pair):
                column.unreadable.append(index)
        elif moment < EARLIEST:
            column.too_early.append(index)
        elif moment > limit:
            column.in_future.append(index)
        column.values.append(moment)
    return column


def _to_datetime(cell: Cell, order: str | None, pivot: int) -> datetime | None:
    year, month, day = cell.year, cell.month, cell.day
    if cell.pair is not None:
        if order is None:
            return None
        day, month = cell.pair if order == "dmy" else reversed(cell.pair)
    if "two_digit_year" in cell.features:
        year += 2000 if year <= pivot else 1900
    try:
        if "solar" in cell.features:
            if year not in SOLAR_YEARS:
                return None
            day_of = jdatetime.date(year, month, day).togregorian()
        else:
            day_of = date(year, month, day)
    except ValueError:
        return None
    moment = datetime(day_of.year, day_of.month, day_of.day, *cell.time)
    if cell.offset is not None:
        moment = (moment - cell.offset).replace(tzinfo=None)
    return moment

