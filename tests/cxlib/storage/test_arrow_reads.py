"""Big frames on PostgreSQL are read through ADBC (Arrow) instead of fetching rows through
psycopg: the same frames, value for value and type for type (whole and fractional scores,
nulls, empty and non-ASCII text, the dates parsed from text), and inside a change the change's
own transaction is read."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cxlib.steps import feedback
from cxlib.storage import postgres

pytestmark = pytest.mark.postgres_only

ANSWERS = ("at", "metric", "scale", "score", "customer", "segment", "persona", "stage", "channel", "comment")


def answers(workbook_id: int, n: int) -> list[tuple]:
    rows = []
    for i in range(n):
        rows.append((
            f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}",
            ("nps", "csat", "ces")[i % 3], (10, 5, 7)[i % 3],
            None if i % 11 == 0 else (i % 5) + (0.5 if i % 13 == 0 else 0.0) + (1e-9 if i % 17 == 0 else 0.0),
            None if i % 4 == 0 else f"C-{i}",
            "" if i % 9 == 0 else ("Small", "Großkunde", "مشتری")[i % 3],
            None, "Checkout" if i % 2 else None, "web", None if i % 3 else f"line one\nline «{i}» ✓",
        ))
    return [(workbook_id, *row) for row in rows]


def by_rows(store):
    """What the store read before ADBC: fetched rows made into a frame."""
    return lambda sql, params, schema: pl.DataFrame(store.tuples(sql, params), schema=list(schema.items()),
                                                    orient="row")


def test_arrow_frames_equal_fetched_rows(store, workbook, monkeypatch):
    wb = workbook["id"]
    with store.change("tester", wb) as change:
        change.insert_rows("responses", ("workbook_id", *ANSWERS), answers(wb, 3000))
        change.insert_rows("tickets", ("workbook_id", "created", "resolved", "customer", "channel", "stage", "segment"),
                           [(wb, f"2026-03-{d:02d}T10:00:00", None if d % 2 else f"2026-03-{d:02d}T18:30:00",
                             f"C-{d}", None, "Support", "") for d in range(1, 29)])
        change.insert_rows("events", ("workbook_id", "at", "user", "page", "feature", "key_event"),
                           [(wb, f"2026-04-01T09:00:{s:02d}", f"u{s}", "home", None, None if s % 3 else s % 2)
                            for s in range(60)])
    loaders = (feedback.load_responses, feedback.load_tickets, feedback.load_events)
    arrow = [load(store, wb) for load in loaders]
    assert postgres._arrow_idle[(__import__("os").getpid(), store.path)], "read through ADBC, connection kept"
    monkeypatch.setattr(store, "frame", by_rows(store))
    fetched = [load(store, wb) for load in loaders]
    for new, old in zip(arrow, fetched):
        assert new.schema == old.schema
        assert_frame_equal(new, old, check_exact=True)
    assert arrow[0].height == 3000 and arrow[0]["score"].null_count() == 273
    assert arrow[0].schema["at"] == pl.Datetime("us") and arrow[0].schema["scale"] == pl.Int64
    # Nothing found: an empty frame of the same types.
    monkeypatch.undo()
    empty = feedback.load_responses(store, wb + 1000)
    assert empty.height == 0 and empty.schema == arrow[0].schema


def test_inside_a_change_the_change_s_rows_are_read(store, workbook):
    wb = workbook["id"]
    with store.change("tester", wb) as change:
        change.insert_rows("responses", ("workbook_id", *ANSWERS), answers(wb, 5))
        assert feedback.load_responses(store, wb).height == 5  # not committed yet: only this transaction sees them


def test_placeholders_for_adbc():
    assert postgres.arrow_sql("select [user], at from events where workbook_id = ? and at > ?") == (
        'select "user", at from events where workbook_id = $1 and at > $2')
    assert postgres.arrow_sql("select a from t where b like 'x%'") == "select a from t where b like 'x%'"


def test_arrow_connections_carry_the_pools_timeouts_and_survive_a_dropped_connection(store, workbook):
    """An ADBC read never hangs behind a migration's lock (the pool's lock timeout), and a
    kept connection the server dropped (a restart) costs no page: the read runs again on a
    fresh one."""
    shown = store.frame("select current_setting('lock_timeout') as lock_timeout", (), {"lock_timeout": pl.String})
    assert shown["lock_timeout"][0] == store.rows("select current_setting('lock_timeout') as t")[0]["t"] != "0"
    kept = store.frame("select pg_backend_pid() as pid", (), {"pid": pl.Int64})["pid"][0]
    store.rows("select pg_terminate_backend(?) as done", (int(kept),))
    again = store.frame("select pg_backend_pid() as pid", (), {"pid": pl.Int64})["pid"][0]
    assert again != kept
