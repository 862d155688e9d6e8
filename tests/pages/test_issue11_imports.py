"""Issue 11 through the pages: a personas file on step 1, a sheet chosen from an XLSX on
step 9, first responses and the answers left out noted beside the KPIs on step 10."""

import io
from pathlib import Path

import pytest

from apptest_helpers import open_page
from openpyxl import Workbook
from pagekit import assert_clean

from cxlib.ingest import pipeline
from cxlib.steps import feedback, personas

PERSONAS = "Name,Goals,Channels,Segment size\nRetiree,\"Calm service\nClear bills\",Phone; Email,1500\n"


def test_personas_file_imported_on_step_1(app_store, empty_id):
    at = open_page("personas", {"wb": str(empty_id)})
    at.file_uploader[0].upload("segments.csv", PERSONAS.encode(), "text/csv").run()
    assert_clean(at)
    mapped = {s.label: s.value for s in at.selectbox}
    assert mapped["Name *"] == "Name" and mapped["Segment size (customers)"] == "Segment size"
    at.button(key="cx_personas_import_go").click().run()
    assert_clean(at)
    (made,) = personas.list_personas(app_store, empty_id)
    assert (made["name"], made["goals"], made["channels"], made["segment_size"]) == (
        "Retiree", "Calm service\nClear bills", ["phone", "email"], 1500)


def test_a_bad_personas_file_is_refused_on_the_page_and_nothing_written(app_store, empty_id):
    at = open_page("personas", {"wb": str(empty_id)})
    at.file_uploader[0].upload("segments.csv", PERSONAS.replace("Phone; Email", "Fax").encode(), "text/csv").run()
    at.button(key="cx_personas_import_go").click().run()
    assert any("line 2" in e.value and "Fax" in e.value for e in at.error)
    assert personas.list_personas(app_store, empty_id) == []


def two_sheets() -> bytes:
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["Exported from the survey tool"])
    answers = book.create_sheet("Responses")
    answers.append(["Timestamp", "How likely are you to recommend us?"])
    answers.append(["2025-10-01 09:00", 10])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_is_chosen_from_an_xlsx_and_shown_in_the_preview(app_store, empty_id):
    at = open_page("feedback", {"wb": str(empty_id)})
    at.file_uploader[0].upload("survey.xlsx", two_sheets(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    sheet = next(s for s in at.selectbox if s.label == "Sheet")
    assert sheet.value == "Read me"  # the first sheet by default
    sheet.set_value("Responses").run()
    assert_clean(at)
    assert any("sheet “Responses”" in c.value for c in at.caption)
    at.button(key="cx_import_responses_go").click().run()
    assert feedback.load_responses(app_store, empty_id)["score"].to_list() == [10.0]


def test_step_10_notes_answers_left_out_and_first_response_before_creation(app_store, empty_id):
    table = pipeline.open_file(b"date,nps\n2026-10-01,9\n2026-10-02,11\n2026-10-03,\n", "a.csv")
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "nps"})
    rows, summary = feedback.response_rows(reading, leave_out_off_scale=True)
    feedback.import_rows(app_store, empty_id, "responses", rows, "a.csv", "ana", "nps", notes=summary)
    table = pipeline.open_file(b"created,first response,resolved\n2026-10-01 10:00,2026-10-01 09:00,"
                               b"2026-10-01 12:00\n2026-10-02 10:00,2026-10-02 10:15,2026-10-02 11:00\n", "t.csv")
    reading = pipeline.read(table, feedback.TICKETS, pipeline.suggest(table, feedback.TICKETS))
    feedback.import_rows(app_store, empty_id, "tickets", feedback.ticket_rows(reading), "t.csv", "ana")
    at = open_page("metrics", {"wb": str(empty_id)})
    assert_clean(at)
    warned = [w.value for w in at.warning]
    assert any("1 answer outside the scale, left out at import" in w for w in warned)
    assert any("1 blank answer" in w for w in warned)
    assert any("1 ticket with a first response before it was created" in w for w in warned)
    assert "Time to first response (median)" in [m.label for m in at.metric]
    at = open_page("metrics", {"wb": str(empty_id), "lang": "fa"})
    assert_clean(at)
    assert any("۱ پاسخ خارج از مقیاس" in w.value for w in at.warning)
    assert "زمان تا اولین پاسخ (میانه)" in [m.label for m in at.metric]


def test_a_tickets_file_with_a_response_before_creation_is_noted_in_the_preview(app_store, empty_id):
    at = open_page("feedback", {"wb": str(empty_id)})
    at.radio(key="cx_import_kind").set_value("tickets").run()
    content = ("Ticket,Created,First response,Resolved\nT1,2026-10-01 10:00,2026-10-01 09:30,2026-10-01 12:00\n"
               "T2,2026-10-02 10:00,2026-10-02 10:20,2026-10-02 11:00\n")
    at.file_uploader[0].upload("tickets.csv", content.encode(), "text/csv").run()
    assert_clean(at)
    mapped = {s.label: s.value for s in at.selectbox}
    assert mapped["First response"] == "First response" and mapped["Resolved"] == "Resolved"
    assert any("First response: 1 ticket has this time before it was created" in w.value for w in at.warning)
    at.button(key="cx_import_tickets_go").click().run()
    assert feedback.load_tickets(app_store, empty_id)["first_response"].null_count() == 0


