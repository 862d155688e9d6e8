"""The answer counts step 10 is drawn from (``response_counts`` and ``response_day_counts``,
see :mod:`cxlib.storage.schema`): read them, and count an import's answers in bulk inside
its transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlite_utils import Database

from cxlib.storage.schema import COUNT_TABLES, count_match, counted_trigger, grouped_import
from cxlib.storage.store import Store


def read(store: Store, workbook_id: int, table: str = "response_counts") -> list[tuple]:
    """Rows of ``table``'s keys (see ``COUNT_TABLES``) and n."""
    return store.tuples(
        f"SELECT {', '.join(COUNT_TABLES[table])}, n FROM {table} WHERE workbook_id = ? AND n > 0",
        (workbook_id,))


def per_metric(store: Store, workbook_id: int) -> dict[str, int]:
    """Answer rows per survey metric (nps, csat, ces; unanswered included)."""
    return dict(store.tuples(
        "SELECT metric, sum(n) FROM response_counts WHERE workbook_id = ? GROUP BY metric HAVING sum(n) > 0",
        (workbook_id,)))


def count_imported(store: Store, import_id: int, grouped: Mapping[str, list[tuple]] | None = None) -> None:
    """Add the answers of a just-inserted import to the count tables (inside the caller's
    change, on either database).

    ``grouped``, when the caller has the rows in memory, holds them already counted per
    table: (workbook_id, *keys, n), with day = the first 10 characters of ``at``; otherwise
    the import's stored rows are grouped here (slower: the database sorts them).
    """
    if store.dialect != "sqlite":
        _count_imported_postgres(store, int(import_id), grouped)
        return
    db: Database = store.db
    for table, keys in COUNT_TABLES.items():
        db.execute("DROP TABLE IF EXISTS temp.counted_import")
        if grouped is None:
            db.execute(f"CREATE TEMP TABLE counted_import AS {grouped_import(table, '?')}", (import_id,))
        else:
            db.execute(f"CREATE TEMP TABLE counted_import (workbook_id, {', '.join(keys)}, n)")
            db.conn.executemany(f"INSERT INTO temp.counted_import VALUES ({', '.join('?' * (len(keys) + 2))})",
                                grouped[table])
        db.execute(f"""UPDATE {table} SET n = {table}.n + d.n FROM temp.counted_import AS d
                       WHERE {count_match(table, 'd', keyed=False)}""")
        db.execute(f"""INSERT INTO {table} (workbook_id, {', '.join(keys)}, n)
                       SELECT d.workbook_id, {', '.join('d.' + k for k in keys)}, d.n
                       FROM temp.counted_import AS d WHERE NOT EXISTS (SELECT 1 FROM {table}
                       WHERE {count_match(table, 'd', keyed=False)})""")
        db.execute("DROP TABLE temp.counted_import")


def _count_imported_postgres(store: Store, import_id: int, grouped: Mapping[str, list[tuple]] | None) -> None:
    """The same on PostgreSQL: the delta in a temporary table (typed like the count table,
    filled by COPY when the caller grouped the rows), then one update and one insert."""
    for table, keys in COUNT_TABLES.items():
        store._write("DROP TABLE IF EXISTS pg_temp.counted_import")
        if grouped is None:
            store._write(f"CREATE TEMP TABLE counted_import ON COMMIT DROP AS {grouped_import(table, str(import_id))}")
        else:
            store._write(f"CREATE TEMP TABLE counted_import ON COMMIT DROP AS "
                         f"SELECT workbook_id, {', '.join(keys)}, n FROM {table} WITH NO DATA")
            store._copy("counted_import", ("workbook_id", *keys, "n"), grouped[table])
        store._write(f"""UPDATE {table} SET n = {table}.n + d.n FROM counted_import AS d
                         WHERE {count_match(table, 'd', keyed=False, postgres=True)}""")
        store._write(f"""INSERT INTO {table} (workbook_id, {', '.join(keys)}, n)
                         SELECT d.workbook_id, {', '.join('d.' + k for k in keys)}, d.n
                         FROM counted_import AS d WHERE NOT EXISTS (SELECT 1 FROM {table}
                         WHERE {count_match(table, 'd', keyed=False, postgres=True)})""")
        store._write("DROP TABLE counted_import")


REBUILD_FROM_ROWS = 200_000  # an import this big, into a table at most twice its size, rebuilds the indexes
REBUILD_UP_TO = 2  # (existing rows ≤ this × incoming): sorting them all is then cheaper than placing each row


@contextmanager
def bulk(store: Store, incoming: int = 0) -> Iterator[None]:
    """Inside a write transaction, insert imported answers without the row trigger that
    counts typed ones (SQLite runs its program for every row even when its WHEN is false:
    half of an import's insert time). The trigger is dropped and made again in the same
    transaction, so no other connection ever sees it missing, and a rollback restores it.
    Rows inserted in between must carry an ``import_id`` and be counted with
    :func:`count_imported`. On PostgreSQL nothing to do: the trigger's WHEN is checked
    before its function runs (and dropping it would lock the table for every workbook).

    ``incoming``: how many rows the caller will insert. A big import into a table not much
    bigger than it also drops the table's indexes and builds them again at the end, in the
    same transaction: SQLite then sorts every key once instead of placing each new row in
    three indexes (measured on a million answers: 5.7 s instead of 11.9 s). Readers keep
    their snapshot with the indexes until the commit; a failed import rolls the drop back."""
    if store.dialect != "sqlite":
        yield
        return
    db: Database = store.db
    rebuilt = _dropped_indexes(db, "responses", incoming)
    db.execute("DROP TRIGGER IF EXISTS responses_counted")
    try:
        yield
        for definition in rebuilt:
            db.execute(definition)
    finally:
        db.execute(counted_trigger())


def _dropped_indexes(db: Database, table: str, incoming: int) -> list[str]:
    """Drop ``table``'s own indexes when rebuilding them is cheaper (see :func:`bulk`);
    returns their definitions, to run again after the inserts."""
    if incoming < REBUILD_FROM_ROWS:
        return []
    existing = db.execute(f"SELECT coalesce(max(rowid), 0) - coalesce(min(rowid), 1) + 1 FROM [{table}]").fetchone()[0]
    if existing > REBUILD_UP_TO * incoming:  # an upper bound of the rows there (deleted ids leave gaps)
        return []
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                         "AND sql IS NOT NULL", (table,)).fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX [{name}]")
    return [definition for _, definition in indexes]
