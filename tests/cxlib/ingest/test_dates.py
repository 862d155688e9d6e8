"""Dates in files read the way the file meant them; the order asked when the data cannot
tell; out-of-range dates named."""

from datetime import datetime

import pytest

from cxlib.ingest.dates import read_dates

NOW = datetime(2026, 11, 30, 12, 0)


def read(*cells, order=None):
    return read_dates(list(cells), order, now=NOW)


def test_fractional_seconds_and_time_zones():
    column = read("2025-08-29 17:17:56.622", "2024-10-30 15:15:11.744884", "2025-01-01T10:00:00Z",
                  "2025-01-01T10:00:00+03:30", "2025-01-01 10:00:00 -0800")
    assert column.values == [datetime(2025, 8, 29, 17, 17, 56, 622000), datetime(2024, 10, 30, 15, 15, 11, 744884),
                             datetime(2025, 1, 1, 10), datetime(2025, 1, 1, 6, 30), datetime(2025, 1, 1, 18)]
    assert {"fraction", "timezone"} <= column.features
    # Google Forms writes the zone as GMT+3:30.
    assert read("2025/08/29 5:17:56 PM GMT+3:30", "2025/08/29 5:17:56 PM GMT-7").values == [
        datetime(2025, 8, 29, 13, 47, 56), datetime(2025, 8, 30, 0, 17, 56)]


def test_two_digit_years_are_20xx_and_said_so():
    column = read("2/24/03", "12/1/10 8:26")
    assert column.values == [datetime(2003, 2, 24), datetime(2010, 12, 1, 8, 26)]
    assert column.order == "mdy" and "two_digit_year" in column.features and column.two_digit_pivot == 27
    assert read("1/2/99", "13/2/98").values == [datetime(1999, 2, 1), datetime(1998, 2, 13)]


def test_the_order_comes_from_the_whole_column_or_is_asked():
    assert read("03.04.2026", "13.04.2026").order == "dmy"
    assert read("04/03/2026", "04/13/2026").order == "mdy"
    undecided = read("03.04.2026", "05.04.2026")
    assert undecided.needs_order and undecided.values == [None, None] and not undecided.unreadable
    chosen = read("03.04.2026", "05.04.2026", order="mdy")
    assert chosen.values == [datetime(2026, 3, 4), datetime(2026, 5, 4)]
    assert read("03.03.2026", "05.05.2026").decided  # the same either way
    # A chosen order the data contradicts names the rows it cannot read.
    assert read("03.04.2026", "13.04.2026", order="mdy").unreadable == [1]


def test_am_pm_and_month_names_in_four_languages():
    column = read("Mar 3, 2025 10:05 PM", "March 3 2025", "3 marca 2025", "3 մարտի 2025", "Mon, 3 Mar 2025",
                  "3 مارس 2025", "3 Mar 2025 12:30 AM")
    assert column.values == [datetime(2025, 3, 3, 22, 5)] + [datetime(2025, 3, 3)] * 5 + [datetime(2025, 3, 3, 0, 30)]
    assert {"ampm", "month_name"} <= column.features


def test_solar_hijri_dates_in_persian_digits_and_month_names():
    column = read("۱۴۰۵/۰۷/۰۱", "۱۱ آبان ۱۴۰۴", "1404/08/11")
    assert column.values == [datetime(2026, 9, 23), datetime(2025, 11, 2), datetime(2025, 11, 2)]
    assert "solar" in column.features


def test_excel_serial_numbers_and_compact_dates():
    assert read("45123.5", "45123").values == [datetime(2023, 7, 16, 12), datetime(2023, 7, 16)]
    assert read("20250301").values == [datetime(2025, 3, 1)]


@pytest.mark.parametrize("cell, where", [("1850-01-01", "too_early"), ("0626-03-01", "too_early"),
                                         ("2026-12-02", "in_future"), ("soon", "unreadable"),
                                         ("31/02/2025", "unreadable"), ("25:00 1 Mar 2025", "unreadable")])
def test_dates_out_of_range_or_unreadable_are_named(cell, where):
    column = read("2025-01-01", cell)
    assert getattr(column, where) == [1]


def test_a_day_ahead_is_still_fine():
    assert read("2026-12-01 11:00").in_future == []
