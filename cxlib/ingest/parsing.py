"""Errors about a user's file that name its line and column, in the user's language.

Dates are read by :mod:`cxlib.ingest.dates`, files by :mod:`cxlib.ingest.importers` and
:mod:`cxlib.ingest.pipeline`; all of them refuse with :class:`FileError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


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
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and name != "count":
                value = fmt.digits(str(value))  # a line number as it is; a count stays a number for its plural form
            values[name] = value
        return t(f"file_error.{self.code}", language, **values)


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself a catalogue key (translated when shown)."""

    key: str
