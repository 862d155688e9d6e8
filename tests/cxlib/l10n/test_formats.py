"""Locale formats: numbers, percentages, dates and the Solar Hijri calendar, both ways."""

import math
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings, strategies as st

from cxlib.l10n.formats import Formatter


@pytest.mark.parametrize(
    ("language", "number", "share", "day"),
    [
        ("en", "12,345.68", "12.3%", "Mar 5, 2026"),
        ("pl", "12\xa0345,68", "12,3%", "5 mar 2026"),
        ("hy", "12\xa0345,68", "12,3%", "05 մրտ, 2026 թ."),
        ("fa", "۱۲٬۳۴۵٫۶۸", "۱۲٫۳٪", "۵ مارس ۲۰۲۶"),
    ],
)
def test_numbers_percentages_and_dates_follow_the_locale(language, number, share, day):
    fmt = Formatter(language)
    assert fmt.number(12345.678, 2) == number
    assert fmt.percent(0.1234, 1) == share
    assert fmt.date(date(2026, 3, 5)) == day
    assert fmt.number(None) == "—"


def test_persian_digits_and_signs():
    fmt = Formatter("fa")
    # A signed number is one left-to-right piece inside Persian text (else "+12" reads "12+").
    assert fmt.signed(12) == "\u2066+۱۲\u2069" and fmt.signed(-3.5, 1) == "\u2066-۳٫۵\u2069"
    assert fmt.number(-29.7, 1) == "\u2066-۲۹٫۷\u2069" and fmt.number(29.7, 1) == "۲۹٫۷"
    assert fmt.percent(-0.1) == "\u2066-۱۰٪\u2069"
    assert fmt.signed_percent(-0.005, 2) == "\u2066-۰٫۵۰٪\u2069" and Formatter("pl").signed_percent(0.01) == "+1%"
    assert fmt.isolate("1 − (1 − m)^12") == "\u20661 − (1 − m)^12\u2069"
    assert Formatter("pl").signed(-3) == "-3" and Formatter("en").isolate("1 − m") == "1 − m"
    assert fmt.digits("2026-03-05") == "۲۰۲۶-۰۳-۰۵"
    assert fmt.datetime(datetime(2026, 3, 5, 14, 7)) == "۵ مارس ۲۰۲۶ ۱۴:۰۷"


