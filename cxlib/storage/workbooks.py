"""Workbooks: many strategies side by side in one database (one per product, team or client)."""

from __future__ import annotations

from typing import Any

# ``who`` in these functions is the actor (see cxlib.access.roles); a Store opened without
# a policy (a laptop, a notebook) also takes a plain name.

from babel.numbers import is_currency

from cxlib.l10n.i18n import t
from cxlib.storage import counts as answer_counts
from cxlib.storage import schema
from cxlib.storage.store import ConflictError, NotFound, now_iso, Store, ValidationError


def list_workbooks(store: Store) -> list[dict[str, Any]]:
    return store.list("workbooks", order_by="name collate nocase")


def get_workbook(store: Store, workbook_id: int) -> dict[str, Any]:
    workbook = store.get("workbooks", workbook_id)
    if workbook is None:
        raise NotFound(f"workbook #{workbook_id} does not exist", table="workbooks")
    return workbook


def _clean_name(store: Store, name: str, except_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("A workbook needs a name", field="name", rule="required")
    clash = store.rows(
        "select id from workbooks where name = ? and id is not ?", (name, except_id)
    )
    if clash:
        raise ValidationError(
            f"A workbook called {name!r} already exists", field="name", rule="unique", name=name
        )
    return name


def create_workbook(
    store: Store, name: str, who: Any, description: str = "", language: str = "en", currency: str = ""
) -> dict[str, Any]:
    """Start a new, empty workbook (its maker owns it when the store checks access)."""
    with store.change(who, None, "create") as change:
        workbook = change.insert(
            "workbooks",
            {
                "name": _clean_name(store, name),
                "description": description,
                "language": language,
                "currency": _clean_currency(currency),
                "created_at": now_iso(),
            },
        )
        change.workbook_id = workbook["id"]
        # The row that holds our own scores in the competitor matrix (step 4).
        change.insert("competitors", {"workbook_id": workbook["id"], "name": t("competitors.us", language),
                                      "is_us": 1, "channels": []})
    return workbook


def rename_workbook(
    store: Store, workbook_id: int, name: str, expected_version: int, who: Any, currency: str | None = None
) -> dict[str, Any]:
    """Rename the workbook and, when given, set its currency (an ISO code, or "" for none)."""
    values = {"name": _clean_name(store, name, except_id=workbook_id)}
    if currency is not None:
        values["currency"] = _clean_currency(currency)
    with store.change(who, workbook_id, "rename") as change:
        return change.update("workbooks", workbook_id, values, expected_version)


# Offered in the workbook settings; any ISO 4217 code is accepted.
CURRENCIES = ("", "EUR", "USD", "GBP", "PLN", "AMD", "IRR")


def _clean_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code and not is_currency(code):
        raise ValidationError(f"unknown currency {code!r}", field="currency", rule="choice")
    return code


def duplicate_workbook(store: Store, workbook_id: int, new_name: str, who: Any) -> dict[str, Any]:
    """Copy a workbook and everything in it (for example to turn as-is into a to-be plan).

    Whoever may open a workbook may copy it; the copy is theirs."""
    store.require(who, "view", workbook_id)
    source = get_workbook(store, workbook_id)
    with store.change(who, None, "create") as change:
        copy = change.insert(
            "workbooks",
            {
                "name": _clean_name(store, new_name),
                "description": source["description"],
                "language": source["language"],
                "currency": source["currency"],
                "created_at": now_iso(),
            },
        )
        change.workbook_id = copy["id"]
        new_ids: dict[str, dict[int, int]] = {}
        for table, references in schema.WORKBOOK_TABLES.items():
            new_ids[table] = {}
            for record in store.list(table, "workbook_id = ?", (workbook_id,)):
                values = {k: v for k, v in record.items() if k not in ("id", "version")}
                values["workbook_id"] = copy["id"]
                for column, target in references.items():
                    if values.get(column) is not None:
                        values[column] = new_ids[target][values[column]]
                new_ids[table][record["id"]] = change.insert(table, values)["id"]
        _copy_imported_data(store, change, workbook_id, copy["id"])
    return copy


def _copy_imported_data(store: Store, change, source_id: int, target_id: int) -> None:
    """Imported answers, tickets and events come along, in bulk (one history row per import)."""
    for record in store.list("imports", "workbook_id = ?", (source_id,)):
        values = {k: v for k, v in record.items() if k not in ("id", "version")}
        new_import = change.insert("imports", {**values, "workbook_id": target_id})["id"]
        columns = ", ".join(schema.IMPORTED[record["kind"]])
        with answer_counts.bulk(store):  # imported rows: counted by count_imported below
            change.execute(
                f"insert into [{record['kind']}] (workbook_id, import_id, {columns}) "
                f"select ?, ?, {columns} from [{record['kind']}] where import_id = ?",
                (target_id, new_import, record["id"]),
            )
        if record["kind"] == "responses":
            answer_counts.count_imported(store, new_import)
    # Answers typed in by hand (no import) are ordinary records.
    for row in store.list("responses", "workbook_id = ? and import_id is null", (source_id,)):
        values = {k: v for k, v in row.items() if k not in ("id", "version")}
        change.insert("responses", {**values, "workbook_id": target_id})


def delete_workbook(store: Store, workbook_id: int, expected_version: int, who: Any) -> None:
    """Delete a workbook with all its records and history. This cannot be undone."""
    with store.change(who, workbook_id, "delete") as change:
        current = get_workbook(store, workbook_id)
        if current["version"] != expected_version:
            raise ConflictError("workbooks", workbook_id, expected_version, {}, current)
        change.execute("delete from workbooks where id = ?", (workbook_id,))
        change.touched = True


def counts(store: Store, workbook_id: int) -> dict[str, int]:
    """How many records of each kind a workbook holds."""
    return {
        table: store.rows(
            f"select count(*) as n from [{table}] where workbook_id = ?", (workbook_id,)
        )[0]["n"]
        for table in schema.WORKBOOK_TABLES
    }
