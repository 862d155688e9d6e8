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
    assert seen[-1] == 1.0 and len(seen) == 3
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
