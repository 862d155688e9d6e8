"""Monthly grouping follows the chosen calendar: Solar Hijri months are real months."""

from datetime import date, datetime, timedelta

import polars as pl
from hypothesis import given, strategies as st

from cxlib.l10n import calendars
from cxlib.l10n.formats import Formatter


def test_persian_months_start_on_their_own_first_day():
    assert calendars.persian_month_start(date(2026, 3, 25)) == date(2026, 3, 21)  # 5 Farvardin 1405
    assert calendars.persian_month_start(date(2026, 3, 15)) == date(2026, 2, 20)  # 24 Esfand 1404
    assert calendars.persian_month_start(date(2026, 9, 23)) == date(2026, 9, 23)  # 1 Mehr 1405


def test_a_gregorian_month_splits_into_two_persian_months():
    frame = pl.DataFrame({"at": [datetime(2026, 3, 15, 10), datetime(2026, 3, 25, 9), None]})
    persian = frame.select(calendars.month_start("at", "persian"))["at"].to_list()
    gregorian = frame.select(calendars.month_start("at"))["at"].to_list()
    assert gregorian[:2] == [datetime(2026, 3, 1)] * 2
    assert persian == [datetime(2026, 2, 20), datetime(2026, 3, 21), None]
    fmt = Formatter("fa", "persian")
    assert [fmt.month(day) for day in persian[:2]] == ["اسفند ۱۴۰۴", "فروردین ۱۴۰۵"]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_every_day_lies_in_the_persian_month_that_starts_it(day):
    start = calendars.persian_month_start(day)
    assert 0 <= (day - start).days <= 30
    assert Formatter("fa", "persian").month(start) == Formatter("fa", "persian").month(day)


def test_the_month_after_a_month_start_in_either_calendar():
    # Esfand 1404 has 29 days (20 Feb – 20 Mar 2026); Farvardin 1405 begins on 21 March.
    assert calendars.next_month(datetime(2026, 2, 20), "persian") == datetime(2026, 3, 21)
    assert calendars.next_month(datetime(2026, 3, 21), "persian") == datetime(2026, 4, 21)
    assert calendars.next_month(datetime(2026, 12, 1)) == datetime(2027, 1, 1)
    assert calendars.month_of(datetime(2026, 3, 20, 23, 59), "persian") == datetime(2026, 2, 20)
    assert calendars.month_of(date(2026, 3, 21), "persian") == datetime(2026, 3, 21)
    assert calendars.month_of(datetime(2026, 3, 20, 23, 59)) == datetime(2026, 3, 1)


def test_imported_persian_dates_are_read_as_the_days_they_are():
    from cxlib.ingest.dates import read_dates

    column = read_dates(["۱۴۰۴-۱۲-۱۴", "1404-02-31", "1405-01-01 09:30", "1404-12-30", None])
    assert column.values[:3] == [datetime(2026, 3, 5), datetime(2025, 5, 21), datetime(2026, 3, 21, 9, 30)]
    assert column.unreadable == [3]  # 30 Esfand 1404 does not exist (1404 is not a leap year): named, not read as year 1404


def test_the_persian_month_of_every_day_from_1900_to_2100_matches_the_calendar():
    """``month_start`` finds Solar Hijri months by a sorted search inside polars (no Python
    callback); every day of two centuries, and a missing one, agrees with ``month_of``."""
    days = [date(1900, 1, 1) + timedelta(days=n) for n in range(73_049)] + [None]  # to 2099-12-31
    got = pl.DataFrame({"day": days}, schema={"day": pl.Date}).select(
        calendars.month_start("day", calendars.PERSIAN))["day"].to_list()
    assert got == [None if d is None else calendars.month_of(d, calendars.PERSIAN) for d in days]


def test_no_python_callbacks_run_inside_polars():
    """A Python function that polars calls (``map_elements``, ``map_batches``) runs on polars'
    worker threads and needs the GIL; with two sessions in polars at once that stopped a
    whole server on CI. The app writes values in its own thread instead
    (``cxlib.l10n.formats.written_column``)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    found = [f"{path.relative_to(root)}:{number}" for folder in ("cxlib", "ui", "pages", "web")
             for path in (root / folder).rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if (".map_elements(" in line or ".map_batches(" in line) and not line.lstrip().startswith("#")]
    assert found == [] and (root / "app.py").read_text(encoding="utf-8").count(".map_elements(") == 0, found
