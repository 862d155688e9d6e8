"""The one write path to a workbook database.

Every write goes through :meth:`Store.change`, which takes a process-wide lock for the
database file, opens ``BEGIN IMMEDIATE`` (so a second process waits on SQLite's busy
timeout instead of failing half-way), checks record versions, writes a history row for
each changed record and commits, or rolls everything back.

Reads use one connection per thread; SQLite runs in WAL mode so readers never block the
writer. The schema is built by :mod:`cxlib.storage.schema` migrations when the store opens.

``CXW_DB`` (or the target a Store is given) is a file path (SQLite) or a
``postgresql://`` URL: then connections come from a pool per process, and every change
locks its workbook's row first, so several server processes never lose one another's
saves (:mod:`cxlib.storage.postgres`). The API is the same on both.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from cxlib.storage import limits, postgres, schema

BUSY_TIMEOUT_MS = 30_000
SQLITE_PARAMETERS = 999  # the fewest parameters one SQLite statement may take (builds before 3.32)
DEFAULT_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "workbook.db"

_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()
_held_locks = threading.local()  # per thread: ids of the file locks it holds

# Columns every versioned record carries; kept out of "before/after" comparisons.
BOOKKEEPING = ("id", "version", "updated_at", "updated_by")

# Tables of the live workshop: participants' votes and the presenter's screen. A change
# that touches only these is never what the sidebar's Undo offers (a facilitator's Undo
# must not remove a participant's vote or jump the shared screen back by surprise); the
# history list can still undo one by name.
LIVE_TABLES = frozenset({"votes", "workshops"})


def default_db_path() -> Path | str:
    """The database: ``CXW_DB`` if set (a file, or a ``postgresql://`` URL, kept as text),
    else ``data/workbook.db`` in the project."""
    target = os.environ.get("CXW_DB")
    if postgres.is_url(target):
        return target
    return Path(target or DEFAULT_DB_PATH)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """Base class for errors a user can act on; ``key`` names an i18n message."""

    key = "error.store"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.details = details


class DatabaseUnavailable(StoreError):
    """The configured database cannot be used: unreachable, refused the login, or migrated
    by a newer version of the app. Said once, at start, in words (``reason``)."""

    key = "error.database_unavailable"


class NotFound(StoreError):
    key = "error.not_found"


class ValidationError(StoreError):
    """Input that breaks a rule; ``field`` names the offending field."""

    key = "error.validation"

    def __init__(self, message: str, field: str | None = None, **details: Any):
        super().__init__(message, field=field, **details)
        self.field = field


class ConflictError(StoreError):
    """An update or delete started from an older version than the stored one.

    ``mine`` holds the values the caller tried to write, ``theirs`` the record as it is now
    (``None`` when it was deleted meanwhile), so the user can choose between them.
    """

    key = "error.conflict"

    def __init__(
        self,
        table: str,
        record_id: int,
        expected_version: int,
        mine: dict[str, Any],
        theirs: dict[str, Any] | None,
    ):
        current = theirs["version"] if theirs else None
        super().__init__(
            f"{table} #{record_id} was changed by someone else "
            f"(you started from version {expected_version}, it is now {current})"
        )
        self.table = table
        self.record_id = record_id
        self.expected_version = expected_version
        self.mine = mine
        self.theirs = theirs


class UndoBlocked(StoreError):
    """Undo refused, nothing written: ``reason`` says why.

    ``changed_since``: someone (``who``, at ``at``) changed a record of that change
    afterwards (``action`` on ``table``, record ``record``); ``undone``: it was undone
    already (by ``who`` at ``at``); ``creation``: creating a workbook is not undoable;
    ``parent_gone``: what it would bring back belonged to a record deleted since;
    ``sharing``: sharing (grants) is not undoable, share again instead.
    """

    key = "error.undo_blocked"

    def __init__(self, reason: str, **details: Any):
        super().__init__(f"cannot undo: {reason} {details}", reason=reason, **details)
        self.reason = reason


def check_lengths(table: str, values: dict[str, Any]) -> None:
    """ValidationError (rule ``too_long``, naming the field and its maximum) when a text
    value is longer than :mod:`cxlib.storage.limits` allows; every write checks it."""
    found = limits.first_too_long(table, values)
    if found:
        column, limit = found
        raise ValidationError(f"{column} is longer than {limit} characters", field=column, rule="too_long",
                              max=limit)


class Forbidden(StoreError):
    """The acting person may not do this to this workbook (see :mod:`cxlib.access.roles`)."""

    key = "error.forbidden"


class Policy(Protocol):
    """The permission check a Store is handed when it is opened.

    Storage does not know who people are or what roles mean (that is ``cxlib.access``);
    it only asks, inside every write, before touching the database.
    """

    def allowed(self, store: "Store", who: Any, action: str, workbook_id: int | None) -> bool:
        """May ``who`` do ``action`` (create, edit, vote, rename, share, delete…) here?"""

    def created(self, change: "Change", who: Any, workbook_id: int) -> None:
        """A workbook was just made by ``who`` inside ``change`` (record its owner)."""


def actor_name(who: Any) -> str:
    """The name history shows for the one acting: an actor's ``name``, or the text given."""
    return str(getattr(who, "name", None) or who or "anonymous")


def _lock_for(path: Path) -> threading.Lock:
    key = str(path.resolve())
    with _write_locks_guard:
        return _write_locks.setdefault(key, threading.Lock())


def _decode(table: str, row: dict[str, Any] | None) -> dict[str, Any] | None:
    """Turn JSON text columns of a row back into Python lists/dicts."""
    if row is None:
        return None
    for column in schema.JSON_COLUMNS.get(table, ()):
        value = row.get(column)
        if isinstance(value, str):
            row[column] = json.loads(value) if value else []
    return row


def _encode(table: str, values: dict[str, Any]) -> dict[str, Any]:
    encoded = dict(values)
    for column in schema.JSON_COLUMNS.get(table, ()):
        if column in encoded and not isinstance(encoded[column], str):
            encoded[column] = json.dumps(encoded[column] or [], ensure_ascii=False)
    return encoded


class Store:
    """A workbook database file: thread-local connections and a serialised write path.

    ``policy`` answers "may this actor do this?" for every write. Without one the store is
    open (one person's file on a laptop, or a notebook): any ``who`` may write. The app and
    a shared server open it with :data:`cxlib.access.roles.ACCESS`, which accepts only
    actors with the right role.
    """

    def __init__(self, path: str | Path | None = None, policy: Policy | None = None):
        target = path if path else default_db_path()
        self.policy = policy
        self._local = threading.local()
        if postgres.is_url(str(target)):
            self.dialect = "postgres"
            self.path = str(target)
            self._open_postgres()
            return
        self.dialect = "sqlite"
        self.path = Path(target)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_for(self.path)
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                schema.migrations.apply(db)
            except BaseException:
                db.conn.rollback()
                raise
            db.execute("COMMIT")
        newer = [m["name"] for m in self.rows(
            "select name from _sqlite_migrations where migration_set = ?", (schema.migrations.name,))
            if m["name"] not in {known.name for known in schema.migrations._migrations}]
        if newer:
            raise DatabaseUnavailable(f"{self.path} was migrated by a newer version of the app ({', '.join(newer)})",
                                      reason="newer", target=str(self.path))

    @property
    def label(self) -> str:
        """The database as it may be shown: the file, or the URL without its password."""
        return postgres.safe_url(self.path) if self.dialect == "postgres" else str(self.path)

    def _open_postgres(self) -> None:
        """Check the server, migrate it (once, whoever starts first) and open the pool."""
        shown = postgres.safe_url(self.path)
        try:
            postgres.check(self.path)
            postgres.migrate(self.path, schema.migrations, schema.POSTGRES_TRIGGERS)
            self._pool = postgres.pool(self.path)
        except postgres.Unavailable as error:
            raise DatabaseUnavailable(str(error), reason="unreachable", target=shown) from None
        except postgres.NewerDatabase as error:
            raise DatabaseUnavailable(f"{shown} was migrated by a newer version of the app ({error})",
                                      reason="newer", target=shown) from None

    # -- connections -------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's SQLite connection, opened on first use (SQLite only: code outside
        this module uses :meth:`rows` and the :class:`Change` methods, which serve both)."""
        if self.dialect != "sqlite":
            raise TypeError("Store.db is the SQLite connection; use rows() and Change methods")
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection (other threads close theirs on exit); on
        PostgreSQL, let go of the process's pool (closed when no store uses it)."""
        if self.dialect != "sqlite":
            if getattr(self, "_pool", None) is not None:
                self._pool = None
                postgres.release(self.path)
            return
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- reads -------------------------------------------------------------------------

    def rows(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        if self.dialect == "sqlite":
            return [dict(row) for row in self.db.query(sql, params)]
        return self._pg_execute(sql, params, lambda cursor: cursor.fetchall() if cursor.description else [])

    def tuples(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows as tuples, in the order of the query's columns (for data frames)."""
        if self.dialect == "sqlite":
            return self.db.conn.execute(sql, params).fetchall()
        return self._pg_execute(sql, params, lambda cursor: [tuple(row.values()) for row in cursor.fetchall()])

    def frame(self, sql: str, params: tuple, schema: dict[str, Any]) -> Any:
        """Rows as a polars frame of ``schema`` (column name → dtype, in the query's order).
        On PostgreSQL, outside a change, read through ADBC (Arrow columns, several times
        faster for big frames); inside a change, through its transaction."""
        if self.dialect == "sqlite" or getattr(self._local, "pg", None) is not None:
            import polars as pl

            return pl.DataFrame(self.tuples(sql, params), schema=list(schema.items()), orient="row")
        return postgres.read_frame(self.path, sql, params, schema)

    def _pg_execute(self, sql: str, params: tuple | dict, read: Any) -> Any:
        """Run one statement on PostgreSQL: inside this thread's change when there is one
        (its transaction, its locks), else on a pooled connection."""
        text = postgres.sql(sql, with_params=bool(params), named=isinstance(params, dict))
        conn = getattr(self._local, "pg", None)
        if conn is not None:
            return read(conn.execute(text, params or None))
        with self._pool.connection() as conn:
            return read(conn.execute(text, params or None))

    def ping(self) -> bool:
        """Whether the database answers now (the balancer's health check)."""
        try:
            return self.rows("select 1 as ok")[0]["ok"] == 1
        except Exception:  # any failure to answer is "not healthy", said by the caller
            return False

    @property
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        """What the database raises when a write breaks a constraint (either backend)."""
        import psycopg

        return (sqlite3.IntegrityError, psycopg.IntegrityError)

    def get(self, table: str, record_id: int) -> dict[str, Any] | None:
        found = self.rows(f"select * from [{table}] where id = ?", (record_id,))
        return _decode(table, found[0]) if found else None

    def list(
        self, table: str, where: str = "", params: tuple = (), order_by: str = "id"
    ) -> list[dict[str, Any]]:
        sql = f"select * from [{table}]"
        if where:
            sql += f" where {where}"
        sql += f" order by {order_by}"
        return [_decode(table, row) for row in self.rows(sql, params)]

    # -- the write path ----------------------------------------------------------------

    def allowed(self, who: Any, action: str, workbook_id: int | None) -> bool:
        """Whether the policy lets ``who`` do ``action`` to the workbook (always, when open)."""
        return self.policy is None or bool(self.policy.allowed(self, who, action, workbook_id))

    def require(self, who: Any, action: str, workbook_id: int | None) -> None:
        """Raise Forbidden unless ``who`` may do ``action`` to the workbook."""
        if not self.allowed(who, action, workbook_id):
            raise Forbidden(
                f"{actor_name(who)} may not {action} workbook #{workbook_id}",
                action=action, workbook_id=workbook_id,
            )

    @contextmanager
    def change(
        self, who: Any, workbook_id: int | None, action: str = "edit"
    ) -> Iterator["Change"]:
        """One user action: a serialised ``BEGIN IMMEDIATE`` transaction with history.

        The policy is asked first (``action`` on ``workbook_id`` by ``who``, an actor), so
        nothing is written for someone who may not. Everything written inside the block is
        committed together, or not at all, and is undone together by :meth:`undo_change`.
        """
        if self.dialect != "sqlite":
            with self._postgres_change(who, workbook_id, action) as change:
                yield change
            return
        with self._sqlite_transaction("BEGIN IMMEDIATE") as db:
            self.require(who, action, workbook_id)
            change = Change(self, who, workbook_id)
            yield change
            if change.workbook_id is not None and change.touched:
                db.execute("update workbooks set data_version = data_version + 1 where id = ?", (change.workbook_id,))

    @contextmanager
    def _sqlite_transaction(self, begin: str) -> Iterator[sqlite_utils.Database]:
        """One SQLite transaction under this file's lock: committed at the end of the
        block, rolled back on any error."""
        db = self.db
        held = _held_locks.__dict__.setdefault("ids", set())
        if id(self._lock) in held:  # the file's lock is not re-entrant (any Store of this file): say so, never hang
            raise RuntimeError("a change is already open on this thread")
        with self._lock:
            held.add(id(self._lock))
            try:
                db.execute(begin)
                try:
                    yield db
                except BaseException:
                    db.conn.rollback()
                    raise
                db.execute("COMMIT")
            finally:
                held.discard(id(self._lock))

    @contextmanager
    def _postgres_transaction(self) -> Iterator[Any]:
        """One PostgreSQL transaction on a pooled connection, this thread's own while it
        runs: committed at the end of the block, rolled back on any error."""
        if getattr(self._local, "pg", None) is not None:
            raise RuntimeError("a change is already open on this thread")
        with self._pool.connection() as conn:
            self._local.pg = conn
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            finally:
                self._local.pg = None
            conn.commit()

    @contextmanager
    def _postgres_change(self, who: Any, workbook_id: int | None, action: str) -> Iterator["Change"]:
        """:meth:`change` on PostgreSQL: READ COMMITTED, and the workbook's row locked first,
        so one change per workbook runs at a time across every server process."""
        with self._postgres_transaction() as conn:
            if workbook_id is not None:
                conn.execute("select 1 from workbooks where id = %s for no key update", (workbook_id,))
            else:
                conn.execute("select pg_advisory_xact_lock(%s)", (postgres.CREATE_LOCK,))
            self.require(who, action, workbook_id)
            change = Change(self, who, workbook_id)
            yield change
            if change.workbook_id is not None and change.touched:
                conn.execute("update workbooks set data_version = data_version + 1 where id = %s",
                             (change.workbook_id,))

    @contextmanager
    def transaction(self, snapshot: bool = False) -> Iterator["Store"]:
        """A raw transaction for whole-database work (the move command), not one user's
        change: no history rows, no access check. ``snapshot``: reads see one moment of the
        database (others may write meanwhile). Writes inside use the store's own helpers;
        it commits at the end of the block, or rolls everything back."""
        if self.dialect == "sqlite":
            with self._sqlite_transaction("BEGIN" if snapshot else "BEGIN IMMEDIATE"):
                yield self
            return
        with self._postgres_transaction() as conn:
            if snapshot:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            else:
                conn.execute("select pg_advisory_xact_lock(%s)", (postgres.CREATE_LOCK,))
            yield self

    def bulk_insert(self, table: str, columns: tuple[str, ...], rows: Any) -> None:
        """Rows with their ids as given, inside :meth:`transaction` (the move command)."""
        if self.dialect == "sqlite":
            names = ", ".join(f"[{c}]" for c in columns)
            self.db.conn.executemany(
                f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))})", rows)
        else:
            self._copy(table, columns, rows)

    def restart_ids(self, table: str) -> None:
        """After rows were copied with their ids: new rows continue after the highest one
        (PostgreSQL's identity; SQLite's AUTOINCREMENT follows by itself)."""
        if self.dialect != "sqlite":
            self._write(f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((select max(id) from [{table}]), 0) + 1, false)")

    # -- writes inside a change (both backends) ----------------------------------------

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """One INSERT statement, its new id (lists and dicts stored as JSON text): on SQLite
        without the statements sqlite-utils' ``Table.insert`` runs around each insert to
        look the table up (a third of a webhook answer's time); on PostgreSQL ``RETURNING id``."""
        columns = ", ".join(f"[{column}]" for column in row)
        values = [json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, tuple)) else v for v in row.values()]
        sql = f"insert into [{table}] ({columns}) values ({', '.join('?' * len(row))})"
        if self.dialect == "sqlite":
            return self.db.execute(sql, values).lastrowid
        return self.rows(sql + " returning id", tuple(values))[0]["id"]

    def _update(self, table: str, record_id: int, record: dict[str, Any]) -> None:
        if self.dialect == "sqlite":
            self.db[table].update(record_id, record)
            return
        columns = ", ".join(f"[{c}] = ?" for c in record)
        values = [json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, tuple)) else v
                  for v in record.values()]  # as sqlite-utils' update does on the SQLite side
        self._write(f"update [{table}] set {columns} where id = ?", (*values, record_id))

    def _copy(self, table: str, columns: tuple[str, ...], rows: Any) -> None:
        """Bulk rows into ``table`` inside the open change (PostgreSQL's COPY)."""
        postgres.copy_rows(self._local.pg, table, columns, rows)

    def _write(self, sql: str, params: tuple = ()) -> int:
        """One write statement inside the open change; the number of rows it touched."""
        if self.dialect == "sqlite":
            return self.db.execute(sql, params).rowcount
        return self._pg_execute(sql, params, lambda cursor: cursor.rowcount)

    # -- history and undo --------------------------------------------------------------

    def history(self, workbook_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The latest history rows of a workbook, newest first."""
        return _with_values(self.rows(
            "select * from history where workbook_id = ? order by id desc limit ?",
            (workbook_id, limit),
        ))

    def _change_rows(self, change_id: str) -> list[dict[str, Any]]:
        """The history rows of one change, in the order they were written."""
        return _with_values(self.rows("select * from history where change_id = ? order by id", (change_id,)))

    def changes(self, workbook_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The newest changes of a workbook, newest first, one entry per user action:
        ``change_id``, ``who``, ``at``, ``undone_at``, ``rows`` (its history rows), ``main``
        (the row that names it best) and ``undoable`` (not undone, not a creation, not an
        undo itself, not sharing)."""
        latest = self.rows(
            "select change_id, max(id) as last from history where workbook_id = ? "
            "group by change_id order by last desc limit ?",
            (workbook_id, limit),
        )
        found = []
        for entry in latest:
            rows = self._change_rows(entry["change_id"])
            head = main_row(rows)
            found.append({
                "change_id": entry["change_id"],
                "who": head["who"],
                "at": head["at"],
                "undone_at": head["undone_at"],
                "rows": rows,
                "main": head,
                "undoable": head["undone_at"] is None and not _is_creation(rows)
                and not head["action"].startswith("undo_")
                and not any(r["table_name"] == "grants" for r in rows),
            })
        return found

    def last_change(self, workbook_id: int, skip_live: bool = False) -> list[dict[str, Any]]:
        """The history rows of the newest change that has not been undone.

        Creating a workbook (empty, from the demo or as a copy) is not undoable: delete
        the workbook instead. ``skip_live`` passes over changes that touch only the live
        workshop (votes, the presenter's screen): what the sidebar's Undo offers.
        Sharing is not undoable either (undo is an editor's action, sharing an owner's):
        share again to change it.
        """
        live = sorted(LIVE_TABLES) if skip_live else []
        marks = ", ".join("?" * len(live))
        # Walked from the newest row, each row's change checked through its own rows (the
        # change_id index): the sidebar asks on every run of every page, and building the
        # list of all the workbook's changes first cost a scan of its whole history.
        latest = self.rows(
            "select change_id from history as h where workbook_id = ? and undone_at is null "
            "and not exists (select 1 from history as o where o.change_id = h.change_id and o.workbook_id = ? "
            "and ((o.table_name = 'workbooks' and o.action = 'insert') or o.table_name = 'grants')) "
            + (f"and exists (select 1 from history as o where o.change_id = h.change_id and o.workbook_id = ? "
               f"and o.table_name not in ({marks})) " if live else "")
            + "order by id desc limit 1",
            (workbook_id, workbook_id, *((workbook_id, *live) if live else ())),
        )
        return self._change_rows(latest[0]["change_id"]) if latest else []

    def undo_last(self, workbook_id: int, who: Any) -> list[dict[str, Any]]:
        """Reverse the newest change of a workbook; returns its history rows ([] if none).

        Kept for scripts and notebooks; the app undoes a change by its id
        (:meth:`undo_change`), so a click never reverts someone else's newer edit.
        """
        rows = self.last_change(workbook_id)
        return self.undo_change(workbook_id, rows[0]["change_id"], who) if rows else []

    def undo_change(self, workbook_id: int, change_id: str, who: Any) -> list[dict[str, Any]]:
        """Reverse one named change of a workbook; returns its history rows.

        Refuses with :class:`UndoBlocked` (naming who changed what, and when) if a record
        of that change has been changed since by a change that still stands, or if it
        would remove a record that others have since hung records on; ConflictError if a
        record was changed outside the history. Nothing is written when it refuses.
        """
        with self.change(who, workbook_id) as change:
            rows = [r for r in self._change_rows(change_id) if r["workbook_id"] == workbook_id]
            if not rows:
                raise NotFound(f"change {change_id} is not in workbook #{workbook_id}", table="history")
            head = main_row(rows)
            if head["undone_at"] is not None:
                raise UndoBlocked("undone", who=head["undone_by"], at=head["undone_at"])
            if _is_creation(rows) or head["action"].startswith("undo_"):
                raise UndoBlocked("creation", who=head["who"], at=head["at"])
            if any(r["table_name"] == "grants" for r in rows):
                # Undo is an editor's action, sharing an owner's: share again instead.
                raise UndoBlocked("sharing", who=head["who"], at=head["at"])
            self._refuse_if_touched_since(change_id, rows)
            for row in reversed(rows):
                change.revert(row)
            # The undo's own rows are marked too, so it is not itself offered for undo.
            self._write(
                "update history set undone_at = ?, undone_by = ? where change_id in (?, ?)",
                (change.at, change.who, change_id, change.change_id),
            )
        return rows

    def _refuse_if_touched_since(self, change_id: str, rows: list[dict[str, Any]]) -> None:
        """UndoBlocked when a later change that still stands touched one of these records,
        or hung a record on one that undo would remove."""
        last_id = rows[-1]["id"]
        own = {(r["table_name"], r["record_id"]) for r in rows}
        for table, record_id in own:
            later = self.rows(
                "select * from history where table_name = ? and record_id = ? and id > ? "
                "and change_id != ? and undone_at is null order by id limit 1",
                (table, record_id, last_id, change_id),
            )
            if later:
                raise _blocked_by(later[0])
        for row in rows:
            if row["action"] != "insert":
                continue
            for child_table, foreign_key in schema.CHILDREN.get(row["table_name"], ()):
                for child in self.rows(
                    f"select id from [{child_table}] where [{foreign_key}] = ?", (row["record_id"],)
                ):
                    if (child_table, child["id"]) in own:
                        continue
                    added = self.rows(
                        "select * from history where table_name = ? and record_id = ? "
                        "order by id desc limit 1", (child_table, child["id"]),
                    )
                    raise _blocked_by(added[0]) if added else UndoBlocked("changed_since", table=child_table)


def _is_creation(rows: list[dict[str, Any]]) -> bool:
    return any(r["table_name"] == "workbooks" and r["action"] == "insert" for r in rows)


def record_label(row: dict[str, Any]) -> str:
    """A short name for the record of a history row (its name, title or text)."""
    values = row.get("after") or row.get("before") or {}
    for column in ("name", "statement", "text", "item", "action", "story", "goal"):
        if values.get(column):
            return str(values[column])
    return ""


def _with_values(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History rows with ``before`` and ``after`` decoded from JSON."""
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    return rows


def _blocked_by(row: dict[str, Any]) -> UndoBlocked:
    """The refusal naming a later history row (as read from the table) that blocks undo."""
    row = _with_values([dict(row)])[0]
    return UndoBlocked("changed_since", who=row["who"], at=row["at"], table=row["table_name"],
                       action=row["action"], record=record_label(row))


_TABLE_RANK = ("workbooks", *schema.WORKBOOK_TABLES)


def main_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The history row that names a change best: its top-most record (a persona, not
    the journeys deleted along with it)."""
    return min(
        rows,
        key=lambda r: _TABLE_RANK.index(r["table_name"]) if r["table_name"] in _TABLE_RANK else 99,
    )


class Change:
    """The writes of one transaction; each one is versioned and written to history."""

    def __init__(self, store: Store, who: Any, workbook_id: int | None):
        self.store = store
        self.actor = who
        self.who = actor_name(who)
        self.workbook_id = workbook_id
        self.change_id = uuid.uuid4().hex
        self.at = now_iso()
        self.touched = False

    def _log(
        self,
        table: str,
        record_id: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.touched = True
        workbook_id = self.workbook_id
        if table == "workbooks":
            workbook_id = record_id
        if workbook_id is None:
            return
        self.store._insert(
            "history",
            {
                "workbook_id": workbook_id,
                "change_id": self.change_id,
                "table_name": table,
                "record_id": record_id,
                "action": action,
                "before": json.dumps(before, ensure_ascii=False) if before else None,
                "after": json.dumps(after, ensure_ascii=False) if after else None,
                "who": self.who,
                "at": self.at,
            }
        )

    def insert(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """Insert a record at version 1 and return it as stored."""
        record = _encode(table, values)
        check_lengths(table, record)
        record.update(version=1, updated_at=self.at, updated_by=self.who)
        record_id = self.store._insert(table, record)
        after = self.store.get(table, record_id)
        self._log(table, record_id, "insert", None, after)
        if table == "workbooks" and self.store.policy is not None:
            self.store.policy.created(self, self.actor, record_id)
        return after

    def insert_single(self, table: str, values: dict[str, Any]) -> dict[str, Any] | None:
        """Create the workbook's one record of ``table`` (vision, brand story, team review,
        workshop: ``workbook_id`` is UNIQUE) unless it exists; returns the new record, or
        None when there was one already.

        ``INSERT ... ON CONFLICT DO NOTHING`` inside this transaction: two people saving
        the first vision at once get one record and, for the second, a clean conflict,
        never an IntegrityError.
        """
        record = _encode(table, {**values, "workbook_id": self.workbook_id})
        check_lengths(table, record)
        record.update(version=1, updated_at=self.at, updated_by=self.who)
        columns = ", ".join(f"[{c}]" for c in record)
        sql = (f"insert into [{table}] ({columns}) values ({', '.join('?' * len(record))}) "
               "on conflict (workbook_id) do nothing")
        if self.store.dialect == "sqlite":
            cursor = self.store.db.execute(sql, tuple(record.values()))
            if cursor.rowcount != 1:
                return None
            new_id = cursor.lastrowid
        else:
            found = self.store.rows(sql + " returning id", tuple(record.values()))
            if not found:
                return None
            new_id = found[0]["id"]
        after = self.store.get(table, new_id)
        self._log(table, after["id"], "insert", None, after)
        return after

    def update(
        self, table: str, record_id: int, values: dict[str, Any], expected_version: int
    ) -> dict[str, Any]:
        """Update a record that the caller read at ``expected_version``.

        Raises ConflictError when the stored version differs (someone saved in between,
        or the record is gone).
        """
        before = self.store.get(table, record_id)
        if before is None or before["version"] != expected_version:
            raise ConflictError(table, record_id, expected_version, values, before)
        changes = {k: v for k, v in values.items() if k not in BOOKKEEPING}
        record = _encode(table, changes)
        check_lengths(table, record)
        record.update(
            version=before["version"] + 1, updated_at=self.at, updated_by=self.who
        )
        self.store._update(table, record_id, record)
        after = self.store.get(table, record_id)
        self._log(table, record_id, "update", before, after)
        return after

    def delete(self, table: str, record_id: int, expected_version: int | None) -> None:
        """Delete a record and, first, its dependent records (each logged for undo).

        ``expected_version=None`` is for dependents removed along with their parent.
        """
        before = self.store.get(table, record_id)
        if before is None:
            if expected_version is None:
                return
            raise NotFound(f"{table} #{record_id} does not exist", table=table)
        if expected_version is not None and before["version"] != expected_version:
            raise ConflictError(table, record_id, expected_version, {}, before)
        for child_table, foreign_key in schema.CHILDREN.get(table, ()):
            for child in self.store.list(child_table, f"[{foreign_key}] = ?", (record_id,)):
                self.delete(child_table, child["id"], None)
        self.store._write(f"delete from [{table}] where id = ?", (record_id,))
        self._log(table, record_id, "delete", before, None)

    def revert(self, row: dict[str, Any]) -> None:
        """Write the reverse of one history row (used by undo)."""
        table, record_id = row["table_name"], row["record_id"]
        current = self.store.get(table, record_id)
        before = row["before"]
        # The record must be exactly as history last left it (later changes to it, if
        # any, were undone already); anything else is an edit undo must not discard.
        latest = self.store.rows(
            "select after from history where table_name = ? and record_id = ? "
            "order by id desc limit 1",
            (table, record_id),
        )[0]["after"]
        expected = json.loads(latest)["version"] if latest else None
        if (current["version"] if current else None) != expected:
            raise ConflictError(table, record_id, expected or 0, before or {}, current)
        if row["action"] == "insert":
            self.store._write(f"delete from [{table}] where id = ?", (record_id,))
            self._log(table, record_id, "undo_insert", current, None)
        elif row["action"] == "update":
            restored = {k: v for k, v in before.items() if k not in BOOKKEEPING}
            restored = _encode(table, restored)
            restored.update(
                version=current["version"] + 1, updated_at=self.at, updated_by=self.who
            )
            self.store._update(table, record_id, restored)
            self._log(table, record_id, "undo_update", current, self.store.get(table, record_id))
        elif row["action"] == "delete":
            restored = _encode(table, before)
            restored.update(version=before["version"] + 1, updated_at=self.at, updated_by=self.who)
            try:
                self.store._insert(table, restored)
            except self.store.integrity_errors:
                # What it belonged to (a persona, a journey) was deleted since.
                raise UndoBlocked("parent_gone", table=table, record=record_label(row)) from None
            self._log(table, record_id, "undo_delete", None, self.store.get(table, record_id))

    # -- writes that are not versioned records -------------------------------------------

    def execute(self, sql: str, params: tuple = ()) -> int:
        """A write of bookkeeping (a sign-in time, which device answered) inside this
        change: SQL in the store's portable words; returns the number of rows touched."""
        self.touched = True
        return self.store._write(sql, params)

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        """Insert one unversioned row (an imported answer, a delivery key); its id."""
        check_lengths(table, values)
        self.touched = True
        return self.store._insert(table, values)

    def insert_rows(self, table: str, columns: tuple[str, ...] | list[str], rows: Any) -> None:
        """Bulk rows (tuples in ``columns`` order) of an import, inside this change:
        ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

        On SQLite each statement inserts as many rows as 999 parameters allow (the limit of
        any build): a statement per row runs SQLite's statement set-up and the AUTOINCREMENT
        bookkeeping once per row, and took twice as long (1.45 s against 0.78 s for 300,000
        answers)."""
        self.touched = True
        if self.store.dialect != "sqlite":
            self.store._copy(table, columns, rows)
            return
        names, marks = ", ".join(f"[{c}]" for c in columns), f"({', '.join('?' * len(columns))})"
        per = max(1, SQLITE_PARAMETERS // len(columns))
        several = f"insert into [{table}] ({names}) values {', '.join([marks] * per)}"
        rows = iter(rows)
        while group := list(itertools.islice(rows, per * 1000)):
            whole = len(group) - len(group) % per
            self.store.db.conn.executemany(several, (tuple(itertools.chain.from_iterable(group[at:at + per]))
                                                     for at in range(0, whole, per)))
            if whole < len(group):
                self.store.db.conn.executemany(f"insert into [{table}] ({names}) values {marks}", group[whole:])
