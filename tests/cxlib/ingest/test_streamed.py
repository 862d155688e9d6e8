"""A streamed file (read a part at a time, for imports of many answers) reads exactly as
the whole file does: the same rows, lines, questions and sentences, the same refusals."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, HealthCheck, settings, strategies as st

from cxlib.ingest import importers, pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback

MAPPING = {"date": "Date", "nps": "Score", "segment": "Segment"}


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    """Parts of a few lines, so that a small file has many."""
    monkeypatch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(importers, "HEAD_LINES", 4)
    monkeypatch.setattr(importers, "PART_BYTES", 60)


def readings(text: str, spec=feedback.RESPONSES, mapping=MAPPING, orders=None):
    data = text.encode()
    whole = pipeline.read(importers.read_table(data, "f.csv"), spec, mapping, orders)
    streamed = pipeline.read(importers.read_table(data, "f.csv", streamed=True), spec, mapping, orders)
    return whole, streamed


def same(whole, streamed) -> None:
    parts = list(streamed.parts())
    assert len(parts) > 1
    assert pl.concat([p.frame for p in parts]).equals(whole.frame)
    assert streamed.height == whole.height
    assert streamed.questions == whole.questions
    assert streamed.blanks == whole.blanks
    assert streamed.columns == whole.columns


def csv(rows: list[str]) -> str:
    return "Date,Score,Segment\n" + "".join(row + "\n" for row in rows)


def test_a_plain_file_is_split_in_parts_that_read_as_the_whole():
    whole, streamed = readings(csv([f"2026-01-{d:02d} 10:00,{d % 11},{'Home' if d % 2 else ''}"
                                    for d in range(1, 29)] + ["", ""]))
    assert isinstance(streamed, pipeline.StreamedReading) and streamed.table.streamed
    same(whole, streamed)
    assert [list(p.table.lines)[0] for p in streamed.parts()][:2] == [2, 5]


def test_blank_answers_and_empty_cells_are_counted_over_all_parts():
    whole, streamed = readings(csv([f"2026-01-{d:02d},{'' if d % 4 == 0 else 'N/A' if d % 7 == 0 else d % 11},"
                                    f"{'' if d % 3 else 'Pro'}" for d in range(1, 29)]))
    same(whole, streamed)
    assert streamed.blanks == {"nps": 10}  # 7 empty, 3 N/A


def test_a_day_month_order_shown_only_in_a_later_part_reads_every_part_in_it():
    rows = [f"0{m}/0{m}/2025,5,A" for m in range(1, 10)] + ["03/04/2025,5,A"] * 6 + ["25/04/2025,7,B"]
    whole, streamed = readings(csv(rows))
    assert not streamed.questions and streamed.orders["Date"] == "dmy"
    same(whole, streamed)
    assert streamed.sample["date"][0].month == 1


def test_a_day_month_order_no_part_shows_is_asked():
    whole, streamed = readings(csv(["03/04/2025,5,A"] * 20))
    assert streamed.questions == ["Date"] == whole.questions
    assert any(p.key == "ingest.reading.order.ask" for p in streamed.columns[0].phrases)
    whole, streamed = readings(csv(["03/04/2025,5,A"] * 20), orders={"Date": "mdy"})
    same(whole, streamed)


def test_parts_showing_both_orders_are_refused_naming_the_cells():
    rows = ["25/04/2025,7,B"] * 8 + ["04/25/2025,7,B"] * 8
    with pytest.raises(FileError) as refused:
        readings(csv(rows))
    assert refused.value.code == "not_date" and refused.value.rows[0] > 9


def test_a_decimal_comma_shown_only_in_a_later_part_reads_every_part_with_it():
    text = "Date;Score;Segment\n" + "".join(f"2026-01-{d:02d};1.234;A\n" for d in range(1, 15)) \
        + "2026-01-15;2,5;A\n"
    data = text.encode()
    spec = pipeline.Spec("x", (pipeline.Field("date", "datetime"), pipeline.Field("score", "number"),
                               pipeline.Field("segment", "text")))
    mapping = {"date": "Date", "score": "Score", "segment": "Segment"}
    whole, streamed = readings(text, spec, mapping)
    same(whole, streamed)
    assert streamed.sample["score"][0] == 1234.0
    assert any(p.key == "ingest.reading.decimal_comma" for p in streamed.columns[1].phrases)
    mixed = text + "2026-01-16;2.55;A\n"
    for streamed_flag in (False, True):
        with pytest.raises(FileError) as refused:
            pipeline.read(importers.read_table(mixed.encode(), "f.csv", streamed=streamed_flag), spec, mapping)
        assert refused.value.code == "mixed_decimals"
    assert data  # the file itself is fine


def test_a_later_part_only_the_exact_reader_splits_reads_the_file_whole():
    rows = [f"2026-01-{d:02d},{d % 11},A" for d in range(1, 20)] + ['2026-01-20,5,"two\nlines"']
    data = csv(rows).encode()
    table = importers.read_table(data, "f.csv", streamed=True)
    assert table.streamed
    spec = pipeline.Spec("x", (pipeline.Field("date", "datetime"), pipeline.Field("score", "number"),
                               pipeline.Field("segment", "text")))
    reading = pipeline.read(table, spec, {"date": "Date", "score": "Score", "segment": "Segment"})
    assert isinstance(reading, pipeline.Reading) and reading.height == 20
    assert reading.frame["segment"][-1] == "two\nlines"


def test_a_refusal_in_a_later_part_names_its_file_line():
    rows = [f"2026-01-{d:02d},{d % 11},A" for d in range(1, 20)] + ["2026-01-20,#DIV/0!,A"]
    with pytest.raises(FileError) as refused:
        readings(csv(rows))
    assert refused.value.code == "spreadsheet_error" and refused.value.rows == [21]


def test_a_streamed_reading_has_no_frame_to_take_by_mistake():
    streamed = readings(csv([f"2026-01-{d:02d},{d % 11},A" for d in range(1, 29)]))[1]
    with pytest.raises(AttributeError):
        streamed.frame  # noqa: B018


CELLS = st.sampled_from(["2026-03-01", "2026-03-01 10:00", "01/02/2026", "13/02/2026", "02/13/2026", "", "x"])
SCORES = st.sampled_from(["0", "7", "10", "", "N/A", "1,5", "1.5", "1.234", "#N/A", " 9 "])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CELLS, SCORES, st.sampled_from(["A", "", "B b"])), min_size=6, max_size=30),
       part=st.integers(min_value=1, max_value=120))
def test_any_file_reads_or_is_refused_alike_whole_and_streamed(rows, part, monkeypatch):
    monkeypatch.setattr(importers, "PART_BYTES", part)
    spec = pipeline.Spec("x", (pipeline.Field("date", "datetime"), pipeline.Field("score", "answer"),
                               pipeline.Field("segment", "text")))
    mapping = {"date": "Date", "score": "Score", "segment": "Segment"}
    text = csv([f"{d},\"{s}\",{g}" if "," in s else f"{d},{s},{g}" for d, s, g in rows])
    data = text.encode()
    outcomes = []
    for streamed in (False, True):
        try:
            table = importers.read_table(data, "f.csv", streamed=streamed)
            outcomes.append(pipeline.read(table, spec, mapping))
        except FileError as error:
            outcomes.append(error.code)
    whole, streamed = outcomes
    if isinstance(whole, str) or isinstance(streamed, str):
        # Refused either way. Which problem is named first may differ: the whole file is
        # checked a column at a time, a streamed one a part at a time (and a file showing
        # both day/month orders is read in the order most cells show, or the first part's).
        assert isinstance(whole, str) and isinstance(streamed, str), (whole, streamed)
        return
    assert pl.concat([p.frame for p in streamed.parts()]).equals(whole.frame)
    assert (streamed.questions, streamed.blanks, streamed.height) == (whole.questions, whole.blanks, whole.height)


TICKETS_MAPPING = {"created": "Created", "response_minutes": "Minutes"}


def test_a_number_the_decimal_comma_of_a_later_part_reads_is_read_as_the_whole_file_reads_it():
    rows = [f"2026-01-{d:02d} 10:00,\"{'1.000.000' if d == 3 else d}\"" for d in range(1, 25)] + ['2026-01-25 10:00,"2,5"']
    text = "Created,Minutes\n" + "".join(row + "\n" for row in rows)
    whole, streamed = readings(text, feedback.TICKETS, TICKETS_MAPPING)
    same(whole, streamed)
    assert streamed.sample["response_minutes"][2] == 1_000_000.0
    without = "Created,Minutes\n" + "".join(row + "\n" for row in rows[:-1])  # no part shows a decimal comma
    for flag in (False, True):
        with pytest.raises(FileError) as refused:
            pipeline.read(importers.read_table(without.encode(), "f.csv", streamed=flag), feedback.TICKETS,
                          TICKETS_MAPPING)
        assert refused.value.code == "not_number" and refused.value.rows == [4]


def test_an_unnamed_column_a_later_part_fills_can_still_be_chosen():
    text = "Date,Score,Segment,\n" + "".join(f"2026-01-{d:02d},{d % 11},A,{'x' if d > 20 else ''}\n"
                                             for d in range(1, 29))
    streamed = importers.read_table(text.encode(), "f.csv", streamed=True)
    assert streamed.frame.columns == ["Date", "Score", "Segment", "column 4"]
    parts = list(streamed.parts())
    assert pl.concat([p.frame for p in parts])["column 4"].drop_nulls().to_list() == ["x"] * 8
