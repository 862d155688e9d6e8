"""The longest text each stored field may hold, checked on every write path.

One place for the numbers, so forms, grids, file imports and workbook files refuse the
same values with the same message. Why limits at all: a 10 MB brand name imports fine,
then becomes a chart legend and takes the server down while the report is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from cxlib.storage.schema import JSON_COLUMNS

SHORT = 200  # names, labels, categories: they end up in legends, axes and grid headers
LONG = 5_000  # free text: goals, quotes, comments, statements, a mention's text
LISTS = 500_000  # JSON columns (channels, agenda, a vote's ranking of many items) as stored text

SHORT_COLUMNS = frozenset({
    "name", "role", "segment", "team", "kpi", "unit", "brand", "platform", "author", "stage",
    "channel", "customer", "persona", "owner", "kind", "factor", "touchpoint", "voter", "step",
    "metric", "page", "feature", "user", "currency", "language", "current_step", "vote_token",
    "trigger", "status", "date", "at", "created", "resolved", "last_review", "step_started_at",
    "created_at", "updated_at", "updated_by", "owner_team",
})
# A vote item is "stage: one line of its pain points", so it may be as long as both.
WIDER = {"item": SHORT + 2 + LONG}


def max_length(table: str, column: str) -> int:
    """The most characters ``column`` of ``table`` may hold."""
    if column in JSON_COLUMNS.get(table, ()):
        return LISTS
    if column in WIDER:
        return WIDER[column]
    return SHORT if column in SHORT_COLUMNS else LONG


def first_too_long(table: str, values: Mapping[str, Any]) -> tuple[str, int] | None:
    """The first text field of a record longer than it may be, with its maximum, or None.

    The store's write path (:class:`cxlib.storage.store.Change`) refuses such a record."""
    for column, value in values.items():
        if isinstance(value, str) and len(value) > max_length(table, column):
            return column, max_length(table, column)
    return None


def too_long(table: str, frame: pl.DataFrame) -> tuple[str, int, list[int]] | None:
    """The first text column of ``frame`` with cells longer than allowed, its maximum and
    the positions of those cells (at most five), or None; vectorised for imports of a
    million rows."""
    for column, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        limit = max_length(table, column)
        positions = (frame[column].str.len_chars() > limit).arg_true().head(5).to_list()
        if positions:
            return column, limit, positions
    return None