def test_a_big_file_is_checked_and_stored_a_part_at_a_time_on_step_9(app_store, empty_id, monkeypatch):
    """Parts of a few lines stand in for the 8 MB parts of a real export of millions of answers."""
    from cxlib.ingest import importers

    monkeypatch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(importers, "HEAD_LINES", 4)
    monkeypatch.setattr(importers, "PART_BYTES", 80)
    rows = [f"2026-10-{d:02d} 09:00;{d % 11};{'Home' if d % 2 else 'Pro'}" for d in range(1, 29)]
    content = "Date;NPS;Segment\n" + "\n".join(rows) + "\n"
    at = open_page("feedback", {"wb": str(empty_id)})
    at.file_uploader[0].upload("answers.csv", content.encode(), "text/csv").run()
    assert_clean(at)
    assert any("data rows: 28" in c.value for c in at.caption)
    assert any("answers 28, blank 0" in c.value for c in at.caption), [c.value for c in at.caption]
    at.button(key="cx_import_responses_go").click().run()
    assert_clean(at)
    stored = feedback.load_responses(app_store, empty_id)
    assert stored.height == 28 and sorted(stored["score"].to_list()) == sorted(float(d % 11) for d in range(1, 29))

    bad = content + "2026-10-29 09:00;11;Home\n"  # off the NPS scale, in the last part
    at = open_page("feedback", {"wb": str(empty_id)})
    at.file_uploader[0].upload("more.csv", bad.encode(), "text/csv").run()
    assert any("line(s) 30" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "cx_import_responses_go"]  # nothing offered to store
    assert feedback.load_responses(app_store, empty_id).height == 28


def test_another_sheet_with_the_same_columns_is_read_and_stored_not_the_first(app_store, empty_id):
    """What step 9 keeps between reruns belongs to the file, sheet and reading options it
    was read with: a second month's sheet with the same header is its own data."""
    book = Workbook()
    book.active.title = "October"
    for sheet, score in ((book.active, 3), (book.create_sheet("November"), 9)):
        sheet.append(["Timestamp", "NPS"])
        sheet.append([f"2025-{10 if score == 3 else 11}-01 09:00", score])
    out = io.BytesIO()
    book.save(out)
    at = open_page("feedback", {"wb": str(empty_id)})
    at.file_uploader[0].upload("months.xlsx", out.getvalue(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    assert_clean(at)
    next(s for s in at.selectbox if s.label == "Sheet").set_value("November").run()
    assert_clean(at)
    at.button(key="cx_import_responses_go").click().run()
    assert feedback.load_responses(app_store, empty_id)["score"].to_list() == [9.0]


def test_a_file_read_on_one_page_is_let_go_when_another_page_opens(app_store, empty_id):
    """A streamed reading (its first part in memory, its parts on disk) does not stay with
    the session once the user has moved on from step 9."""
    from ui import imports

    held = {"cx_import_responses_reading": ("inputs", "a reading"), "cx_other_table": ("inputs", "a table"),
            imports.OWNERS: {"cx_import_responses_reading": "feedback", "cx_other_table": "metrics"}}
    at = open_page("metrics", {"wb": str(empty_id)}, session=held)
    assert_clean(at)
    assert "cx_import_responses_reading" not in at.session_state
    assert at.session_state["cx_other_table"] == ("inputs", "a table")  # the page's own stays
    assert at.session_state[imports.OWNERS] == {"cx_other_table": "metrics"}


def test_a_big_files_parts_on_disk_go_when_it_is_imported(app_store, empty_id, monkeypatch):
    """The parts a streamed reading keeps on disk are deleted when its upload goes (after
    the import, here), not when the garbage collector gets to them."""
    from cxlib.ingest import importers
    from cxlib.ingest.pipeline import StreamedReading

    monkeypatch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(importers, "HEAD_LINES", 4)
    monkeypatch.setattr(importers, "PART_BYTES", 80)
    content = "Date;NPS\n" + "".join(f"2026-10-{d:02d} 09:00;{d % 11}\n" for d in range(1, 29))
    at = open_page("feedback", {"wb": str(empty_id)})
    at.file_uploader[0].upload("answers.csv", content.encode(), "text/csv").run()
    reading = at.session_state["cx_import_responses_reading"][1]
    assert isinstance(reading, StreamedReading)
    folder = Path(reading._folder.name)
    assert folder.exists()
    at.checkbox(key="cx_import_leave_out").check().run()  # a new check of the same reading keeps its parts
    assert folder.exists() and not reading._closed
    at.button(key="cx_import_responses_go").click().run()
    assert_clean(at)
    assert feedback.load_responses(app_store, empty_id).height == 28
    assert not folder.exists()
    with pytest.raises(RuntimeError):
        next(iter(reading.parts()))
