"""Answer counts kept by the store: equal to the rows after every kind of write, and the
KPIs drawn from them bit-identical to the row-level catalogue on random data."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl
import pytest
from hypothesis import given, HealthCheck, settings, strategies as st

from cxlib.analytics import aggregates, kpi, metrics
from cxlib.ingest import exchange
from cxlib.steps import feedback
from cxlib.storage import workbooks
from cxlib.l10n import calendars
from cxlib.storage.schema import COUNT_TABLES
from cxlib.storage.store import Store

BREAKDOWNS = [None, ["segment"], ["persona"], ["stage"], ["channel"], ["segment", "persona"],
              ["stage", "channel"]]
KEYS = list(COUNT_TABLES["response_counts"])
DAY_KEYS = list(COUNT_TABLES["response_day_counts"])


def random_answers(rng: np.random.Generator, n: int, metric: str | None = None) -> pl.DataFrame:
    """Answers with nulls in every key, unanswered scores and two CSAT scales."""
    metrics_drawn = rng.choice(["nps", "csat", "ces"], n) if metric is None else np.array([metric] * n)
    scale = np.where(metrics_drawn == "nps", 10, np.where(metrics_drawn == "ces", 7, rng.choice([5, 7], n)))
    low = np.where(metrics_drawn == "nps", 0, 1)
    score = rng.integers(low, scale + 1).astype(float)

    def maybe(values: list[str | None]) -> list[str | None]:
        return [values[i] for i in rng.integers(0, len(values), n)]

    return pl.DataFrame({
        "at": [f"2026-{m:02d}-{d:02d}T{h:02d}:00:00" for m, d, h in
               zip(rng.integers(1, 13, n), rng.integers(1, 29, n), rng.integers(0, 24, n))],
        "metric": metrics_drawn, "scale": scale.astype(np.int64),
        "score": [None if rng.random() < 0.05 else s for s in score],
        "customer": maybe(["c1", "c2", None]), "segment": maybe(["Home", "Office", "Gift", None]),
        "persona": maybe(["Maya", "Tomasz", None]), "stage": maybe(["Purchase", "Use", "Support", None]),
        "channel": maybe(["email", "in_app", None]), "comment": [None] * n,
    }, schema_overrides={"score": pl.Float64})


def stored_counts(store: Store, workbook_id: int) -> pl.DataFrame:
    return aggregates.load(store, workbook_id).sort(KEYS, nulls_last=True)


def stored_day_counts(store: Store, workbook_id: int) -> pl.DataFrame:
    return aggregates.load_days(store, workbook_id).sort(DAY_KEYS, nulls_last=True)


def assert_counts_match_rows(store: Store, workbook_id: int) -> None:
    """Both count tables equal the counts of the stored answers, recounted from the rows."""
    rows = feedback.load_responses(store, workbook_id)
    kept, recounted = stored_counts(store, workbook_id), aggregates.from_rows(rows).select(
        list(aggregates.SCHEMA)).sort(KEYS, nulls_last=True)
    assert kept.equals(recounted), (kept, recounted)
    kept, recounted = stored_day_counts(store, workbook_id), aggregates.days_from_rows(rows).select(
        list(aggregates.DAY_SCHEMA)).sort(DAY_KEYS, nulls_last=True)
    assert kept.equals(recounted), (kept, recounted)


def row_level(rows: pl.DataFrame, metric: str, by: list[str] | None):
    """The dashboard's numbers computed on the answers themselves with the KPI catalogue."""
    part = rows.filter(pl.col("metric") == metric)
    scale = int(part["scale"].max()) if part.height else aggregates.DEFAULT_SCALES[metric]
    if metric == "nps":
        return kpi.nps(part, by=by) if by else kpi.nps(part["score"])
    if metric == "ces":
        return kpi.ces(part, scale=scale, by=by) if by else kpi.ces(part["score"], scale=scale)
    result = kpi.csat(part, scale=scale, by=by) if by else kpi.csat(part["score"], scale=scale)
    if by:
        return result.with_columns(pl.col(c) * 100 for c in ("value", "ci_low", "ci_high"))
    return kpi.KPI(*(None if v is None else v * 100 for v in (result.value,)), result.n,
                   *(None if v is None else v * 100 for v in (result.ci_low, result.ci_high)),
                   result.missing, result.parts)


