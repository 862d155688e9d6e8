"""Reading user files: errors that name the file's row and column, and date parsing."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%Y/%m/%d")


class FileError(ValueError):
    """A file that cannot be used as it is; names the column and the rows at fault."""

    def __init__(self, message: str, column: str | None = None, rows: Sequence[int] = ()):
        super().__init__(message)
        self.column = column
        self.rows = list(rows)


def numbered(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with ``__row``: the line number in the file (line 1 is the header)."""
    return frame.with_row_index("__row", offset=2)


def require_columns(frame: pl.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FileError(
            f"Missing column {missing[0]!r}; the file has: {', '.join(frame.columns)}.", missing[0]
        )


def parse_dates(frame: pl.DataFrame, column: str) -> pl.Series:
    """The column as dates: ISO or a common local form, the format that reads the most rows.

    ``frame`` must come from :func:`numbered`. Raises FileError naming the first rows
    whose date cannot be read.
    """
    values = frame[column]
    if values.dtype in (pl.Date, pl.Datetime):
        return values.cast(pl.Date)
    text = values.cast(pl.String).str.strip_chars()
    attempts = [text.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS]
    parsed = min(attempts, key=lambda attempt: attempt.null_count())
    if parsed.null_count() != text.null_count():
        rows = frame.filter(parsed.is_null() & text.is_not_null())["__row"].head(5).to_list()
        raise FileError(
            f"Column {column!r}: dates could not be read (rows {', '.join(map(str, rows))}); "
            "expected a date such as 2024-03-31 or 31.03.2024.",
            column,
            rows,
        )
    return parsed.alias(column)


def require_values(frame: pl.DataFrame, column: str) -> None:
    """Every row must have a non-empty value in ``column``."""
    empty = frame.filter(
        pl.col(column).is_null() | (pl.col(column).cast(pl.String).str.strip_chars() == "")
    )
    if empty.height:
        rows = empty["__row"].head(5).to_list()
        raise FileError(
            f"Column {column!r} is empty in rows {', '.join(map(str, rows))}.", column, rows
        )
