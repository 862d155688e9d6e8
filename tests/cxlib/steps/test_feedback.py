"""Step 9: storing imports (all or nothing, undoable), quick entry, follow-ups."""

from datetime import datetime

import polars as pl
import pytest

from cxlib.demo import data as demo_data
from cxlib.ingest import pipeline
from cxlib.steps import feedback
from cxlib.storage.store import ValidationError

EXPORT = "date;score;segment;stage\n01.10.2026;9;Home;Use\n02.10.2026;3;Office;Support\n03.10.2026;6;Home;Support\n"


def prepared(text=EXPORT):
    """The export's answers as rows to store (day-first dates, as the user chose)."""
    table = pipeline.open_file(text.encode(), "nps.csv")
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score", "segment": "segment",
                                                        "stage": "stage"}, orders={"date": "dmy"})
    return feedback.response_rows(reading)[0]


def test_import_is_one_undoable_change(store, workbook):
    feedback.import_rows(store, workbook["id"], "responses", prepared(), "nps.csv", "ana", "nps")
    assert feedback.counts(store, workbook["id"])["responses"] == 3
    (record,) = feedback.list_imports(store, workbook["id"])
    assert (record["rows"], record["metric"], record["updated_by"]) == (3, "nps", "ana")
    history = store.last_change(workbook["id"])
    assert [h["table_name"] for h in history] == ["imports"]  # one row, not one per answer
    store.undo_last(workbook["id"], "ana")
    assert feedback.counts(store, workbook["id"])["responses"] == 0


def test_failed_import_writes_nothing(store, workbook):
    rows = prepared().with_columns(pl.Series("metric", ["nps", "nps", "bogus"]))  # breaks a CHECK
    with pytest.raises(Exception):
        feedback.import_rows(store, workbook["id"], "responses", rows, "nps.csv", "ana", "nps")
    assert feedback.counts(store, workbook["id"])["responses"] == 0
    assert feedback.list_imports(store, workbook["id"]) == []


def test_large_import_in_chunks_reports_progress(store, workbook):
    rows = demo_data.responses(120_000)
    seen = []
    feedback.import_rows(store, workbook["id"], "responses", rows, "big.csv", "ana", None, progress=seen.append)
    assert feedback.counts(store, workbook["id"])["responses"] == 120_000
    assert seen == sorted(seen) and seen[-2:] == [0.99, 1.0] and len(seen) == 4  # three chunks, then done
    loaded = feedback.load_responses(store, workbook["id"])
    assert loaded.height == 120_000 and loaded["at"].dtype == pl.Datetime


def test_quick_entry_validates_and_counts(store, workbook):
    feedback.add_response(store, workbook["id"], {"metric": "nps", "score": 10, "stage": "Use",
                                                  "at": datetime(2026, 11, 1)}, "ana")
    with pytest.raises(ValidationError) as raised:
        feedback.add_response(store, workbook["id"], {"metric": "nps", "score": 11}, "ana")
    assert raised.value.field == "score"
    with pytest.raises(ValidationError):
        feedback.add_response(store, workbook["id"], {"metric": "csat", "score": 6, "scale": 5}, "ana")
    assert feedback.load_responses(store, workbook["id"])["score"].to_list() == [10.0]


def test_low_scores_become_follow_ups(store, workbook):
    feedback.import_rows(store, workbook["id"], "responses", prepared(), "nps.csv", "ana", "nps")
    loop = feedback.follow_ups(store, workbook["id"])
    assert [row["score"] for row in loop] == [6.0, 3.0] and all(r["status"] == "open" for r in loop)
    feedback.save_follow_up_edits(store, workbook["id"], loop, {0: {"owner": "Piotr", "status": "contacted"}}, "ana")
    loop = feedback.follow_ups(store, workbook["id"])
    assert (loop[0]["owner"], loop[0]["status"]) == ("Piotr", "contacted")
    feedback.save_follow_up_edits(store, workbook["id"], loop, {0: {"status": "resolved"}}, "ana")
    assert feedback.follow_ups(store, workbook["id"])[0]["status"] == "resolved"
    with pytest.raises(ValidationError):
        feedback.save_follow_up_edits(store, workbook["id"], loop, {1: {"status": "lost"}}, "ana")


def test_measured_emotion_per_stage(store, workbook):
    feedback.import_rows(store, workbook["id"], "responses", prepared(), "nps.csv", "ana", "nps")
    measured = feedback.measured_emotion(store, workbook["id"])
    assert measured["Use"] == pytest.approx(0.9 * 4 - 2)
    assert measured["Support"] == pytest.approx(((0.3 + 0.6) / 2) * 4 - 2)