def assert_identical(expected, got, by: list[str] | None) -> None:
    if by is None:
        assert (got.value, got.n, got.ci_low, got.ci_high, got.missing, got.parts) == (
            expected.value, expected.n, expected.ci_low, expected.ci_high, expected.missing, expected.parts)
        return
    order = [*by]
    expected, got = expected.sort(order, nulls_last=True), got.sort(order, nulls_last=True).select(expected.columns)
    assert expected.equals(got), (expected, got)  # bit for bit, nulls included


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 400))
def test_kpis_from_the_counts_equal_the_row_level_catalogue(tmp_path_factory, seed, size):
    store = Store(tmp_path_factory.mktemp("exact") / "w.db")
    try:
        wb = workbooks.create_workbook(store, "Random", "t")["id"]
        rng = np.random.default_rng(seed)
        feedback.import_rows(store, wb, "responses", random_answers(rng, size), "a.csv", "t")
        feedback.add_response(store, wb, {"metric": "nps", "score": 10, "segment": "Home",
                                          "at": datetime(2026, 3, 4, 5, 6, 7)}, "t")
        rows = feedback.load_responses(store, wb)
        counted, daily = aggregates.load(store, wb), aggregates.load_days(store, wb)
        for metric in ("nps", "csat", "ces"):
            for by in BREAKDOWNS:
                assert_identical(row_level(rows, metric, by), aggregates.survey_kpi(counted, metric, by), by)
            for calendar in (calendars.GREGORIAN, calendars.PERSIAN):  # trends: days grouped by the month
                monthly = rows.with_columns(calendars.month_start("at", calendar).alias("month"))
                if monthly.filter(pl.col("metric") == metric).height:
                    assert_identical(row_level(monthly, metric, ["month"]),
                                     metrics.trend(daily, metric, calendar), ["month"])
    finally:
        store.close()


def test_counts_follow_imports_typed_answers_undo_deletes_copies_and_exchange(store, workbook):
    rng = np.random.default_rng(7)
    wb = workbook["id"]
    first = feedback.import_rows(store, wb, "responses", random_answers(rng, 300), "a.csv", "t")
    assert_counts_match_rows(store, wb)
    feedback.import_rows(store, wb, "responses", random_answers(rng, 200, "nps"), "b.csv", "t")  # merges into
    assert_counts_match_rows(store, wb)                                                           # existing keys
    typed = feedback.add_response(store, wb, {"metric": "ces", "score": 6, "stage": "Use",
                                              "at": datetime(2026, 5, 1, 9, 0, 0)}, "t")
    assert_counts_match_rows(store, wb)
    store.undo_last(wb, "t")  # the typed answer goes
    assert store.get("responses", typed["id"]) is None
    assert_counts_match_rows(store, wb)
    store.undo_last(wb, "t")  # the second import goes, with its 200 rows (cascade)
    assert_counts_match_rows(store, wb)
    # One imported answer deleted on its own, one edited (keys and score change).
    one, other = store.rows("select id, version from responses where import_id = ? limit 2", (first,))
    with store.change("t", wb) as change:
        change.delete("responses", one["id"], one["version"])
        change.update("responses", other["id"], {"segment": "Elsewhere", "score": 1.0, "at": "2025-01-02T03:04:05"},
                      other["version"])
    assert_counts_match_rows(store, wb)
    copy = workbooks.duplicate_workbook(store, wb, "Copy", "t")["id"]
    assert_counts_match_rows(store, copy)
    assert stored_counts(store, copy).equals(stored_counts(store, wb))
    moved = exchange.import_workbook(store, exchange.export_workbook(store, wb), "t")["id"]
    assert stored_counts(store, moved).equals(stored_counts(store, wb))
    workbooks.delete_workbook(store, copy, workbooks.get_workbook(store, copy)["version"], "t")
    for table in COUNT_TABLES:
        assert store.rows(f"select count(*) as n from {table} where workbook_id = ?", (copy,))[0]["n"] == 0
    assert_counts_match_rows(store, wb)
    with store.change("t", wb) as change:  # the whole import deleted: no count left behind
        change.delete("imports", first, store.get("imports", first)["version"])
    for table in COUNT_TABLES:
        assert store.rows(f"select count(*) as n from {table} where workbook_id = ?", (wb,))[0]["n"] == 0


