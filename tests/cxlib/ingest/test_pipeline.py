"""The one import pipeline: mapping suggested and remembered, typed reading with a sentence
per column, every refusal naming line and column, nothing written on a refusal."""

import pytest

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback

SURVEYMONKEY = (
    "Respondent ID,Collector ID,Start Date,End Date,How likely are you to recommend us?,"
    "\"Overall, how satisfied were you?\",Comments\n"
    ",,,,Response,Response,Open-Ended Response\n"
    "1001,5,02/24/2025 10:01:02 AM,02/24/2025 10:03:00 AM,9,5,\"Great\nservice\"\n"
    "1002,5,02/25/2025 11:01:02 AM,02/25/2025 11:03:00 AM,,2,slow\n"
    "1003,5,02/26/2025 09:00:00 PM,02/26/2025 09:03:00 PM,3,,\n"
)


def table_of(text: str, name: str = "f.csv"):
    return pipeline.open_file(text.encode(), name)


def test_surveymonkey_export_maps_and_imports_nps_and_csat_in_one_pass(store, workbook):
    table = table_of(SURVEYMONKEY)
    mapping = pipeline.suggest(table, feedback.RESPONSES)
    assert table.header_lines == (1, 2)  # "Response" / "Open-Ended Response" is a header row
    assert mapping["nps"] == "How likely are you to recommend us?"
    assert mapping["csat"] == "Overall, how satisfied were you?"
    assert mapping["date"] in ("Start Date", "End Date") and mapping["customer"] == "Respondent ID"
    assert mapping["comment"] == "Comments" and mapping["ces"] is None
    reading = pipeline.read(table, feedback.RESPONSES, mapping)
    rows, summary = feedback.response_rows(reading)
    assert summary == {"nps": {"answers": 2, "blank": 1, "left_out": 0}, "csat": {"answers": 2, "blank": 1, "left_out": 0}}
    assert rows.filter(rows["metric"] == "nps")["at"].to_list() == ["2025-02-24T10:01:02", "2025-02-26T21:00:00"]
    said = {c.role: [p.key for p in c.phrases] for c in reading.columns}
    assert "ingest.reading.order.mdy" in said["date"] and "ingest.reading.ampm" in said["date"]
    assert "ingest.reading.blank_answers" in said["nps"]
    feedback.import_rows(store, workbook["id"], "responses", rows, "sm.csv", "ana", "nps,csat")
    assert feedback.counts(store, workbook["id"])["responses"] == 4  # blanks counted, not stored


def test_a_row_holding_only_a_date_is_a_blank_answer_not_a_score():
    table = table_of("date,nps\n2025-01-01,9\n2025-01-02,\n")
    rows, summary = feedback.response_rows(pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "nps"}))
    assert rows["score"].to_list() == [9.0] and summary["nps"] == {"answers": 1, "blank": 1, "left_out": 0}


def test_remembered_mapping_for_files_of_the_same_shape(store, workbook):
    table = table_of("when,value,who\n2025-01-01,9,a\n")
    chosen = {"date": "when", "nps": "value", "customer": "who"}
    assert pipeline.remembered(store, workbook["id"], "responses", table) is None
    for _ in range(2):  # the second time updates the record
        with store.change("ana", workbook["id"]) as change:
            pipeline.remember(change, workbook["id"], "responses", table, {"mapping": chosen, "orders": {}})
    memory = pipeline.remembered(store, workbook["id"], "responses", table)
    assert memory["mapping"] == chosen
    assert pipeline.suggest(table, feedback.RESPONSES, memory["mapping"])["nps"] == "value"
    other = table_of("when,value,who,extra\n2025-01-01,9,a,x\n")
    assert pipeline.remembered(store, workbook["id"], "responses", other) is None


@pytest.mark.parametrize("cells, expected, phrase", [
    (["4,5", "3", "1.234,5"], [4.5, 3.0, 1234.5], "ingest.reading.decimal_comma"),
    (["4.5", "1,234.5", "1 000"], [4.5, 1234.5, 1000.0], "ingest.reading.numbers"),
    (["۴٫۵".replace("٫", "."), "۷", "-2"], [4.5, 7.0, -2.0], "ingest.reading.numbers"),
])
def test_numbers_with_their_separators(cells, expected, phrase):
    text = "date;value\n" + "".join(f'2025-01-0{i + 1};"{c}"\n' for i, c in enumerate(cells))
    spec = pipeline.Spec("t", (pipeline.Field("date", "datetime", True), pipeline.Field("value", "number")))
    reading = pipeline.read(table_of(text), spec, {"date": "date", "value": "value"})
    assert reading.frame["value"].to_list() == expected
    assert reading.columns[1].phrases[0].key == phrase


def test_mixed_decimal_separators_are_refused_not_guessed():
    spec = pipeline.Spec("t", (pipeline.Field("value", "number"),))
    with pytest.raises(FileError) as raised:
        pipeline.read(table_of("value;x\n4,5;a\n4.25;b\n"), spec, {"value": "value"})
    assert raised.value.code == "mixed_decimals" and raised.value.rows == [2]


@pytest.mark.parametrize("cell", ["#DIV/0!", "NaN", "#N/A", "#FORMULA"])
def test_spreadsheet_errors_are_refused_with_line_and_column(cell):
    table = table_of(f"date,score\n2025-01-01,9\n\n2025-01-02,{cell}\n")
    with pytest.raises(FileError) as raised:
        pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score"})
    assert (raised.value.code, raised.value.column, raised.value.rows) == ("spreadsheet_error", "score", [4])


