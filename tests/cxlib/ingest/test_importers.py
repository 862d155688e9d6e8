"""Reading files into text tables as tools export them: title rows, one to three header
rows, any line ending, the right file line for every row, XLSX cells as they were saved."""

import io
from datetime import datetime

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
SURVEYMONKEY = (
    "Respondent ID,Collector ID,Start Date,End Date,How likely are you to recommend us?,Which products?,,,Comments\n"
    ",,,,Response,Shoes,Hats,Other (please specify),Open-Ended Response\n"
    "1001,5,02/24/2025 10:01:02 AM,02/24/2025 10:03:00 AM,9,Shoes,,,\"Great\nservice\"\n"
    "1002,5,02/25/2025 11:01:02 AM,02/25/2025 11:03:00 AM,,,Hats,,\n"
)
QUALTRICS = (
    "StartDate,EndDate,Progress,Q1,Q2\n"
    "Start Date,End Date,Progress,How likely are you to recommend us?,Why?\n"
    "\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\","
    "\"{\"\"ImportId\"\":\"\"progress\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\n"
    "2024-10-30 15:15:11,2024-10-30 15:18:11,100,9,good\n"
    "2024-10-31 09:00:00,2024-10-31 09:02:00,100,4,slow\n"
)


def test_title_rows_and_an_id_row_under_the_header_are_skipped():
    table = importers.read_table(EXPORT.encode(), "export.csv")
    assert (table.header_lines, table.first_data_line, table.delimiter) == ((4, 5), 6, ";")
    assert table.frame.columns == ["Response ID", "Date", "How likely…?", "Segment", "Comment"]
    assert table.frame.height == 3 and table.line(2) == 8


def test_surveymonkey_two_header_rows_name_each_answer_column():
    table = importers.read_table(SURVEYMONKEY.encode(), "sm.csv")
    assert table.header_lines == (1, 2)
    assert table.frame.columns[4] == "How likely are you to recommend us? / Response"
    assert table.frame.columns[5:8] == ["Which products? / Shoes", "Which products? / Hats",
                                        "Which products? / Other (please specify)"]
    # The quoted comment runs over two lines: the next row starts on line 5.
    assert table.lines == [3, 5] and table.frame["Comments / Open-Ended Response"][0] == "Great\nservice"


def test_qualtrics_three_header_rows():
    table = importers.read_table(QUALTRICS.encode(), "q.csv")
    assert table.header_lines == (1, 2, 3) and table.lines == [4, 5]
    assert table.frame.columns == ["StartDate", "EndDate", "Progress", "Q1", "Q2"]


def test_a_first_data_row_without_numbers_is_data_not_a_header():
    text = "date,score,name,comment\nMarch 3 2025,,Bob,very slow delivery\n2025-03-04,5,Al,ok\n2025-03-05,4,Jo,fine\n"
    table = importers.read_table(text.encode(), "t.csv")
    assert table.header_lines == (1,) and table.lines == [2, 3, 4]
    assert table.frame["name"].to_list() == ["Bob", "Al", "Jo"]


def test_line_numbers_after_blank_lines_and_multiline_cells():
    text = 'date,score,comment\n\n2025-01-01,5,"one\ntwo\nthree"\n\n\n2025-01-02,x,bad\n'
    table = importers.read_table(text.encode(), "t.csv")
    assert table.lines == [3, 8]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_ending(newline):
    text = newline.join(["date;score", "2025-01-01;5", "2025-01-02;6", ""])
    table = importers.read_table(text.encode(), "t.csv")
    assert table.frame.height == 2 and table.lines == [2, 3]


def test_header_only_and_empty_files_are_refused():
    with pytest.raises(FileError, match="no data rows"):
        importers.read_table(b"date,score,comment\n", "h.csv")
    with pytest.raises(FileError, match="empty"):
        importers.read_table(b"  \n", "e.csv")


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_line():
    with pytest.raises(FileError) as raised:
        importers.read_table(b"date,score\n2025-01-01,5\n2025-01-02,6,oops\n", "t.csv")
    assert raised.value.rows == [3] and "oops" in str(raised.value)


def test_a_field_longer_than_the_csv_default_limit_is_read():
    long = "x" * 200_000
    table = importers.read_table(f"date,text\n2025-01-01,{long}\n".encode(), "t.csv")
    assert len(table.frame["text"][0]) == 200_000


def workbook_bytes(fill) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    fill(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_title_row_datetime_cells_and_line_numbers():
    def fill(sheet):
        sheet.cell(row=2, column=2, value="NPS survey, November")
        for column, value in enumerate(["Date", "Score", "Channel"], start=2):
            sheet.cell(row=4, column=column, value=value)
        sheet.cell(row=5, column=2, value=datetime(2025, 8, 29, 17, 17, 56, 622000))
        sheet.cell(row=5, column=3, value=10)
        sheet.cell(row=5, column=4, value="email")
        sheet.cell(row=7, column=2, value=datetime(2025, 8, 30, 9, 0))
        sheet.cell(row=7, column=3, value=3)
        sheet.cell(row=7, column=4, value="app")

    table = importers.read_table(workbook_bytes(fill), "survey.xlsx")
    assert table.header_lines == (4,) and table.lines == [5, 7]
    assert table.frame.columns == ["Date", "Score", "Channel"]
    assert table.frame["Date"].to_list() == ["2025-08-29 17:17:56.622", "2025-08-30 09:00:00"]


def test_xlsx_formula_without_a_saved_value_is_a_marker_not_an_empty_cell():
    def fill(sheet):
        sheet.append(["Date", "Score"])
        sheet.append(["2025-01-01", "=1/0"])
        sheet.append(["2025-01-02", 7])

    table = importers.read_table(workbook_bytes(fill), "f.xlsx")
    assert table.frame["Score"].to_list() == [importers.FORMULA_MARKER, "7"]
    assert importers.spreadsheet_error(table.frame["Score"][0])


def test_xlsx_trailing_rows_of_formulas_without_values_are_kept_not_dropped():
    def fill(sheet):
        sheet.append(["Date", "Score"])
        sheet.append(["2025-01-01", 9])
        sheet.append(["2025-01-02", 7])
        sheet.append(['=TEXT(TODAY(),"yyyy-mm-dd")', "=1+1"])  # no saved values: the reader's range ends above

    table = importers.read_table(workbook_bytes(fill), "f.xlsx")
    assert table.lines == [2, 3, 4]
    assert table.frame.row(2) == (importers.FORMULA_MARKER, importers.FORMULA_MARKER)


def test_xlsx_error_cells_arrive_as_their_error():
    def fill(sheet):
        sheet.append(["Date", "Score"])
        sheet.append(["2025-01-01", "#DIV/0!"])  # openpyxl saves this as an error cell (t="e")
        sheet.append(["2025-01-02", 7])

    table = importers.read_table(workbook_bytes(fill), "e.xlsx")
    assert table.frame["Score"].to_list() == ["#DIV/0!", "7"]


def test_a_first_data_row_of_wrong_text_is_refused_later_not_taken_for_a_header():
    text = "date,score,name,comment\nsoon,x,Bob,very slow\n2025-03-04,5,Al,ok\n2025-03-05,4,Jo,fine\n"
    table = importers.read_table(text.encode(), "t.csv")
    assert table.header_lines == (1,) and table.lines == [2, 3, 4]
