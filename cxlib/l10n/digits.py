"""Persian and Arabic-Indic digits read as 0–9, in one string or a whole column.

They live here, at the bottom of the library, because both the file readers (``ingest``)
and the locale formatters (``formats``) need them: neither may import the other.
"""

from __future__ import annotations

import polars as pl

NATIVE_DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"  # Persian, then Arabic-Indic
ASCII_DIGITS = "0123456789" * 2
_TO_ASCII = str.maketrans(NATIVE_DIGITS, ASCII_DIGITS)


def ascii_digits(text: pl.Series) -> pl.Series:
    """Persian and Arabic-Indic digits replaced by 0–9 (the same column when it has none:
    a column of ten million scores is not copied)."""
    if not text.str.contains(f"[{NATIVE_DIGITS}]").any():
        return text
    return text.str.replace_many(list(NATIVE_DIGITS), list(ASCII_DIGITS))


def ascii_text(text: str) -> str:
    """One string with Persian and Arabic-Indic digits replaced by 0–9."""
    return text.translate(_TO_ASCII)
