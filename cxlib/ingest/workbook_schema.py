"""The JSON Schema of a whole-workbook file, derived from the database schema itself, and
the check run on an uploaded file before anything of it is written.

Deriving the schema from the migrations (column types, NOT NULL, CHECK ranges and
choices) keeps it true as the schema grows: a new column is accepted by the file format
the day its migration lands. On top of the schema, links between records (a journey's
persona, a follow-up's answer) must point at records in the same file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from cxlib.storage import schema
from cxlib.storage.store import ValidationError

SKIPPED = ("workbook_id", "version", "updated_at", "updated_by")
_BETWEEN = re.compile(r"(\w+)\s+BETWEEN\s+(-?\d+)\s+AND\s+(-?\d+)", re.IGNORECASE)
_CHOICES = re.compile(r"(\w+)\s+IN\s*\(([^)]*)\)", re.IGNORECASE)
_TYPES = {"INTEGER": "integer", "REAL": "number", "TEXT": "string"}


def _row_schema(table: str, keep_id: bool = True) -> dict[str, Any]:
    sql, columns = schema.table_layout(table)
    ranges = {m[1]: (int(m[2]), int(m[3])) for m in _BETWEEN.finditer(sql)}
    choices = {m[1]: [c.strip().strip("'") for c in m[2].split(",")] for m in _CHOICES.finditer(sql)}
    properties: dict[str, Any] = {}
    required = []
    for column in columns:
        if column.name in SKIPPED or (column.name == "id" and not keep_id):
            continue
        if column.name in schema.JSON_COLUMNS.get(table, ()):
            properties[column.name] = {"type": ["array", "object", "null"]}
            continue
        kind = _TYPES.get(column.type.upper(), "string")
        rule: dict[str, Any] = {"type": [kind] if column.notnull else [kind, "null"]}
        if column.name in ranges:
            rule["minimum"], rule["maximum"] = ranges[column.name]
        if column.name in choices:
            rule["enum"] = choices[column.name] + ([] if column.notnull else [None])
        properties[column.name] = rule
        if column.notnull and column.default_value is None and not column.is_pk:
            required.append(column.name)
    if keep_id:
        required.insert(0, "id")
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _rows(table: str) -> dict[str, Any]:
    return {"type": "array", "items": _row_schema(table)}


@cache
def workbook_file_schema() -> dict[str, Any]:
    """The JSON Schema of an exported workbook (see :func:`cxlib.ingest.exchange.export_workbook`)."""
    imported = {kind: {"type": "array", "items": _imported_row(kind)} for kind in schema.IMPORTED}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["format", "format_version", "workbook"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "string"},
            "format_version": {"type": "integer"},
            "exported_at": {"type": ["string", "null"]},
            "workbook": {
                "type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1},
                               "description": {"type": ["string", "null"]},
                               "language": {"type": ["string", "null"]},
                               "currency": {"type": ["string", "null"]}},
            },
            "tables": {"type": "object", "additionalProperties": False,
                       "properties": {table: _rows(table) for table in schema.WORKBOOK_TABLES}},
            "imports": _rows("imports"),
            "imported": {"type": "object", "additionalProperties": False, "properties": imported},
            "followups": _rows("followups"),
        },
    }


def _imported_row(kind: str) -> dict[str, Any]:
    row = _row_schema(kind)
    row["required"] = ["id", "import_id"] + [r for r in row["required"] if r not in ("id",)]
    return row


def check_workbook_file(data: Any) -> None:
    """Refuse a file that does not fit the schema or links to records it does not hold,
    naming the path of the first bad value (e.g. ``tables/personas/0/segment_size``)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(workbook_file_schema()).iter_errors(data))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(file)"
        raise ValidationError(f"{path}: {error.message}", field=path, rule="schema",
                              name=_shown(error.instance))
    _check_links(data)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def _check_links(data: Mapping[str, Any]) -> None:
    tables = data.get("tables", {})
    ids: dict[str, set[int]] = {}
    for table, rows in tables.items():
        ids[table] = _ids(f"tables/{table}", rows)
    for table, references in schema.WORKBOOK_TABLES.items():
        for index, row in enumerate(tables.get(table, [])):
            for column, target in references.items():
                if row.get(column) is not None and row[column] not in ids.get(target, set()):
                    _dangling(f"tables/{table}/{index}/{column}", row[column])
    import_ids = _ids("imports", data.get("imports", []))
    responses: set[int] = set()
    for kind, rows in data.get("imported", {}).items():
        found = _ids(f"imported/{kind}", rows)
        if kind == "responses":
            responses = found
        for index, row in enumerate(rows):
            if row.get("import_id") is not None and row["import_id"] not in import_ids:
                _dangling(f"imported/{kind}/{index}/import_id", row["import_id"])
    for index, row in enumerate(data.get("followups", [])):
        if row.get("response_id") not in responses:
            _dangling(f"followups/{index}/response_id", row.get("response_id"))


def _ids(path: str, rows: list[Mapping[str, Any]]) -> set[int]:
    seen: set[int] = set()
    for index, row in enumerate(rows):
        if row["id"] in seen:
            raise ValidationError(f"{path}/{index}/id: duplicate id", field=f"{path}/{index}/id", rule="schema",
                                  name=_shown(row["id"]))
        seen.add(row["id"])
    return seen


def _dangling(path: str, value: Any) -> None:
    raise ValidationError(f"{path}: points at a record the file does not hold", field=path, rule="dangling",
                          name=_shown(value))
