"""The answer counts step 10 is drawn from (``response_counts``, see :mod:`cxlib.storage.schema`):
read them, and count an import's answers in bulk inside its transaction."""

from __future__ import annotations

from sqlite_utils import Database

from cxlib.storage.schema import count_match, grouped_import, RESPONSE_COUNT_KEYS
from cxlib.storage.store import Store


def read(store: Store, workbook_id: int) -> list[tuple]:
    """Rows of (metric, scale, month 'YYYY-MM', segment, persona, stage, channel, score, n)."""
    return store.db.conn.execute(
        f"SELECT {', '.join(RESPONSE_COUNT_KEYS)}, n FROM response_counts WHERE workbook_id = ? AND n > 0",
        (workbook_id,)).fetchall()


def count_imported(db: Database, import_id: int, grouped: list[tuple] | None = None) -> None:
    """Add the answers of a just-inserted import to ``response_counts`` (inside the
    caller's transaction).

    ``grouped``, when the caller has the rows in memory, holds them already counted:
    (workbook_id, metric, scale, month, segment, persona, stage, channel, score, n), with
    month = the first 7 characters of ``at``; otherwise the import's stored rows are
    grouped here (slower: SQLite sorts them).
    """
    db.execute("DROP TABLE IF EXISTS temp.counted_import")
    if grouped is None:
        db.execute(f"CREATE TEMP TABLE counted_import AS {grouped_import('?')}", (import_id,))
    else:
        db.execute(f"CREATE TEMP TABLE counted_import (workbook_id, {', '.join(RESPONSE_COUNT_KEYS)}, n)")
        db.conn.executemany(f"INSERT INTO temp.counted_import VALUES ({', '.join('?' * (len(RESPONSE_COUNT_KEYS) + 2))})",
                            grouped)
    db.execute(f"""UPDATE response_counts SET n = response_counts.n + d.n FROM temp.counted_import AS d
                   WHERE {count_match('d', keyed=False)}""")
    db.execute(f"""INSERT INTO response_counts (workbook_id, {', '.join(RESPONSE_COUNT_KEYS)}, n)
                   SELECT d.workbook_id, {', '.join('d.' + k for k in RESPONSE_COUNT_KEYS)}, d.n
                   FROM temp.counted_import AS d WHERE NOT EXISTS (SELECT 1 FROM response_counts
                   WHERE {count_match('d', keyed=False)})""")
    db.execute("DROP TABLE temp.counted_import")
