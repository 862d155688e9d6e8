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
