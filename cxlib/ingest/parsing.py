"""Reading user files: errors that name the file's row and column, and date parsing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from cxlib.l10n import calendars
from cxlib.l10n.digits import ascii_digits
from cxlib.storage import limits

# Date orders a column may use; within one, a cell may carry a time of day or not.
DATE_ORDERS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%Y%m%d")
TIMES = ("", " %H:%M:%S", "T%H:%M:%S", " %H:%M", "T%H:%M")


class FileError(ValueError):
    """A file that cannot be used as it is; names the column and the rows at fault.

    ``code`` picks the message ``file_error.<code>`` in the i18n catalogue, so the user
    reads it in their language (:meth:`message`); ``str(error)`` is the English text.
    """

    def __init__(self, code: str, column: str | None = None, rows: Sequence[int] = (), **params: Any):
        self.code = code
        self.column = column
        self.rows = list(rows)
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        """The error in ``language``, row numbers in its digits and terms translated."""
        from cxlib.l10n.formats import Formatter
        from cxlib.l10n.i18n import t

        fmt = Formatter(language)
        values = {}
        for name, value in {"column": self.column, **self.params}.items():
            if isinstance(value, Term):
                value = t(value.key, language)
            elif isinstance(value, (list, tuple)):
                value = ", ".join(fmt.digits(str(item)) for item in value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                value = fmt.digits(str(value))
            values[name] = value
        return t(f"file_error.{self.code}", language, **values)


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself a catalogue key (translated when shown)."""

    key: str


def numbered(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with ``__row``: the line number in the file (line 1 is the header)."""
    return frame.with_row_index("__row", offset=2)


def require_columns(frame: pl.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FileError("missing_column", missing[0], columns=", ".join(frame.columns))


def read_datetimes(values: pl.Series) -> tuple[pl.Series, list[int]]:
    """Text cells as date-times, and the positions of non-empty cells that are not dates.

    The date order that reads the most cells of a sample wins, so 03.04.2026 is read the
    same way in every row; cells may carry a time of day or not; native digits are fine.
    """
    if values.dtype in (pl.Date, pl.Datetime):
        return values.cast(pl.Datetime), []
    # A year before 1700 is Solar Hijri (1404-12-14 is 5 March 2026), as in a typed date.
    text = calendars.solar_hijri_as_gregorian_text(ascii_digits(values.cast(pl.String).str.strip_chars()))
    sample = text.drop_nulls().head(2000)

    def parse(cells: pl.Series, formats: list[str]) -> pl.Series:
        return pl.select(pl.coalesce([cells.str.strptime(pl.Datetime, f, strict=False) for f in formats])).to_series()

    candidates = [[order + time for time in TIMES] for order in DATE_ORDERS]
    best = min(candidates, key=lambda formats: parse(sample, formats).null_count())
    used = [f for f in best if parse(sample, [f]).null_count() < sample.len()] or best
    parsed = parse(text, used)
    # A year before 1700 left after that is a Solar Hijri day that does not exist: not a date.
    parsed = parsed.set(parsed.dt.year() < calendars.SOLAR_YEARS_BEFORE, None)
    return parsed, (parsed.is_null() & text.is_not_null()).arg_true().to_list()


def parse_dates(frame: pl.DataFrame, column: str) -> pl.Series:
    """The column as dates (see :func:`read_datetimes`).

    ``frame`` must come from :func:`numbered`. Raises FileError naming the first rows
    whose date cannot be read.
    """
    parsed, bad = read_datetimes(frame[column])
    if bad:
        rows = frame["__row"].gather(bad[:5]).to_list()
        raise FileError("dates_unreadable", column, rows, lines=rows)
    return parsed.dt.date().alias(column)


def require_values(frame: pl.DataFrame, column: str) -> None:
    """Every row must have a non-empty value in ``column``."""
    empty = frame.filter(
        pl.col(column).is_null() | (pl.col(column).cast(pl.String).str.strip_chars() == "")
    )
    if empty.height:
        rows = empty["__row"].head(5).to_list()
        raise FileError("empty_cells", column, rows, lines=rows)


def require_short(frame: pl.DataFrame, table: str, lines: Sequence[int],
                  columns: dict[str, str] | None = None) -> None:
    """Refuse cells longer than the store keeps for ``table`` (see
    :mod:`cxlib.storage.limits`) before anything is written: FileError naming the file's
    column (``columns`` maps the frame's column to the file's), the lines (``lines[i]``
    is the file line of row ``i``) and the maximum."""
    found = limits.too_long(table, frame)
    if found:
        column, limit, positions = found
        bad_lines = [lines[i] for i in positions]
        raise FileError("too_long", (columns or {}).get(column) or column, bad_lines, lines=bad_lines,
                        max=limit)
