"""Reading survey and ticket exports as tools produce them; every bad cell is named."""

import io

import pytest

from cxlib.ingest import importers
from cxlib.ingest.parsing import FileError

EXPORT = (
    "\ufeffCustomer survey export\nExported 21.11.2026\n\n"
    "Response ID;Date;How likely…?;Segment;Comment\n"
    "QID1;QID2;QID3;;\n"
    "1;03.11.2026;9;Office;Great\n"
    "2;04.11.2026;۷;Home;ok\n"
    "3;05.11.2026 14:30;10;Home;\n"
)
MAPPING = {"date": "Date", "score": "How likely…?", "segment": "Segment", "comment": "Comment",
           "customer": "Response ID"}


def test_header_below_title_rows_and_extra_header_rows_are_skipped():
    table = importers.read_table(EXPORT.encode(), "export.csv")
    assert (table.header_line, table.first_data_line, table.delimiter) == (4, 6, ";")
    assert table.frame.columns == ["Response ID", "Date", "How likely…?", "Segment", "Comment"]
    assert table.frame.height == 3 and table.line(2) == 8


def test_responses_are_typed_with_native_digits_and_times():
    responses = importers.prepare_responses(importers.read_table(EXPORT.encode(), "e.csv"), MAPPING, "nps")
    assert responses["score"].to_list() == [9.0, 7.0, 10.0]  # "۷" is a Persian 7
    assert responses["at"].to_list() == ["2026-11-03T00:00:00", "2026-11-04T00:00:00", "2026-11-05T14:30:00"]
    assert responses["segment"].to_list() == ["Office", "Home", "Home"]
    assert responses["stage"].null_count() == 3


def test_decimal_comma_and_plain_comma_csv():
    table = importers.read_table('date,score\n2026-01-01,"4,5"\n2026-01-02,3\n'.encode(), "x.csv")
    assert importers.to_numbers(table, "score").to_list() == [4.5, 3.0]


@pytest.mark.parametrize(
    "change, column, line, words",
    [
        ((";10;", ";11;"), "How likely…?", 8, "outside 0–10"),
        (("04.11.2026", "yesterday"), "Date", 7, "not a date"),
        ((";9;", ";nine;"), "How likely…?", 6, "not a number"),
        ((";9;", ";7.5;"), "How likely…?", 6, "outside 0–10"),
    ],
)
def test_bad_cells_are_named_by_line_and_column(change, column, line, words):
    table = importers.read_table(EXPORT.replace(*change).encode(), "e.csv")
    with pytest.raises(FileError) as raised:
        importers.prepare_responses(table, MAPPING, "nps")
    assert raised.value.column == column and raised.value.rows == [line] and words in str(raised.value)


def test_missing_mapping_and_unknown_column_are_refused():
    table = importers.read_table(EXPORT.encode(), "e.csv")
    with pytest.raises(FileError, match="Score"):
        importers.prepare_responses(table, {"date": "Date"}, "nps")
    with pytest.raises(FileError, match="no column"):
        importers.prepare_responses(table, {**MAPPING, "score": "Nope"}, "nps")
    with pytest.raises(FileError):
        importers.read_table("".encode(), "empty.csv")
    with pytest.raises(FileError, match="UTF-8"):
        importers.read_table("date;score\n1;2\n".encode("utf-16"), "x.csv")


def test_csat_scale_is_checked():
    table = importers.read_table("when,csat\n2026-02-01,5\n2026-02-02,6\n".encode(), "c.csv")
    assert importers.prepare_responses(table, {"date": "when", "score": "csat"}, "csat", scale=7).height == 2
    with pytest.raises(FileError, match="outside 1–5"):
        importers.prepare_responses(table, {"date": "when", "score": "csat"}, "csat", scale=5)


def test_xlsx_with_a_title_row():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NPS survey, November"])
    sheet.append(["Date", "Score", "Channel"])
    sheet.append(["2026-11-01", 10, "email"])
    sheet.append(["2026-11-02", 3, "app"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = importers.read_table(buffer.getvalue(), "survey.xlsx")
    assert table.header_line == 2 and table.frame.columns == ["Date", "Score", "Channel"]
    responses = importers.prepare_responses(table, {"date": "Date", "score": "Score", "channel": "Channel"}, "nps")
    assert responses["score"].to_list() == [10.0, 3.0] and responses["channel"].to_list() == ["email", "app"]


def test_tickets_with_unresolved_rows():
    table = importers.read_table(
        "opened;closed;channel\n2026-01-01 09:00;2026-01-01 11:30;chat\n2026-01-02 10:00;;email\n".encode(), "t.csv")
    tickets = importers.prepare_tickets(table, {"created": "opened", "resolved": "closed", "channel": "channel"})
    assert tickets["resolved"].to_list() == ["2026-01-01T11:30:00", None]
