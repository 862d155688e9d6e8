"""A whole workbook as one JSON file, and table exports that are safe to open in Excel.

The file carries a format version so later schemas can still read old files. Importing
never touches an existing workbook: it always creates a new one, with a fresh name if the
file's name is taken. Export → import → export gives the same content (ids, versions and
timestamps aside).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cxlib.ingest.workbook_schema import check_workbook_file
from cxlib.storage import counts, schema
from cxlib.storage.store import check_lengths, now_iso, Store, ValidationError
from cxlib.storage.workbooks import get_workbook

FORMAT = "cx-strategy-workbook"
FORMAT_VERSION = 1
BOOKKEEPING = ("id", "workbook_id", "version", "updated_at", "updated_by")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns that never leave the server in an export, nor come in from a file: the vote link
# token would let anyone holding the file vote, and an open vote belongs to one live room.
SECRET = {"workshops": ("vote_token", "voting_open")}


# Columns of the bulk tables that no file import fills but that answers from survey links and
# webhooks carry; an older file without them reads as empty.
CARRIED = {kind: columns + (("touchpoint", "source") if kind == "responses" else ())
           for kind, columns in schema.IMPORTED.items()}


def export_workbook(store: Store, workbook_id: int) -> dict[str, Any]:
    """Everything in a workbook as plain data (records keep their ids for the links)."""
    workbook = get_workbook(store, workbook_id)
    tables = {
        table: [_plain(row, SECRET.get(table, ())) for row in store.list(table, "workbook_id = ?", (workbook_id,))]
        for table in schema.WORKBOOK_TABLES
    }
    imports = store.list("imports", "workbook_id = ?", (workbook_id,))
    imported = {
        kind: [dict(row) for row in store.rows(
            f"select id, import_id, {', '.join(columns)} from [{kind}] where workbook_id = ? order by id",
            (workbook_id,))]
        for kind, columns in CARRIED.items()
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now_iso(),
        "workbook": {k: workbook[k] for k in ("name", "description", "language", "currency")},
        "tables": tables,
        "imports": [_plain(row) for row in imports],
        "imported": imported,
        "followups": [_plain(row) for row in store.list("followups", "workbook_id = ?", (workbook_id,))],
    }


def _plain(row: Mapping[str, Any], leave_out: Sequence[str] = ()) -> dict[str, Any]:
    """A record without its bookkeeping, nor a survey's public link (``slug``): a link
    belongs to one workbook on one server, and an imported copy gets a link of its own.
    ``leave_out``: more columns that never travel (the vote link's token)."""
    return {k: v for k, v in row.items()
            if k not in ("workbook_id", "version", "updated_at", "updated_by", "slug", *leave_out)}


def to_json(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def read_json(content: bytes) -> dict[str, Any]:
    """Parse and check an exported file (format and version) before anything is written."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValidationError(f"not a workbook file: {type(error).__name__}", field="file", rule="format") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError("not a CX Strategy Workbook export", field="file", rule="format")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > FORMAT_VERSION:
        raise ValidationError(
            f"made by a newer version of the app (format {data.get('format_version')})",
            field="file", rule="format_version",
        )
    data = _upgrade(data)
    check_workbook_file(data)
    return data


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file up to the current format (version 1 is the first)."""
    data.setdefault("tables", {})
    data.setdefault("imports", [])
    data.setdefault("imported", {})
    data.setdefault("followups", [])
    return data


def import_workbook(store: Store, data: Mapping[str, Any], who: Any) -> dict[str, Any]:
    """Create a new workbook from an exported file (checked by :func:`read_json`), all in
    one transaction (its importer owns it): a rule the database still refuses undoes the
    whole import."""
    try:
        return _import_workbook(store, data, who)
    except sqlite3.IntegrityError as error:
        raise ValidationError(f"the file breaks a rule of the workbook: {error}", field="file",
                              rule="integrity") from None


def _import_workbook(store: Store, data: Mapping[str, Any], who: Any) -> dict[str, Any]:
    with store.change(who, None, "create") as change:
        name = _free_name(store, data["workbook"]["name"])
        workbook = change.insert("workbooks", {**data["workbook"], "name": name, "created_at": now_iso()})
        workbook_id = workbook["id"]
        change.workbook_id = workbook_id
        new_ids: dict[str, dict[int, int]] = {}
        for table, references in schema.WORKBOOK_TABLES.items():
            new_ids[table] = {}
            for row in data["tables"].get(table, []):
                values = {k: v for k, v in row.items() if k not in BOOKKEEPING and k not in SECRET.get(table, ())}
                for column, target in references.items():
                    if values.get(column) is not None:
                        values[column] = new_ids[target].get(values[column])
                new_ids[table][row["id"]] = change.insert(table, {**values, "workbook_id": workbook_id})["id"]
        import_ids = {}
        for row in data["imports"]:
            values = {k: v for k, v in row.items() if k not in BOOKKEEPING}
            import_ids[row["id"]] = change.insert("imports", {**values, "workbook_id": workbook_id})["id"]
        response_ids = {}
        for kind, columns in CARRIED.items():
            sql = (f"insert into [{kind}] (workbook_id, import_id, {', '.join(columns)}) "
                   f"values ({', '.join('?' * (len(columns) + 2))})")
            for row in data["imported"].get(kind, []):
                check_lengths(kind, row)
                cursor = store.db.conn.execute(
                    sql, (workbook_id, import_ids.get(row["import_id"]), *(row.get(c) for c in columns)))
                if kind == "responses":
                    response_ids[row["id"]] = cursor.lastrowid
        for new_id in import_ids.values():  # typed answers were counted by their row trigger
            counts.count_imported(store.db, new_id)
        for row in data["followups"]:
            values = {k: v for k, v in row.items() if k not in BOOKKEEPING}
            values["response_id"] = response_ids[values["response_id"]]
            change.insert("followups", {**values, "workbook_id": workbook_id})
    return get_workbook(store, workbook_id)


def _free_name(store: Store, name: str) -> str:
    taken = {row["name"] for row in store.rows("select name from workbooks")}
    if name not in taken:
        return name
    number = 1
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


def comparable(data: Mapping[str, Any]) -> dict[str, Any]:
    """An export with ids, names and times removed, for checking a round trip."""
    def strip(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        drop = {"id", "import_id", "response_id", "stage_id", "persona_id", "journey_id", "created_at"}
        return [{k: v for k, v in row.items() if k not in drop} for row in rows]

    return {
        "workbook": {k: v for k, v in data["workbook"].items() if k != "name"},
        "tables": {t: strip(rows) for t, rows in data["tables"].items()},
        "imports": strip(data["imports"]),
        "imported": {k: strip(rows) for k, rows in data["imported"].items()},
        "followups": strip(data["followups"]),
    }


# -- spreadsheet-safe table exports -----------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @ …) by prefixing
    a quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
           headers: Sequence[str] | None = None) -> bytes:
    """Rows as UTF-8 CSV (with a BOM, so Excel reads the encoding), formulas neutralised;
    ``headers`` name the columns in the reader's language (default: the column names)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c) for c in (headers or columns)])
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
