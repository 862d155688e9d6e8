"""Big CSV files have their data rows split by polars: the same cells and file lines as
the exact (Python) reader, or the exact reader is used."""

from __future__ import annotations

import polars as pl
import pytest

from cxlib.ingest import importers

FILES = {
    "plain": "Date;Score;Segment\n" + "".join(f"2026-01-{d:02d};{d % 11};Home\n" for d in range(1, 29)),
    "title, blank lines, CRLF, short rows": "Export of answers\r\n\r\nDate,Score,Comment\r\n"
    + "".join(f"2026-02-{d:02d},{d % 11},{'' if d % 3 else 'ok'}\r\n" + ("\r\n" if d % 5 == 0 else "")
              for d in range(1, 28)) + "2026-02-28,7\r\n\r\n\r\n",
    "quoted cells": 'Date,Score,Comment\n' + "".join(f'2026-03-{d:02d},{d % 11},"said ""{d}"", then, left"\n'
                                                     for d in range(1, 29)),
    "a quoted cell over two lines": 'Date,Score,Comment\n' + "".join(f'2026-03-{d:02d},{d % 11},x\n'
                                                                     for d in range(1, 20)) + '2026-03-20,5,"two\nlines"\n',
    "a stray quote": "Date,Score,Comment\n" + "".join(f"2026-03-{d:02d},{d % 11},x\n" for d in range(1, 20))
    + '2026-03-20,5,"b"c\n',
    "a row wider than the header, blank extras": "Date,Score\n" + "".join(f"2026-03-{d:02d},{d % 11}\n"
                                                                           for d in range(1, 20)) + "2026-03-20,5,,\n",
    "two header rows": "Question,Question\nResponse,Response\n" + "".join(f"{d},{d % 11}\n" for d in range(1, 29)),
    "whitespace-only row": "A,B,C\n" + "".join(f"{d}, x ,\n" for d in range(1, 20)) + " , , \n1,2,3\n",
}


def both(content: str, monkeypatch, encoding: str = "utf-8") -> tuple[importers.Table, importers.Table]:
    data = content.encode(encoding)
    exact = importers.read_table(data, "f.csv")
    monkeypatch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(importers, "HEAD_LINES", 6)
    return exact, importers.read_table(data, "f.csv")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("name", list(FILES))
def test_the_columnar_reader_gives_the_exact_readers_cells_and_lines(name, encoding, monkeypatch):
    exact, fast = both(FILES[name], monkeypatch, encoding)
    assert fast.frame.equals(exact.frame), (fast.frame, exact.frame)
    assert list(fast.lines) == list(exact.lines)
    assert (fast.header_lines, fast.raw_header, fast.delimiter) == (exact.header_lines, exact.raw_header,
                                                                      exact.delimiter)


def test_plain_files_do_take_the_columnar_reader(monkeypatch):
    exact, fast = both(FILES["plain"], monkeypatch)
    assert isinstance(fast.lines, pl.Series) and not isinstance(exact.lines, pl.Series)
    assert fast.line(0) == 2 and fast.first_data_line == 2
    assert list(fast.subset(fast.frame["Score"] == "0").lines) == [12, 23]
    exact_only = ("a quoted cell over two lines", "a stray quote", "a row wider than the header, blank extras")
    for name in FILES:
        assert isinstance(both(FILES[name], monkeypatch)[1].lines, pl.Series) == (name not in exact_only), name


# -- property: any quoting gives the exact reader's cells, or the exact reader is used ---------

from hypothesis import given, HealthCheck, settings, strategies as st  # noqa: E402

CELL = st.text(alphabet=st.sampled_from(['a', 'b', ' ', '"', ',', 'ž']), max_size=6)
WAYS = st.sampled_from(["quoted", "quoted", "as is", "as is", "stray quote"])


def _written(cell: str, way: str) -> str:
    """A cell in quotes (RFC 4180), as it is (no quote, no comma), or with a stray quote inside."""
    bare = cell.replace('"', "").replace(",", "")
    return {"quoted": '"' + cell.replace('"', '""') + '"', "as is": bare, "stray quote": "x" + cell.replace(",", "")}[way]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.tuples(CELL, WAYS), min_size=3, max_size=3), min_size=8, max_size=16))
def test_cells_quoted_in_any_way_read_as_the_exact_reader_reads_them(rows, monkeypatch):
    """Plain RFC 4180 lines skip the second split (see importers._same_as_python); whatever
    the quoting, the columnar reader's cells and lines are the exact reader's."""
    lines = ["Date,Score,Comment"] + [",".join(_written(c, way) for c, way in row) for row in rows]
    content = "\n".join(lines) + "\n"
    try:
        exact = importers.read_table(content.encode(), "f.csv")
    except importers.FileError:
        return  # the exact reader refuses it: nothing to compare
    with monkeypatch.context() as patch:
        patch.setattr(importers, "COLUMNAR_FROM_BYTES", 0)
        patch.setattr(importers, "HEAD_LINES", 6)
        fast = importers.read_table(content.encode(), "f.csv")
    assert fast.frame.equals(exact.frame), (fast.frame, exact.frame)
    assert list(fast.lines) == list(exact.lines)
