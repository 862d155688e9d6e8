"""Move a whole instance between databases: SQLite file → PostgreSQL, or back.

``python -m cxlib.storage.move SOURCE TARGET`` (each a file path or a ``postgresql://``
URL) copies every table (workbooks, their records, history, accounts, grants, sign-in
sessions, the server's signing secret) with their ids, so history, undo, survey links and
sign-in cookies keep working on the target. It refuses a target that holds anything
already, and writes everything in one transaction on the target: when a row is refused or
the counts and history read back differ from the source, nothing stays there (no half
copy). The source is read at one moment; it is only read (and brought to the current
schema, as opening it in the app would).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from typing import Any

from cxlib.storage import schema
from cxlib.storage.store import DatabaseUnavailable, Store, StoreError

CHUNK = 20_000
# Kept by triggers from the answers: rebuilt on the target, then compared.
DERIVED = tuple(schema.COUNT_TABLES)
# Made by a migration on every new database (the signing secret): replaced by the source's.
SEEDED = ("server_secrets",)


class MoveRefused(StoreError):
    """The move did not happen (the target is untouched): ``reason`` says why."""

    key = "error.move_refused"


def _layout() -> tuple[list[str], dict[str, list[str]]]:
    """The tables parents first (foreign keys), and their columns, read from the schema
    as the migrations build it (the same on both databases)."""
    db = schema.reference()
    names = [t for t in db.table_names() if t not in ("_sqlite_migrations", "sqlite_sequence")]
    parents = {t: {fk.other_table for fk in db[t].foreign_keys if fk.other_table != t} for t in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [t for t in names if t not in ordered and parents[t] <= set(ordered)]
        if not ready:
            raise RuntimeError("circular foreign keys")
        ordered.extend(sorted(ready))
    return ordered, {t: [c.name for c in db[t].columns] for t in names}


def _quoted(columns: list[str]) -> str:
    return ", ".join(f"[{c}]" for c in columns)


def _fingerprint(store: Store, table: str, columns: list[str]) -> tuple[int, str]:
    """How many rows a table holds and a digest of every value, in id order where there is one."""
    digest = hashlib.sha256()
    if "id" in columns:
        found = store.tuples(f"select {_quoted(columns)} from [{table}] order by id")
        shown = [repr(tuple(_plain(v) for v in row)) for row in found]
    else:  # no id: sorted here (the two databases may sort text differently)
        found = store.tuples(f"select {_quoted(columns)} from [{table}]")
        shown = sorted(repr(tuple(_plain(v) for v in row)) for row in found)
    for row in shown:
        digest.update(row.encode())
    return len(shown), digest.hexdigest()


def _plain(value: Any) -> Any:
    """Values as both databases give them back (PostgreSQL's double 3.0 is SQLite's 3.0)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def move(source: Store, target: Store, say=print) -> dict[str, int]:
    """Copy everything from ``source`` to ``target`` in one transaction on the target;
    rows per table. MoveRefused (the target unchanged) when the target is not empty or the
    copy does not read back the same."""
    if str(source.path) == str(target.path):
        raise MoveRefused("the source and the target are the same database", reason="same")
    ordered, columns = _layout()
    try:
        return _move(source, target, ordered, columns, say)
    except _database_errors() as error:  # a row the target refuses: all of it rolled back
        detail = " ".join(str(error).split())
        raise MoveRefused(f"the target refused the copy ({detail}); nothing was kept", reason="refused") from None


def _database_errors() -> tuple[type[Exception], ...]:
    import sqlite3

    import psycopg

    return (sqlite3.Error, psycopg.Error)


def _move(source: Store, target: Store, ordered: list[str], columns: dict[str, list[str]], say) -> dict[str, int]:
    copied: dict[str, int] = {}
    with source.transaction(snapshot=True), target.transaction():
        busy = [t for t in ordered if t not in SEEDED + DERIVED
                and target.rows(f"select count(*) as n from [{t}]")[0]["n"]]
        if busy:
            raise MoveRefused(f"the target already holds data ({', '.join(busy)}); move into an empty database",
                              reason="not_empty", tables=busy)
        for table in SEEDED:
            target._write(f"delete from [{table}]")
        for table in ordered:
            if table in DERIVED:
                continue
            names = columns[table]
            count = 0
            if "id" in names:
                last = None
                while True:
                    where, params = ("where id > ? ", (last,)) if last is not None else ("", ())
                    chunk = source.tuples(f"select {_quoted(names)} from [{table}] {where}order by id limit {CHUNK}",
                                          params)
                    if not chunk:
                        break
                    target.bulk_insert(table, tuple(names), chunk)
                    count += len(chunk)
                    last = chunk[-1][names.index("id")]
                target.restart_ids(table)
            else:
                chunk = source.tuples(f"select {_quoted(names)} from [{table}]")
                target.bulk_insert(table, tuple(names), chunk)
                count = len(chunk)
            copied[table] = count
            say(f"{table}: {count}")
        _rebuild_counts(target)
        for table in ordered:
            if _fingerprint(source, table, columns[table]) != _fingerprint(target, table, columns[table]):
                raise MoveRefused(f"{table} does not read back as it was in the source; nothing was kept",
                                  reason="differs", table=table)
    return copied


def _rebuild_counts(store: Store) -> None:
    """The answer counts from the copied answers (the triggers counted the typed ones as
    they arrived; imported ones are counted in bulk): all of them, from scratch, as the
    migration that made the count tables did."""
    for table, keys in schema.COUNT_TABLES.items():
        keyed = ", ".join(schema._count_key(k, "r") for k in keys)
        store._write(f"delete from {table}")
        store._write(f"insert into {table} (workbook_id, {', '.join(keys)}, n) "
                     f"select r.workbook_id, {keyed}, count(*) from responses r group by r.workbook_id, {keyed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxlib.storage.move",
                                     description="Copy every workbook, account and its history from one "
                                                 "database to another (an empty one): SQLite ↔ PostgreSQL.")
    parser.add_argument("source", help="a SQLite file or a postgresql:// URL")
    parser.add_argument("target", help="an empty SQLite file or PostgreSQL database (created/migrated if new)")
    args = parser.parse_args(argv)
    try:
        source, target = Store(args.source), Store(args.target)
        copied = move(source, target)
    except (DatabaseUnavailable, MoveRefused) as error:
        print(f"Not moved: {error}", file=sys.stderr)
        return 2
    print(f"Moved {sum(copied.values())} rows from {source.label} to {target.label}; "
          "counts and history read back the same.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
