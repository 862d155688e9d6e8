"""Numbers, percentages, money and dates written the way each language writes them.

Separators, signs and month names come from CLDR through Babel; Babel keeps Latin digits,
so languages whose CLDR numbering system is not Latin (Persian: ``arabext``) get their
own digits here. Persian dates can be shown in the Solar Hijri calendar (``jdatetime``).
Reading goes the other way: :meth:`Formatter.parse_number` accepts Persian and
Arabic-Indic digits and the locale's own separators as well as plain ``1234.5``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

import jdatetime
from babel import Locale, UnknownLocaleError, dates, lists, numbers

from cxlib.l10n.digits import ascii_text

CALENDARS = ("gregorian", "persian")
NATIVE_DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}
EMPTY = "—"


def written_column(values: Any, write: Callable[[Any], str], empty: str | None = None) -> Any:
    """``values`` (a polars Series) as text, each value written by ``write`` and a missing
    one as ``empty``, in this thread. Never through polars' ``map_elements``: polars runs
    those calls on its own worker threads, which must take the GIL while another page's
    thread may hold it waiting for those same workers (seen: a server whose every thread
    stopped, two sessions each inside polars)."""
    import polars as pl

    return pl.Series(values.name, [empty if value is None else write(value) for value in values.to_list()],
                     dtype=pl.String)


# Direction marks and isolates that shown numbers carry (and copied text may keep).
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069\u061c"))
# CLDR's minimumGroupingDigits where it is not 1 (Babel does not apply it): Polish writes
# 1500 but 15 000. English, Persian and Armenian group from four digits.
MINIMUM_GROUPING_DIGITS = {"pl": 2}
LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
_SIGNS = re.compile(r"[-+−=×÷^]")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


@cache
def _locale(language: str) -> Locale:
    """The CLDR locale of a language code; English when CLDR does not know it."""
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


class Formatter:
    """Locale formats for one language (and, for Persian, optionally the Solar Hijri
    calendar). ``None`` values are shown as a dash everywhere."""

    def __init__(self, language: str = "en", calendar: str = "gregorian"):
        self.language = language
        self.locale = _locale(language)
        self.calendar = calendar if calendar in CALENDARS else "gregorian"
        system = self.locale.default_numbering_system
        self._digits = str.maketrans("0123456789", NATIVE_DIGITS[system]) if system in NATIVE_DIGITS else None
        self.decimal_symbol = numbers.get_decimal_symbol(self.locale, numbering_system="default")
        self.group_symbol = numbers.get_group_symbol(self.locale, numbering_system="default")
        self.numerals = self.digits("0123456789")
        symbols = self.locale.number_symbols.get(system) or self.locale.number_symbols["latn"]
        self.percent_symbol = symbols.get("percentSign", "%")
        self.right_to_left = self.locale.text_direction == "rtl"
        self._min_grouping = MINIMUM_GROUPING_DIGITS.get(self.locale.language, 1)

    @property
    def solar(self) -> bool:
        """Dates are shown in the Solar Hijri calendar."""
        return self.calendar == "persian"

    def digits(self, text: str) -> str:
        """``text`` with 0–9 written in the language's own digits."""
        return text.translate(self._digits) if self._digits else text

    def isolate(self, text: str) -> str:
        """In a right-to-left language, ``text`` with a sign or an operator in it (``-29.7``,
        ``+15``, ``1 − (1 − m)^12``) kept left to right as one piece (a Unicode isolate),
        so the surrounding Persian text cannot move its minus sign to the other end or
        reorder a formula. Unchanged elsewhere, and when there is nothing to keep together."""
        if not self.right_to_left or not _SIGNS.search(text) or text.startswith(LEFT_TO_RIGHT_ISOLATE):
            return text
        return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}"

    def text_label(self, text: str | None) -> str | None:
        """A name drawn inside a chart, which lays its labels out left to right: in a
        right-to-left language the name is marked as right to left at both ends, so its
        brackets and guillemets (``«تحویل امروز»``) stay where the language puts them."""
        if not self.right_to_left or not text:
            return text
        return f"\u200f{text}\u200f"

    def _grouping(self, value: float) -> bool:
        """Whether to write group separators: not below 10 000 where CLDR says
        minimum grouping digits 2 (Polish ``1500``)."""
        return abs(value) >= 10 ** (2 + self._min_grouping)

    def _pattern(self, value: float | None, pattern: str) -> str:
        if value is None:
            return EMPTY
        text = numbers.format_decimal(value, format=pattern, locale=self.locale, numbering_system="default",
                                      decimal_quantization=True, group_separator=self._grouping(value))
        return self.isolate(self.digits(text))

    def number(self, value: float | None, decimals: int = 0) -> str:
        """``1234.5`` → ``1,234.5`` (en), ``1 234,5`` (pl), ``۱٬۲۳۴٫۵`` (fa)."""
        return self._pattern(value, _grouped(decimals))

    def shortest(self, value: float | None, most: int = 2) -> str:
        """As many decimals as the value carries, at most ``most`` (``4``, ``2.5``, ``0.05``)."""
        if value is None:
            return EMPTY
        carried = f"{round(value, most):.{most}f}".rstrip("0").partition(".")[2]
        return self.number(value, len(carried))

    def signed(self, value: float | None, decimals: int = 0) -> str:
        """A number with its sign always shown, as NPS is written (+12, −5)."""
        return self._pattern(value, f"+{_grouped(decimals)};-{_grouped(decimals)}")

    def percent(self, value: float | None, decimals: int = 0) -> str:
        """A share (0.123) as a percentage in the locale's style."""
        if value is None:
            return EMPTY
        pattern = _grouped(decimals) + "%"
        text = numbers.format_percent(value, format=pattern, locale=self.locale, numbering_system="default",
                                      decimal_quantization=True, group_separator=self._grouping(value * 100))
        return self.isolate(self.digits(text).replace("%", self.percent_symbol))

    def signed_percent(self, value: float | None, decimals: int = 0) -> str:
        """A change of a share (−0.005) as a percentage with its sign always shown (−0.50%),
        the sign and the percent sign kept with the number in right-to-left text."""
        if value is None:
            return EMPTY
        pattern = f"+{_grouped(decimals)}%;-{_grouped(decimals)}%"
        text = numbers.format_percent(value, format=pattern, locale=self.locale, numbering_system="default",
                                      decimal_quantization=True, group_separator=self._grouping(value * 100))
        return self.isolate(self.digits(text).replace("%", self.percent_symbol))

    def points(self, value: float | None, decimals: int = 0) -> str:
        """A value already in percent (12.3 → 12.3%)."""
        return EMPTY if value is None else self.percent(value / 100, decimals)

    def money(self, value: float | None, currency: str | None = None, decimals: int = 2) -> str:
        """An amount, with the workbook's currency code when it has one."""
        if value is None:
            return EMPTY
        if not currency:
            return self.number(value, decimals)
        text = numbers.format_currency(value, currency, locale=self.locale, numbering_system="default",
                                       group_separator=self._grouping(value))
        return self.isolate(self.digits(text))

    def join(self, items: Iterable[str]) -> str:
        """Items as a list the language writes (``a, b i c``; Persian ``الف، ب و ج``)."""
        items = list(items)
        return lists.format_list(items, style="standard", locale=self.locale) if items else ""

    def currency_name(self, code: str) -> str:
        """A currency as the language names it, with its symbol (``euro (€)``)."""
        name = numbers.get_currency_name(code, locale=self.locale)
        symbol = numbers.get_currency_symbol(code, locale=self.locale)
        return f"{name} ({symbol})" if symbol != code else f"{name} ({code})"

    def date(self, value: date | datetime | str | None) -> str:
        """A date in the locale's medium style, or Solar Hijri (``۱۴ اسفند ۱۴۰۴``)."""
        day = _as_date(value)
        if day is None:
            return EMPTY if value in (None, "") else str(value)
        if self.calendar == "persian":
            solar = jdatetime.date.fromgregorian(date=day)
            return self.digits(f"{solar.day} {jdatetime.date.j_months_fa[solar.month - 1]} {solar.year}")
        return self.digits(dates.format_date(day, "medium", locale=self.locale))

    def datetime(self, value: datetime | str | None) -> str:
        """A date and time of day (hours and minutes)."""
        moment = _as_datetime(value)
        if moment is None:
            return EMPTY if value in (None, "") else str(value)
        clock = dates.format_time(moment, "short", locale=self.locale)
        return f"{self.date(moment)} {self.digits(clock)}"

    def month(self, value: date | datetime | str | None) -> str:
        """A month and year (cohorts, trends)."""
        day = _as_date(value)
        if day is None:
            return EMPTY
        if self.calendar == "persian":
            solar = jdatetime.date.fromgregorian(date=day)
            return self.digits(f"{jdatetime.date.j_months_fa[solar.month - 1]} {solar.year}")
        return self.digits(dates.format_skeleton("yMMM", day, locale=self.locale))

    def day_month(self, value: date | datetime | str | None) -> str:
        """A day and month, short (weekly chart axes): ``5 mar`` (pl), ``۱۴ اسفند`` (Solar Hijri)."""
        day = _as_date(value)
        if day is None:
            return EMPTY
        if self.calendar == "persian":
            solar = jdatetime.date.fromgregorian(date=day)
            return self.digits(f"{solar.day} {jdatetime.date.j_months_fa[solar.month - 1]}")
        return self.digits(dates.format_skeleton("MMMd", day, locale=self.locale))

    def time_labels(self, step: str = "month") -> Callable[[date], str] | None:
        """How a chart's time axis names its dates (``step``: ``month`` or ``day``): None
        where the chart's own labels are right (English, Gregorian), else this formatter's,
        so Persian digits, Armenian and Polish month names and the Solar Hijri calendar
        reach the axis."""
        if self.language == "en" and not self.solar:
            return None
        return self.month if step == "month" else self.day_month

    def parse_number(self, text: str) -> float | None:
        """A typed number as a float; None for an empty field. Raises ValueError.

        Accepts native digits, the locale's separators (``۱۲٬۵``, ``12,5``, ``1 234,5``)
        and the plain form ``1234.5`` whatever the language.
        """
        cleaned = ascii_text(text).strip().translate(_INVISIBLE).replace("−", "-")
        if not cleaned:
            return None
        cleaned = cleaned.replace("٬", "").replace("٫", ".").replace("\xa0", "").replace("\u202f", "")
        cleaned = cleaned.replace(" ", "").replace("%", "").replace("٪", "")
        if self.decimal_symbol == "٫":
            cleaned = cleaned.replace("/", ".")  # Persian keyboards type the decimal separator as /
        if self.decimal_symbol == "," and re.fullmatch(r"[-+]?[\d.]*\d,\d+|[-+]?\d+,", cleaned):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
            cleaned = cleaned.replace(",", "")
        elif re.fullmatch(r"[-+]?\d+,\d+", cleaned):
            cleaned = cleaned.replace(",", ".")
        if not _PLAIN_NUMBER.fullmatch(cleaned):
            raise ValueError(text)  # also "nan", "inf", "1e9": never read as a number by accident
        return float(cleaned)

    def input_date(self, value: date | None) -> str:
        """A date as typed in a field: year-month-day in the language's digits (Solar Hijri
        when that calendar is chosen)."""
        if value is None:
            return ""
        if self.calendar == "persian":
            value = jdatetime.date.fromgregorian(date=value)
        return self.digits(f"{value.year:04d}-{value.month:02d}-{value.day:02d}")

    def parse_date(self, text: str) -> date | None:
        """A typed year-month-day (``-``, ``/`` or ``.``; any digits) as a Gregorian date;
        None for an empty field. A year from 1300 to 1500 is read as Solar Hijri (1921–2122);
        any other year before 1700 is refused, never turned into a Gregorian year like 626.
        Raises ValueError."""
        cleaned = ascii_text(text).strip()
        if not cleaned:
            return None
        parts = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", cleaned)
        if not parts:
            raise ValueError(text)
        year, month, day = map(int, parts.groups())
        if 1300 <= year <= 1500:
            return jdatetime.date(year, month, day).togregorian()
        if year < 1700:
            raise ValueError(text)
        return date(year, month, day)

    def vega_number_label(self, label: str = "datum.label") -> str | None:
        """A Vega expression for a chart's number labels (axes and legends, ``labelExpr``):
        Vega groups every number from four digits and has no minimum-grouping option, so
        where CLDR's minimum grouping digits is above 1 (Polish ``1500`` but ``15 000``) the
        separator of a shorter number is taken out. Only a label that is a whole number in
        the locale's digits (with a sign, decimals, a percent sign) is touched. None where
        Vega's labels already follow the locale (its digits and separators come from
        :meth:`vega_locale`). ``label`` is the Vega expression of the text to mend (an
        axis label, or ``format(datum.x, ',.0f')`` for a text mark or a tooltip)."""
        if self._min_grouping == 1:
            return None
        digit = "[" + "".join(self.numerals) + "]"
        pattern = (f"^([-−+]?{digit}{{1,{self._min_grouping - 1}}})[{self.group_symbol}]"
                   f"({digit}{{3}}(?:[{self.decimal_symbol}]{digit}+)?[{self.percent_symbol}]?)$")
        return f"replace({label}, regexp('{pattern}'), '$1$2')"

    def vega_locale(self) -> dict:
        """The same conventions for charts (Vega's ``config.locale``): separators, digits,
        month and day names."""
        months = self.locale.months["stand-alone"]
        days = self.locale.days["stand-alone"]
        return {
            "number": {
                "decimal": self.decimal_symbol,
                "thousands": self.group_symbol,
                "grouping": [3],
                "currency": ["", ""],
                "numerals": list(self.numerals),
                "percent": self.percent_symbol,
                "minus": "−",
            },
            "time": {
                "dateTime": "%x %X",
                "date": "%Y-%m-%d",
                "time": "%H:%M:%S",
                "periods": ["AM", "PM"],
                # d3 lists days from Sunday; CLDR numbers them from Monday (0).
                "days": [days["wide"][(i + 6) % 7] for i in range(7)],
                "shortDays": [days["abbreviated"][(i + 6) % 7] for i in range(7)],
                "months": [months["wide"][i] for i in range(1, 13)],
                "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
            },
        }


def _grouped(decimals: int) -> str:
    """A CLDR number pattern with grouping and exactly ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _as_datetime(value: date | datetime | str | None) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _as_date(value: date | datetime | str | None) -> date | None:
    moment = _as_datetime(value)
    return moment.date() if moment else None