def test_solar_hijri_dates_are_shown_and_read_back():
    fmt = Formatter("fa", "persian")
    assert fmt.date(date(2026, 3, 5)) == "۱۴ اسفند ۱۴۰۴"
    assert fmt.date("2026-03-21T09:00:00") == "۱ فروردین ۱۴۰۵"  # Nowruz
    assert fmt.month(date(2026, 3, 5)) == "اسفند ۱۴۰۴"
    assert fmt.input_date(date(2026, 3, 5)) == "۱۴۰۴-۱۲-۱۴"
    assert fmt.parse_date("۱۴۰۴-۱۲-۱۴") == date(2026, 3, 5)
    # Any field reads a Solar Hijri year (before 1700) as such, and Gregorian otherwise.
    assert Formatter("en").parse_date("1404/12/14") == date(2026, 3, 5)
    assert Formatter("fa").parse_date("2026-03-05") == date(2026, 3, 5)
    # A year before 1700 that is not a plausible Solar Hijri year is refused: never 626.
    with pytest.raises(ValueError):
        Formatter("en").parse_date("1247-03-05")


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("fa", "۱۲٬۳۴۵٫۶", 12345.6),
        ("fa", "٤٥", 45.0),  # Arabic-Indic digits
        ("fa", "12.5", 12.5),
        ("pl", "1 234,5", 1234.5),
        ("pl", "12,5", 12.5),
        ("pl", "12.5", 12.5),
        ("hy", "3,25", 3.25),
        ("en", "1,234.5", 1234.5),
        ("en", "−7", -7.0),
        ("en", "", None),
        ("fa", "۱۲/۵", 12.5),  # Persian keyboards type the decimal separator as /
        ("fa", "\u2066-۱۲٫۵\u2069", -12.5),  # a shown number copied back, with its isolate marks
        ("hy", "1\xa0234,5", 1234.5),
        ("en", "12,5", 12.5),
    ],
)
def test_typed_numbers_are_read_in_any_digits(language, typed, value):
    assert Formatter(language).parse_number(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1.2.3,4,5", "۱۲x", "nan", "inf", "1e9", "12,5,3", "--1"])
@pytest.mark.parametrize("language", ["en", "fa", "hy", "pl"])
def test_text_that_is_not_a_number_is_refused(language, typed):
    with pytest.raises(ValueError):
        Formatter(language).parse_number(typed)


def test_chart_locale_carries_digits_and_month_names():
    locale = Formatter("fa").vega_locale()
    assert locale["number"]["numerals"][:3] == ["۰", "۱", "۲"]
    assert locale["number"]["decimal"] == "٫"
    assert len(locale["time"]["months"]) == 12 and locale["time"]["months"][0] == "ژانویه"
    assert Formatter("pl").vega_locale()["time"]["days"][0] == "niedziela"  # d3 weeks start on Sunday


def test_money_in_the_workbook_currency_written_the_locale_way():
    assert Formatter("en").money(1234.5, "EUR") == "€1,234.50"
    assert Formatter("pl").money(1234.5, "PLN") == "1234,50\xa0zł"  # CLDR: Polish groups from five digits
    assert Formatter("pl").money(12345.5, "PLN") == "12\xa0345,50\xa0zł"
    assert Formatter("fa").money(1234.5, "EUR") == "\u200e€\xa0۱٬۲۳۴٫۵۰"
    assert Formatter("hy").money(1234.5) == "1\xa0234,50"  # no currency: a plain amount
    assert Formatter("fa").currency_name("IRR") == "ریال ایران (ریال)"


@pytest.mark.parametrize(("language", "four", "five"), [("pl", "1500", "15\xa0000"), ("hy", "1\xa0500", "15\xa0000"),
                                                      ("en", "1,500", "15,000"), ("fa", "۱٬۵۰۰", "۱۵٬۰۰۰")])
def test_minimum_grouping_digits_follow_cldr(language, four, five):
    fmt = Formatter(language)
    assert (fmt.number(1500), fmt.number(15000)) == (four, five)


def test_shortest_keeps_the_decimals_a_value_carries():
    fmt = Formatter("fa")
    assert [fmt.shortest(v) for v in (4, 4.0, 2.5, 0.05, 1.23456)] == ["۴", "۴", "۲٫۵", "۰٫۰۵", "۱٫۲۳"]
    assert Formatter("en").shortest(1234.5) == "1,234.5"


@settings(max_examples=200)
@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), decimals=st.integers(0, 4),
       language=st.sampled_from(["en", "fa", "hy", "pl"]))
@example(value=0.975, decimals=2, language="en")  # found by hypothesis: shows as 0.98
def test_a_number_as_shown_reads_back_as_itself(value, decimals, language):
    fmt = Formatter(language)
    shown = fmt.number(value, decimals)
    # Rounded to ``decimals`` places (Babel rounds the decimal text, so 0.975 shows as 0.98
    # where Python's binary float prints 0.97): within half a unit of the last place.
    assert abs(fmt.parse_number(shown) - value) <= 0.5 * 10 ** -decimals + 1e-9 * max(1.0, abs(value))


@given(text=st.text(max_size=12), language=st.sampled_from(["en", "fa", "hy", "pl"]))
def test_any_typed_text_is_a_finite_number_or_refused(text, language):
    try:
        value = Formatter(language).parse_number(text)
    except ValueError:
        return
    assert value is None or math.isfinite(value)


def test_lists_are_joined_the_language_way():
    assert Formatter("fa").join(["وب", "ایمیل"]) == "وب و ایمیل"
    assert "،" in Formatter("fa").join(["الف", "ب", "ج"])
    assert Formatter("pl").join(["a", "b", "c"]) == "a, b i c" and Formatter("en").join([]) == ""
