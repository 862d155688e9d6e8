"""Step 9: storing imports (all or nothing, undoable), quick entry, follow-ups."""

from datetime import datetime
from pathlib import Path

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
    at_once = feedback._summed_counts([feedback._grouped_counts(rows)], 7)
    monkeypatch.setattr(feedback, "COUNT_PART", 7)  # 429 parts, most groups spread over several
    in_parts = feedback._summed_counts([feedback._grouped_counts(rows.slice(0, 1000)),
                                        feedback._grouped_counts(rows.slice(1000))], 7)
    for table in at_once:
        assert sorted(in_parts[table], key=repr) == sorted(at_once[table], key=repr)
        assert sum(row[-1] for row in in_parts[table]) == 3_000


def test_a_streamed_file_is_stored_a_part_at_a_time_as_the_whole_file_would_be(store, workbook, monkeypatch):
    """Parts of a few lines stand in for the 8 MB parts of an export of millions of answers."""
    from cxlib.ingest import importers
    from cxlib.storage import counts

    monkeypatch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(importers, "HEAD_LINES", 4)
    monkeypatch.setattr(importers, "PART_BYTES", 100)
    lines = [f"2026-10-{d:02d} 09:{d:02d};{'' if d % 9 == 0 else d % 11};{d % 5 + 1};{'Home' if d % 2 else 'Pro'}"
             for d in range(1, 29)]
    text = "Date;NPS;CSAT;Segment\n" + "\n".join(lines) + "\n"
    mapping = {"date": "Date", "nps": "NPS", "csat": "CSAT", "segment": "Segment"}
    other = store.rows("insert into workbooks (name, version) values ('whole', 1) returning id")[0]["id"]
    whole = pipeline.read(pipeline.open_file(text.encode(), "a.csv"), feedback.RESPONSES, mapping)
    streamed = pipeline.read(pipeline.open_file(text.encode(), "a.csv", streamed=True), feedback.RESPONSES, mapping)
    assert isinstance(streamed, pipeline.StreamedReading) and len(list(streamed.parts())) > 2
    checked = feedback.check_import("responses", streamed)
    assert checked.notes == feedback.response_rows(whole)[1] == {"nps": {"answers": 25, "blank": 3, "left_out": 0},
                                                                 "csat": {"answers": 28, "blank": 0, "left_out": 0}}
    assert checked.rows == 53 and len(streamed._spilled) > 2  # the parts on disk as read
    shares = []
    feedback.import_checked(store, workbook["id"], checked, "a.csv", "ana", progress=shares.append)
    feedback.import_rows(store, other, "responses", feedback.response_rows(whole)[0], "a.csv", "ana", "nps,csat",
                         notes=feedback.response_rows(whole)[1])
    assert shares[-1] == 1.0 and shares == sorted(shares)
    columns = ["at", "metric", "scale", "score", "segment"]
    assert feedback.load_responses(store, workbook["id"]).select(columns).sort(columns).equals(
        feedback.load_responses(store, other).select(columns).sort(columns))
    assert sorted(r[1:] for r in counts.read(store, workbook["id"])) == sorted(r[1:] for r in counts.read(store, other))
    (record,) = feedback.list_imports(store, workbook["id"])
    assert (record["rows"], record["metric"]) == (53, "nps,csat")
    assert feedback.left_out(store, workbook["id"]) == feedback.left_out(store, other) == {
        "nps": {"blank": 3, "left_out": 0}}
    folder = Path(streamed._folder.name)
    del checked, streamed
    assert not folder.exists()  # the parts on disk go with the reading

    broken = text + "2026-10-29 09:00;12;3;Home\n"  # off the scale in the last part: refused before any write
    streamed = pipeline.read(pipeline.open_file(broken.encode(), "b.csv", streamed=True), feedback.RESPONSES, mapping)
    with pytest.raises(pipeline.FileError) as refused:
        feedback.check_import("responses", streamed)
    assert refused.value.rows == [30]
    left = feedback.check_import("responses", streamed, leave_out_off_scale=True)
    assert left.notes["nps"] == {"answers": 25, "blank": 3, "left_out": 1} and left.rows == 25 + 29  # its CSAT kept
