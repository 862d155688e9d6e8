"""Generic create/update/delete for workbook records, and grid (data editor) edits.

The domain modules (personas, vision, journeys) describe their fields and rules; this
module turns a form or a grid edit into versioned writes through the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl

from cxlib.storage.store import Change, ConflictError, Store, ValidationError

Validator = Callable[[dict[str, Any]], dict[str, Any]]


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a multi-line field (one goal, pain point… per line)."""
    return [line.strip(" \t-•*") for line in (text or "").splitlines() if line.strip(" \t-•*")]


def grid(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any]) -> pl.DataFrame:
    """Rows for a data editor with typed columns, so an empty grid still has its columns.

    Empty text cells are empty strings: the editor would print a missing value as "None".
    """
    frame = pl.DataFrame([{c: row.get(c) for c in schema} for row in rows], schema=dict(schema))
    return frame.with_columns(pl.col(pl.String).fill_null(""))


def required_text(values: dict[str, Any], field: str) -> str:
    value = (values.get(field) or "").strip()
    if not value:
        raise ValidationError(f"{field} is required", field=field, rule="required")
    return value


def save(
    store: Store,
    table: str,
    workbook_id: int,
    values: dict[str, Any],
    who: Any,
    validate: Validator,
    record_id: int | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Insert (no ``record_id``) or update one record after validating it."""
    clean = validate(dict(values))
    with store.change(who, workbook_id) as change:
        if record_id is None:
            return change.insert(table, {**clean, "workbook_id": workbook_id})
        return change.update(table, record_id, clean, expected_version)


def save_single(
    store: Store,
    table: str,
    workbook_id: int,
    values: dict[str, Any],
    who: str,
    validate: Validator,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Create or update the workbook's one record of ``table`` (vision, brand story…).

    The record is created inside the write transaction (``Change.insert_single``), never
    read first and inserted after, so people saving at once cannot collide on the UNIQUE
    key: the first creates it, the others get a ConflictError showing what was saved
    (``expected_version=None`` means "I saw none"), or update from the version they saw.
    """
    clean = validate(dict(values))
    with store.change(who, workbook_id) as change:
        created = change.insert_single(table, clean)
        if created is not None:
            return created
        current = store.list(table, "workbook_id = ?", (workbook_id,))[0]
        if expected_version is None:
            raise ConflictError(table, current["id"], 0, values, current)
        return change.update(table, current["id"], clean, expected_version)


def remove(
    store: Store, table: str, workbook_id: int, record_id: int, expected_version: int, who: Any
) -> None:
    with store.change(who, workbook_id) as change:
        change.delete(table, record_id, expected_version)


def save_grid(
    store: Store,
    table: str,
    workbook_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    who: Any,
    validate: Validator,
    fixed: dict[str, Any] | None = None,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write a data-editor edit of ``table`` as one undoable change (see apply_grid_edits)."""
    with store.change(who, workbook_id) as change:
        apply_grid_edits(
            change, table, loaded, edits, {"workbook_id": workbook_id, **(fixed or {})},
            validate, forced_versions,
        )


CellWriter = Callable[[Change, Mapping[str, Any], Mapping[str, Any], Callable[[int, int], int]], None]


def save_cells(
    store: Store,
    workbook_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]],
    who: Any,
    write: CellWriter,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write the edited cells of a fixed-rows grid (grid row → {column: value}) as one change.

    ``write(change, row, cells, version_of)`` writes one row; ``version_of(record_id,
    shown_version)`` is the version to check: the one shown, or the one the user chose to
    overwrite after a conflict. A ValidationError is tagged with the grid row (1-based).
    """
    forced = forced_versions or {}

    def version_of(record_id: int, shown: int) -> int:
        return forced.get(record_id, shown)

    with store.change(who, workbook_id) as change:
        for position, cells in edited_rows.items():
            try:
                write(change, loaded[int(position)], cells, version_of)
            except ValidationError as error:
                error.details.setdefault("row", int(position) + 1)
                raise


def apply_grid_edits(
    change: Change,
    table: str,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    fixed: dict[str, Any],
    validate: Validator,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Apply a Streamlit data-editor edit state to ``table`` inside ``change``.

    ``loaded`` are the rows as they were shown (with ``id`` and ``version``), ``edits``
    is the editor's state (``edited_rows`` by position, ``added_rows``, ``deleted_rows``),
    ``fixed`` are values every new row gets (workbook, parent). Updates use the version
    that was shown, so a row someone else saved meanwhile raises ConflictError.
    ``forced_versions`` (record id → version) lets the user keep their edit after seeing
    the conflict. A ValidationError names the grid row (1-based) and the column.
    """
    forced_versions = forced_versions or {}
    for position in sorted(edits.get("deleted_rows", []), reverse=True):
        row = loaded[position]
        change.delete(table, row["id"], forced_versions.get(row["id"], row["version"]))
    for position, changed in sorted(edits.get("edited_rows", {}).items(), key=lambda kv: int(kv[0])):
        position = int(position)
        if position in edits.get("deleted_rows", []):
            continue
        row = loaded[position]
        merged = {**row, **changed}
        with _in_row(position + 1):
            clean = validate(merged)
            change.update(table, row["id"], clean, forced_versions.get(row["id"], row["version"]))
    for offset, added in enumerate(edits.get("added_rows", [])):
        if not any(value not in (None, "") for value in added.values()):
            continue  # an empty new row the user never filled in
        with _in_row(len(loaded) + offset + 1):
            change.insert(table, {**validate(dict(added)), **fixed})


@contextmanager
def _in_row(grid_row: int) -> Iterator[None]:
    """Tag a ValidationError (a rule, or a text too long for the store) with its grid row."""
    try:
        yield
    except ValidationError as error:
        error.details.setdefault("row", grid_row)
        raise
