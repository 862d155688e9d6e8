"""An XLSX file with several sheets: the first is read unless the user picks another, and
the sheet read is known (shown in the preview)."""

import io

import pytest
from openpyxl import Workbook

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback


def book() -> bytes:
    workbook = Workbook()
    first = workbook.active
    first.title = "Summary"
    first.append(["Quarter", "NPS"])
    first.append(["Q3", 41])
    answers = workbook.create_sheet("Answers")
    answers.append(["Export of 2025-10-06"])  # a title row above the header
    answers.append(["Submitted", "How likely to recommend?"])
    answers.append(["2025-10-01 09:00", 9])
    answers.append(["2025-10-02 10:00", 3])
    workbook.create_sheet("Empty")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_sheet_names_in_workbook_order_and_none_for_a_csv():
    assert pipeline.sheet_names(book(), "survey.xlsx") == ("Summary", "Answers", "Empty")
    assert pipeline.sheet_names(b"a,b\n1,2\n", "survey.csv") == ()
    assert pipeline.sheet_names(b"PK\x03\x04 not a zip", "broken.xlsx") == ()


def test_the_first_sheet_by_default_and_the_chosen_one_when_asked():
    first = pipeline.open_file(book(), "survey.xlsx")
    assert (first.sheet, first.sheets, first.frame.columns) == ("Summary", ("Summary", "Answers", "Empty"),
                                                               ["Quarter", "NPS"])
    chosen = pipeline.open_file(book(), "survey.xlsx", sheet="Answers")
    assert chosen.sheet == "Answers" and chosen.header_lines == (2,) and chosen.lines == [3, 4]
    reading = pipeline.read(chosen, feedback.RESPONSES, pipeline.suggest(chosen, feedback.RESPONSES))
    rows, summary = feedback.response_rows(reading)
    assert rows["score"].to_list() == [9.0, 3.0] and rows["at"].to_list() == ["2025-10-01T09:00:00",
                                                                               "2025-10-02T10:00:00"]


def test_an_empty_or_unknown_sheet_is_refused_with_its_name():
    with pytest.raises(FileError) as empty:
        pipeline.open_file(book(), "survey.xlsx", sheet="Empty")
    assert empty.value.code == "empty_file"
    with pytest.raises(FileError) as unknown:
        pipeline.open_file(book(), "survey.xlsx", sheet="Answers 2")
    assert unknown.value.code == "no_sheet"
    assert "Summary, Answers, Empty" in unknown.value.message("en")
    assert unknown.value.message("fa") != unknown.value.message("en")