def test_migration_counts_answers_stored_before_it(tmp_path):
    from sqlite_utils import Database

    from cxlib.storage import schema

    path = tmp_path / "old.db"
    db = Database(path)
    schema.migrations.apply(db, stop_before="m042_response_counts")
    db["workbooks"].insert({"id": 1, "name": "Old"})
    answers = random_answers(np.random.default_rng(3), 120)
    db["responses"].insert_all({"workbook_id": 1, **row} for row in answers.to_dicts())
    db.close()
    store = Store(path)
    assert_counts_match_rows(store, 1)
    store.close()


def test_dashboard_figures_on_the_demo_equal_the_row_level_ones(store, demo_workbook):
    wb = demo_workbook["id"]
    rows, counted = feedback.load_responses(store, wb), aggregates.load(store, wb)
    nps = metrics.trend(aggregates.load_days(store, wb), "nps")
    assert nps.equals(row_level(rows, "nps", ["month"]).sort("month"))
    table = metrics.breakdown(counted, "csat", "stage")
    expected = row_level(rows.filter(pl.col("stage").is_not_null()), "csat", ["stage"])
    assert table.drop("small_sample").sort("stage").equals(expected.sort("stage"))


def test_a_score_off_its_scale_is_refused_not_dropped():
    counted = pl.DataFrame({"metric": ["nps", "nps"], "scale": [10, 10], "segment": [None, None], "persona": [None, None], "stage": [None, None],
                            "channel": [None, None], "score": [9.0, 11.0], "answers": [3, 2]})
    with pytest.raises(kpi.KPIError, match="2 stored answer"):
        aggregates.survey_kpi(counted, "nps")


def test_counting_answers_from_file_text_equals_the_row_level_kpi():
    answers = random_answers(np.random.default_rng(5), 500, "nps")
    rows = answers.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S").dt.truncate("1mo").alias("month"))
    counted = aggregates.count_answers(answers.lazy(), ["segment", "month"])
    assert_identical(kpi.nps(rows, by=["segment", "month"]),
                     kpi.nps_from_counts(counted, "score", ["segment", "month"]), ["segment", "month"])


def test_counts_follow_survey_link_and_webhook_answers_and_their_undo(store, workbook):
    from cxlib.steps import survey_links, webhooks

    wb = workbook["id"]
    feedback.save_survey_edits(store, wb, [], {"added_rows": [
        {"name": "Checkout", "stage": "Purchase", "touchpoint": "Checkout page", "channel": "email",
         "persona": "Maya", "questions": ["nps", "csat"]}]}, "ana")
    survey = feedback.list_surveys(store, wb)[0]
    survey_links.answer(store, survey, survey_links.new_device(), "nps", "4")
    survey_links.answer(store, survey, survey_links.new_device(), "csat", 5)
    survey_links.comment(store, survey, survey_links.new_device(), "no rating: nothing to add it to")
    assert_counts_match_rows(store, wb)
    webhooks.receive(store, wb, "generic", {"score": 9, "metric": "nps", "touchpoint": "Checkout"}, key="k-1")
    webhooks.receive(store, wb, "generic", {"score": 2, "metric": "nps"}, key="k-2")
    webhooks.receive(store, wb, "generic", {"score": 2, "metric": "nps"}, key="k-2")  # a retry: stored once
    assert aggregates.answers(aggregates.load(store, wb)) == {"nps": 3, "csat": 1}
    assert_counts_match_rows(store, wb)
    store.undo_change(wb, store.last_change(wb)[0]["change_id"], "t")  # the last delivery taken back
    assert aggregates.answers(aggregates.load(store, wb)) == {"nps": 2, "csat": 1}
    assert_counts_match_rows(store, wb)


def test_an_import_that_fails_half_way_leaves_typed_answers_counted(store, workbook):
    """Bulk inserts drop the typed-answer trigger inside their transaction; a failure
    rolls that back with the rows, so the next typed answer is still counted."""
    wb = workbook["id"]

    def interrupted(share: float) -> None:
        raise RuntimeError("the browser went away")

    with pytest.raises(RuntimeError):
        feedback.import_rows(store, wb, "responses", random_answers(np.random.default_rng(2), 60), "a.csv", "t",
                             progress=interrupted)
    assert store.rows("select count(*) as n from responses")[0]["n"] == 0
    feedback.add_response(store, wb, {"metric": "nps", "score": 7, "at": datetime(2026, 5, 1, 9, 0, 0)}, "t")
    assert aggregates.answers(aggregates.load(store, wb)) == {"nps": 1}
    assert_counts_match_rows(store, wb)