@pytest.mark.parametrize("cell", ["#DIV/0!", "#FORMULA"])
def test_spreadsheet_errors_in_a_grouping_column_are_refused(cell):
    table = table_of(f"date,score,segment\n2025-01-01,9,a\n2025-01-02,8,{cell}\n")
    with pytest.raises(FileError) as raised:
        pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score", "segment": "segment"})
    assert (raised.value.code, raised.value.column, raised.value.rows) == ("spreadsheet_error", "segment", [3])


def test_a_comment_may_say_n_a_but_not_be_a_formula_without_its_value():
    mapping = {"date": "date", "nps": "score", "comment": "comment"}
    reading = pipeline.read(table_of("date,score,comment\n2025-01-01,9,#N/A\n"), feedback.RESPONSES, mapping)
    assert reading.frame["comment"].to_list() == ["#N/A"]
    with pytest.raises(FileError) as raised:
        pipeline.read(table_of("date,score,comment\n2025-01-01,9,#FORMULA\n"), feedback.RESPONSES, mapping)
    assert (raised.value.code, raised.value.rows) == ("spreadsheet_error", [2])


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "1E400"])
def test_infinite_numbers_are_refused(cell):
    spec = pipeline.Spec("t", (pipeline.Field("value", "number"),))
    with pytest.raises(FileError) as raised:
        pipeline.read(table_of(f"value;x\n4;a\n{cell};b\n"), spec, {"value": "value"})
    assert (raised.value.code, raised.value.rows) == ("not_number", [3])


def test_refusals_name_line_and_column():
    table = table_of("date,score,user\n2025-01-01,9,a\n1850-01-01,8,b\n")
    with pytest.raises(FileError) as raised:
        pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score"})
    assert (raised.value.code, raised.value.rows) == ("date_too_early", [3])
    with pytest.raises(FileError, match="NPS, CSAT or CES"):
        pipeline.read(table, feedback.RESPONSES, {"date": "date"})
    with pytest.raises(FileError, match="two roles"):
        pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score", "csat": "score"})
    with pytest.raises(FileError) as raised:
        pipeline.read(table_of("at,user\n2025-01-01,\n"), feedback.EVENTS, {"at": "at", "user": "user"})
    assert (raised.value.code, raised.value.column, raised.value.rows) == ("empty_value", "user", [2])
    with pytest.raises(FileError) as raised:
        feedback.response_rows(pipeline.read(table_of("d,s\n2025-01-01,11\n"), feedback.RESPONSES,
                                             {"date": "d", "nps": "s"}))
    assert "outside 0–10" in str(raised.value) and raised.value.rows == [2]


def test_answers_off_the_scale_left_out_only_when_chosen_and_counted():
    reading = pipeline.read(table_of("d,s\n2025-01-01,11\n2025-01-02,9\n2025-01-03,7.5\n"), feedback.RESPONSES,
                            {"date": "d", "nps": "s"})
    rows, summary = feedback.response_rows(reading, leave_out_off_scale=True)
    assert rows["score"].to_list() == [9.0] and summary["nps"] == {"answers": 1, "blank": 0, "left_out": 2}


def test_tickets_keep_resolved_before_first_response_and_open_ones():
    table = table_of("opened;closed;channel\n2026-01-01 09:00;2026-01-01 11:30;chat\n2026-01-02 10:00;;email\n")
    reading = pipeline.read(table, feedback.TICKETS, pipeline.suggest(table, feedback.TICKETS))
    rows = feedback.ticket_rows(reading)
    assert rows["resolved"].to_list() == ["2026-01-01T11:30:00", None]
    assert rows["channel"].to_list() == ["chat", "email"]


def test_events_flags():
    table = table_of("timestamp,user_id,page,conversion\n2026-01-01T10:00:00Z,u1,/a,yes\n2026-01-01T10:01:00Z,u1,/b,\n")
    reading = pipeline.read(table, feedback.EVENTS, pipeline.suggest(table, feedback.EVENTS))
    assert feedback.event_rows(reading)["key_event"].to_list() == [1, 0]


def test_an_xlsx_form_export_with_datetime_cells_and_an_error_cell():
    import io
    from datetime import datetime

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "How likely are you to recommend us to a friend?", "What could we do better?"])
    sheet.append([datetime(2025, 8, 29, 17, 17, 56, 622000), 9, "faster delivery"])
    sheet.append([datetime(2025, 8, 30, 8, 0), None, "nothing"])
    sheet.append([datetime(2025, 8, 31, 9, 30), 4, "call me back"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = pipeline.open_file(buffer.getvalue(), "Form responses.xlsx")
    mapping = pipeline.suggest(table, feedback.RESPONSES)
    assert (mapping["date"], mapping["nps"]) == ("Timestamp", "How likely are you to recommend us to a friend?")
    rows, summary = feedback.response_rows(pipeline.read(table, feedback.RESPONSES, mapping))
    assert rows["at"].to_list() == ["2025-08-29T17:17:56", "2025-08-31T09:30:00"]
    assert summary["nps"] == {"answers": 2, "blank": 1, "left_out": 0}
    sheet["B3"] = "#DIV/0!"  # now an error cell, not a blank answer
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(FileError) as raised:
        pipeline.read(pipeline.open_file(buffer.getvalue(), "f.xlsx"), feedback.RESPONSES, mapping)
    assert (raised.value.code, raised.value.rows) == ("spreadsheet_error", [3])