def test_survey_plan_grid(store, workbook):
    feedback.save_survey_edits(store, workbook["id"], [], {"added_rows": [
        {"name": "After delivery", "channel": "email", "questions": ["nps", "open"]}]}, "ana")
    assert feedback.list_surveys(store, workbook["id"])[0]["questions"] == ["nps", "open"]
    with pytest.raises(ValidationError):
        feedback.save_survey_edits(store, workbook["id"], [], {"added_rows": [{"name": "x", "channel": "fax"}]}, "ana")


def test_imports_version_moves_with_ticket_and_event_imports_not_with_answers(store, demo_workbook):
    from cxlib.steps import webhooks

    before = feedback.imports_version(store, demo_workbook["id"])
    webhooks.receive(store, demo_workbook["id"], "generic", {"score": 9, "metric": "nps"}, key="k")
    assert feedback.imports_version(store, demo_workbook["id"]) == before
    tickets = feedback.list_imports(store, demo_workbook["id"])
    assert before[1] == sum(1 for i in tickets if i["kind"] in ("tickets", "events")) > 0
    store.undo_last(demo_workbook["id"], "ana")  # undoes the answer, not an import
    assert feedback.imports_version(store, demo_workbook["id"]) == before


def _indexes(store) -> list[tuple]:
    return store.tuples("select name, sql from sqlite_master where type = 'index' and tbl_name = 'responses' "
                        "and sql is not null order by name")


@pytest.mark.sqlite_only
def test_a_big_import_rebuilds_the_answer_indexes_and_a_failed_one_keeps_them(store, workbook, monkeypatch):
    """A big import drops the answers' indexes and builds them again in its transaction
    (cxlib.storage.counts.bulk): afterwards they are the same indexes, the queries that use
    them (follow-ups by low score, an import's rows) see every row, and an import that fails
    half-way leaves them as they were."""
    from cxlib.storage import counts

    monkeypatch.setattr(counts, "REBUILD_FROM_ROWS", 1_000)
    before = _indexes(store)
    assert len(before) == 3
    rows = demo_data.responses(5_000)
    first = feedback.import_rows(store, workbook["id"], "responses", rows, "big.csv", "ana", None)
    assert _indexes(store) == before
    plan = " ".join(str(r) for r in store.tuples("explain query plan select count(*) from responses where import_id = ?",
                                                 (first,)))
    assert "idx_responses_import" in plan
    assert store.tuples("select count(*) from responses where import_id = ?", (first,))[0][0] == 5_000
    low = rows.filter(((pl.col("metric") == "nps") & (pl.col("score") <= 6)) | ((pl.col("metric") == "csat")
                      & (pl.col("score") <= 2)) | ((pl.col("metric") == "ces") & (pl.col("scale") == 7)
                      & (pl.col("score") <= 3)) | ((pl.col("metric") == "ces") & (pl.col("scale") == 5)
                      & (pl.col("score") >= 4))).height
    from cxlib.storage.schema import LOW_SCORE_SQL

    assert store.tuples(f"select count(*) from responses indexed by idx_responses_low where workbook_id = ? "
                        f"and at > '' and ({LOW_SCORE_SQL})", (workbook["id"],))[0][0] == low
    broken = rows.with_columns(pl.when(pl.int_range(pl.len()) == 4_000).then(pl.lit("bogus"))
                               .otherwise(pl.col("metric")).alias("metric"))  # a CHECK fails after 4,000 rows
    with pytest.raises(Exception):
        feedback.import_rows(store, workbook["id"], "responses", broken, "broken.csv", "ana", None)
    assert _indexes(store) == before
    assert feedback.counts(store, workbook["id"])["responses"] == 5_000


@pytest.mark.sqlite_only
def test_an_import_much_smaller_than_the_table_keeps_the_indexes_in_place(store, workbook, monkeypatch):
    from cxlib.storage import counts

    monkeypatch.setattr(counts, "REBUILD_FROM_ROWS", 1_000)
    feedback.import_rows(store, workbook["id"], "responses", demo_data.responses(5_000), "a.csv", "ana", None)
    dropped, original = [], counts._dropped_indexes
    monkeypatch.setattr(counts, "_dropped_indexes", lambda *args: dropped.append(original(*args)) or dropped[-1])
    feedback.import_rows(store, workbook["id"], "responses", demo_data.responses(2_000), "b.csv", "ana", None)
    assert dropped == [[]]  # 5,000 rows there > 2 × 2,000 coming: each is placed, nothing rebuilt
    assert feedback.counts(store, workbook["id"])["responses"] == 7_000


def test_counts_grouped_in_parts_equal_the_counts_grouped_at_once(monkeypatch):
    rows = demo_data.responses(3_000)
    at_once = feedback._grouped_counts(rows, 7)
    monkeypatch.setattr(feedback, "COUNT_PART", 7)  # 429 parts, most groups spread over several
    in_parts = feedback._grouped_counts(rows, 7)
    for table in at_once:
        assert sorted(in_parts[table], key=repr) == sorted(at_once[table], key=repr)
        assert sum(row[-1] for row in in_parts[table]) == 3_000
