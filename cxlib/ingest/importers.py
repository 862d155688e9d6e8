"""Reading CSV and XLSX files into a table of text cells, as survey and ticketing tools
really export them.

- any encoding (see :mod:`cxlib.ingest.decoding`); comma, semicolon, tab or pipe;
  any line ending (Windows, Unix, old Mac CR-only); quoted cells over several lines;
- title lines above the header are skipped; one to three header rows are recognised
  (SurveyMonkey's question row plus its "Response" row, Qualtrics' question-text and
  ImportId rows) and joined into one column name; a data row is never taken for a header
  unless the columns below say so;
- every data row keeps the line it started on in the file, so messages name the right line
  after blank lines and multi-line cells;
- a big CSV (a year of answers) has its data rows split by polars' CSV reader, column by
  column, instead of Python lists of cells (a million rows took 8.5 s of CPU and 900 MB
  that way): only when every record is one line, no row is wider than the header, and
  every line with a quote reads the same with Python's CSV reader; else the exact reader;
- a streamed table (``streamed=True``, for imports of many answers) holds only its first
  part's cells; :meth:`Table.parts` splits the rest a part (about 8 MB) at a time, so a
  file of ten million answers is never all in memory as cells. A later part that the
  columnar reader cannot split raises :class:`NotColumnar`: the caller reads the file again
  with ``streamed=False``;
- XLSX date cells arrive as ISO text, error cells (``#DIV/0!``) and formulas saved without
  a value arrive as markers that the typed reading refuses, never as empty cells.

Nothing here writes: :func:`read_table` gives all cells as text, with their lines.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from xml.etree import ElementTree

import polars as pl

from cxlib.ingest.dates import looks_like_date, SPREADSHEET_ERRORS
from cxlib.ingest.decoding import decode
from cxlib.ingest.parsing import FileError
from cxlib.l10n.digits import ascii_text

SCAN_ROWS = 40
COLUMNAR_FROM_BYTES = 1_000_000  # smaller files take the exact reader alone (it is fast enough)
HEAD_LINES = 200  # the title and header rows must be within these first lines for the columnar reader
PART_BYTES = 8 * 1024 * 1024  # a streamed table's parts: about 150,000 answers each
MAX_HEADER_ROWS = 3
DELIMITERS = (",", ";", "\t", "|")
FIELD_LIMIT = 64 * 1024 * 1024  # no cell is refused by the CSV reader; length rules live in the store
csv.field_size_limit(FIELD_LIMIT)  # process-wide, and before the delimiter is sniffed from the first rows
NUMBER = re.compile(r"^[-+]?(\d{1,3}([ \u00a0\u202f.,]\d{3})+|\d+)([.,]\d+)?%?$")
IMPORT_ID = re.compile(r'^\{\s*"ImportId"')
QUESTION_ID = re.compile(r"^Q(ID)?\d+(_\d+)*$", re.IGNORECASE)
FORMULA_MARKER = "#FORMULA"
# The cells of SurveyMonkey's second header row under single-answer and open questions.
SUB_HEADERS = {"response", "open-ended response", "odpowiedź", "odpowiedź otwarta", "respuesta", "réponse",
               "antwort", "risposta", "resposta"}


class NotColumnar(Exception):
    """A part of a streamed CSV that only the exact reader splits right (a quoted cell over
    several lines, a row wider than the header): read the file again with ``streamed=False``."""


@dataclass(frozen=True)
class CsvParts:
    """Where the data rows of a streamed CSV are, to split them a part at a time.

    ``data`` is the file as UTF-8; ``start`` the offset where the part after the first
    begins (the first part is the table's own frame) and ``line`` its file line; ``names``
    the columns as split (``\x00``-marked when unnamed) and ``keep`` those the table keeps."""

    data: bytes = field(repr=False)
    end: int  # after the file's last text (blank lines at the end follow)
    start: int
    line: int
    delimiter: str
    width: int
    names: tuple[str, ...]
    keep: tuple[str, ...]
    reopen: Callable[[], "Table"] = field(repr=False, compare=False)  # the same file read whole

    def rest(self) -> Iterator[tuple[pl.DataFrame, pl.Series]]:
        """The cells and file lines of each part after the first (raises NotColumnar)."""
        start, line = self.start, self.line
        while start < len(self.data):
            stop = _part_end(self.data, start, self.end)
            split = _split_part(self.data, start, stop, self.delimiter, self.width, line)
            if split is None:
                raise NotColumnar()
            frame, lines = split
            frame.columns = list(self.names)
            yield frame.select(self.keep).rename({n: n.lstrip("\x00") for n in self.keep}), lines
            line += self.data.count(b"\n", start, stop)
            start = stop


@dataclass(frozen=True)
class Table:
    """A file's data as text cells: named columns, and the file line of every data row.

    A streamed table (``source`` set) holds its first part only: read it with :meth:`parts`."""

    frame: pl.DataFrame
    name: str
    lines: list[int] | pl.Series  # a Series (Int64) when the columnar reader split the file
    header_lines: tuple[int, ...]  # 1-based lines (rows of a sheet) of the header rows
    delimiter: str | None = None
    encoding: str | None = None
    guessed_encoding: bool = False
    raw_header: list[list[str]] = field(default_factory=list)
    sheets: tuple[str, ...] = ()  # an XLSX file's sheets, in the workbook's order
    sheet: str | None = None  # the sheet read (the first unless the user chose another)
    # Per column, all its header rows' text: a Qualtrics column is named "Q5", its question
    # ("How likely are you to recommend us?") is in the row below; mapping suggestions read both.
    header_text: dict[str, str] = field(default_factory=dict)
    source: CsvParts | None = None

    @property
    def streamed(self) -> bool:
        return self.source is not None

    def parts(self) -> Iterator["Table"]:
        """The table a part at a time, each part with its file lines (the whole table when
        it is not streamed). Raises NotColumnar (see :class:`CsvParts`)."""
        yield replace(self, source=None)
        if self.source is not None:
            for frame, lines in self.source.rest():
                yield replace(self, frame=frame, lines=lines, source=None)

    @property
    def header_line(self) -> int:
        return self.header_lines[0]

    @property
    def first_data_line(self) -> int:
        return self.lines[0] if len(self.lines) else self.header_lines[-1] + 1

    def line(self, index: int) -> int:
        """The file line of data row ``index`` (0-based)."""
        return self.lines[index]

    def subset(self, keep: pl.Series) -> "Table":
        """The rows where ``keep`` is true, each still with its file line."""
        if isinstance(self.lines, pl.Series):
            return replace(self, frame=self.frame.filter(keep), lines=self.lines.filter(keep))
        lines = [line for line, kept in zip(self.lines, keep.to_list()) if kept]
        return replace(self, frame=self.frame.filter(keep), lines=lines)

    def with_frame(self, frame: pl.DataFrame) -> "Table":
        """The same rows with cells changed (e.g. labels translated), lines kept."""
        return replace(self, frame=frame)

    def shape_key(self) -> str:
        """The columns, in order: files of the same source have the same key."""
        return "\x1f".join(self.frame.columns)


def is_typed(cell: str) -> bool:
    """A number or a date: what data rows hold and header rows do not."""
    cell = ascii_text(cell).strip()
    return bool(cell) and (bool(NUMBER.match(cell)) or looks_like_date(cell))


def read_table(content: bytes, name: str, header_line: int | None = None, header_rows: int | None = None,
               encoding: str | None = None, sheet: str | None = None, streamed: bool = False) -> Table:
    """Read a CSV or XLSX file into text cells (see the module docstring).

    ``header_line`` (1-based) and ``header_rows`` (1–3) override what was detected;
    ``encoding`` overrides the detected encoding of a CSV; ``sheet`` names the sheet of
    an XLSX file to read (the first by default); ``streamed``: a big CSV is split only as
    far as its first part (see :meth:`Table.parts`).
    """
    if not re.search(rb"\S", content):  # found at the start of any real file; strip() would copy it
        raise FileError("empty_file")
    sheets: tuple[str, ...] = ()
    if is_excel(content, name):
        rows, sheets, sheet = _excel_rows(content, name, sheet)
        delimiter, decoded = None, None
    else:
        sheet = None
        decoded = decode(content, name, encoding)
        delimiter = _sniff_delimiter(_opening(decoded))
        whole = partial(read_table, content, name, header_line, header_rows, encoding) if streamed else None
        columnar = _columnar_table(content, decoded, delimiter, name, header_line, header_rows, whole)
        if columnar is not None:
            return columnar
        rows = _csv_rows(decoded.text, delimiter, name)
    rows = [(line, cells) for line, cells in rows if _has_text(cells)]
    if not rows:
        raise FileError("empty_file")
    header, count = _find_header([cells for _, cells in rows], header_line and _index_of(rows, header_line),
                                 header_rows)
    head = [cells for _, cells in rows[header:header + count]]
    body = rows[header + count:]
    if not body:
        raise FileError("no_data_rows", name=name, line=rows[header + count - 1][0])
    width = max(len(cells) for cells in head)
    names = _column_names(head, width)
    for line, cells in body:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            raise FileError("too_many_cells", None, [line], line=line, count=len(cells), expected=width,
                            value=extra[0][:80])
    padded = [cells if len(cells) == width else (cells + [""] * width)[:width] for _, cells in body]
    frame = pl.DataFrame(padded, schema={n: pl.String for n in names}, orient="row")
    frame = frame.with_columns(pl.all().str.strip_chars().replace("", None))
    keep = [n for i, n in enumerate(names) if not (n.startswith("\x00") and frame[n].null_count() == frame.height)]
    frame = frame.select(keep).rename({n: n.lstrip("\x00") for n in keep})
    texts = {}
    for index, n in enumerate(names):
        cells = [row[index].strip() for row in head if index < len(row) and row[index].strip()
                 and not IMPORT_ID.match(row[index].strip())]
        texts[n.lstrip("\x00")] = " ".join(dict.fromkeys(cells))
    return Table(frame, name, [line for line, _ in body], tuple(line for line, _ in rows[header:header + count]),
                 delimiter, decoded.encoding if decoded else None, decoded.guessed if decoded else False, head,
                 sheets, sheet, {n: texts[n] for n in frame.columns})


def _has_text(cells: list[str]) -> bool:
    return any(c.strip() for c in cells[:3]) or bool("".join(cells).strip())


def _columnar_table(content: bytes, decoded, delimiter: str, name: str, header_line: int | None,
                    header_rows: int | None, whole: Callable[[], Table] | None = None) -> Table | None:
    """The table of a big CSV with its data rows split by polars, or None when the exact
    reader must do it (see the module docstring): the same cells and lines either way.
    ``whole``: streamed, the file read whole when a later part needs the exact reader."""
    # The file as UTF-8 bytes: its own for a UTF-8 file (polars reads them, the text is never
    # built), else its text encoded once. Positions below are byte offsets in it.
    data = content if decoded.encoding == "utf-8" else decoded.text.encode("utf-8")
    if len(data) < COLUMNAR_FROM_BYTES or data.count(b"\r") != data.count(b"\r\n"):
        return None  # small, or old Mac line ends
    end = len(data)  # without the blank lines at the end (no copy of a big file)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    starts = [0]  # offset of each of the first lines
    for _ in range(HEAD_LINES):
        found = data.find(b"\n", starts[-1], end)
        if found < 0:
            return None
        starts.append(found + 1)
    try:
        rows = [(line, cells) for line, cells in _csv_rows(data[:starts[-1]].decode("utf-8-sig"), delimiter, name)
                if _has_text(cells)]
    except FileError:  # a quoted cell cut at the end of the first lines
        return None
    if not rows or (header_line and header_line > rows[-1][0]):
        return None
    header, count = _find_header([cells for _, cells in rows], header_line and _index_of(rows, header_line),
                                 header_rows)
    if header + count >= len(rows) - 1:
        return None  # the data does not start within the first lines
    head = [cells for _, cells in rows[header:header + count]]
    first = rows[header + count][0]  # file line of the first data row
    width = max(len(cells) for cells in head)
    stop = _part_end(data, starts[first - 1], end) if whole else len(data)
    split = _split_part(data, starts[first - 1], stop, delimiter, width, first)
    if split is None:
        return None
    frame, lines = split
    names = _column_names(head, width)
    frame.columns = names
    # An unnamed column empty throughout is dropped; a streamed table keeps it (a later part may fill it).
    keep = [n for n in names if not (n.startswith("\x00") and frame[n].null_count() == frame.height
                                     and stop == len(data))]
    frame = frame.select(keep).rename({n: n.lstrip("\x00") for n in keep})
    source = None
    if stop < len(data):
        source = CsvParts(data, end, stop, first + data.count(b"\n", starts[first - 1], stop), delimiter, width,
                          tuple(names), tuple(keep), whole)
    return Table(frame, name, lines, tuple(line for line, _ in rows[header:header + count]), delimiter,
                 decoded.encoding, decoded.guessed, head, source=source)


def _part_end(data: bytes, start: int, end: int) -> int:
    """Where the part from ``start`` ends: after the first line end at least PART_BYTES on,
    or at the end of the file (with its blank lines) when no text follows; ``end``: the
    offset after the file's last text."""
    found = data.find(b"\n", start + PART_BYTES, end)
    return len(data) if found < 0 else found + 1


def _split_part(data: bytes, start: int, stop: int, delimiter: str, width: int,
                line: int) -> tuple[pl.DataFrame, pl.Series] | None:
    """The cells of the whole lines in ``data[start:stop]`` split by polars, and their file
    lines (``line`` is the first's), blank lines dropped; None when the exact reader must
    split them (a row wider than the header, a quoted cell over several lines, quoting that
    Python's CSV reader reads otherwise)."""
    schema = {f"c{i}": pl.String for i in range(width)}
    whole = stop == len(data)
    try:  # the last part is read in place (no copy of a big file; skip_lines counts the file's lines); others sliced
        frame = pl.read_csv(data if whole else data[start:stop], skip_lines=line - 1 if whole else 0, has_header=False,
                            separator=delimiter, quote_char='"', schema=schema, truncate_ragged_lines=False)
    except Exception:  # noqa: BLE001 - a row wider than the header, a stray quote: the exact reader says which
        return None
    if frame.height != data.count(b"\n", start, stop) + (not data.endswith(b"\n") and whole):
        return None  # a quoted cell over several lines
    end = stop  # without the blank lines at the end
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    if data.find(b'"', start, end) >= 0 and not _same_as_python(data[start:end].decode("utf-8"), frame, delimiter,
                                                                width):
        return None
    for column in frame.columns:  # only where needed, a column at a time: the cells are not held twice
        if frame[column].str.contains(r"^\s|\s$|^$").any():  # padded or quoted-empty ("") cells
            frame = frame.with_columns(pl.col(column).str.strip_chars().replace("", None))
    lines = pl.int_range(line, line + frame.height, dtype=pl.Int64, eager=True).alias("line")
    kept = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series() if width else \
        pl.repeat(False, frame.height, eager=True)
    blank = (~kept).arg_true()
    if len(blank) == 0:
        pass
    elif blank[0] == frame.height - len(blank):  # only the blank lines at the end: no copy of the rest
        frame, lines = frame.head(blank[0]), lines.head(blank[0])
    else:
        frame, lines = frame.filter(kept), lines.filter(kept)
    return frame, lines


def _same_as_python(body: str, frame: pl.DataFrame, delimiter: str, width: int) -> bool:
    """Every line with a quote split by Python's CSV reader gives the cells polars gave.

    Lines whose quotes are all plain RFC 4180 quoting (whole cells in quotes, "" inside)
    split the same way in both readers and are not split again: exports that quote every
    cell would otherwise pay for the file twice, once in Python."""
    lines = pl.Series([body]).str.split("\n").explode()
    quoted = (lines.str.contains('"', literal=True) & ~lines.str.contains(_plain_quoting(delimiter))).arg_true()
    for text, got in zip(lines.gather(quoted).to_list(), frame[quoted].iter_rows()):
        cells = next(csv.reader([text.rstrip("\r")], delimiter=delimiter), [])
        if len(cells) > width or [c or None for c in cells] + [None] * (width - len(cells)) != list(got):
            return False
    return True


def _plain_quoting(delimiter: str) -> str:
    """A line of cells each either without quotes or wholly quoted with only "" inside."""
    other = re.escape(delimiter)
    cell = f'(?:[^"{other}\\r\\n]*|"(?:[^"]|"")*")'
    return f"^{cell}(?:{other}{cell})*\\r?$"


def _index_of(rows: list[tuple[int, list[str]]], line: int) -> int:
    """The position of the first non-blank row at or after file line ``line``."""
    return next((i for i, (at, _) in enumerate(rows) if at >= line), len(rows) - 1)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most evenly into one width (>1): the
    largest share of rows of that width, then the most such rows, then the widest.

    The share comes first: a wrong delimiter inside quoted cells can cut a few records
    into more, shorter rows of one width, but it leaves the header row out of step."""
    head = "\n".join(_first_lines(text, SCAN_ROWS))
    best, score = ",", (0.0, 0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(io.StringIO(head), delimiter=delimiter) if any(c.strip() for c in r)]
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        candidate = (wide.count(common) / len(widths), wide.count(common), common)
        if candidate > score:
            best, score = delimiter, candidate
    return best


def _opening(decoded) -> str:
    """Enough of the file's text for the delimiter sniffer's first lines, without
    decoding all of a big file (unless its lines are very long)."""
    head = decoded.head(1 << 20)
    if len(decoded.content) <= 1 << 20 or max(head.count("\n"), head.count("\r")) > SCAN_ROWS:
        return head
    return decoded.text


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines (as ``str.splitlines`` splits them) without splitting the
    whole text: a year of answers would become millions of strings to keep forty."""
    for separator in ("\n", "\r"):
        end = -1
        for _ in range(count + 1):
            end = text.find(separator, end + 1)
            if end < 0:
                break
        else:
            return text[:end].splitlines()[:count]
    return text.splitlines()[:count]


def _csv_rows(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """Every record with the file line it starts on (blank lines and multi-line cells counted)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, last = [], 0
    try:
        for cells in reader:
            if any(cells):
                rows.append((last + 1, cells))
            last = reader.line_num
    except csv.Error as error:
        raise FileError("bad_csv", None, [reader.line_num], name=name, line=reader.line_num, detail=str(error)) from None
    return rows


def _find_header(rows: list[list[str]], forced: int | None, forced_count: int | None) -> tuple[int, int]:
    """(index of the first header row, number of header rows) among the file's rows."""
    sample = rows[:SCAN_ROWS]
    widths = [sum(1 for c in row if c.strip()) for row in sample]
    widest = max(widths)
    if forced is not None:
        header = forced
    else:
        wide_enough = max(2, (widest + 1) // 2) if widest > 1 else 1
        header = next((i for i, row in enumerate(sample)
                       if widths[i] >= wide_enough and _typed_share(row) < 0.5), 0)
    if forced_count is not None:
        return header, max(1, min(MAX_HEADER_ROWS, forced_count, len(rows) - header))
    count = 1
    while count < MAX_HEADER_ROWS and header + count < len(sample) - 1:
        if not _continues_header(sample[header:header + count], sample[header + count],
                                 sample[header + count + 1:]):
            break
        count += 1
    return header, count


def _typed_share(row: list[str]) -> float:
    filled = [c for c in row if c.strip()]
    return sum(1 for c in filled if is_typed(c)) / max(len(filled), 1)


def _continues_header(head: list[list[str]], row: list[str], below: list[list[str]]) -> bool:
    """Whether ``row`` is one more header row: an ImportId row (Qualtrics), SurveyMonkey's
    "Response" row or a row naming the columns a merged header cell spans, or a text row
    filling every column that holds only numbers or dates below. A row holding any number
    or date is data."""
    filled = [(i, c.strip()) for i, c in enumerate(row) if c.strip()]
    if not filled:
        return False
    if any(IMPORT_ID.match(c) for _, c in filled):
        return True
    if any(is_typed(c) for _, c in filled):
        return False
    if any(c.lower() in SUB_HEADERS for _, c in filled):
        return True
    if _has_gaps([c.strip() for c in head[-1]]) and len(head) == 1:
        top = [c.strip() for c in head[-1]]
        fills_gap = any(i >= len(top) or not top[i] for i, _ in filled)
        leaves_named = any(top[i] and (i >= len(row) or not row[i].strip()) for i in range(len(top)))
        if fills_gap and leaves_named:
            return True
    if any(any(IMPORT_ID.match(c.strip()) for c in later) for later in below[:MAX_HEADER_ROWS - len(head)]):
        return True  # Qualtrics: question texts, then the ImportId row
    below = [r for r in below if not any(IMPORT_ID.match(c.strip()) for c in r)]
    typed_columns = [i for i in range(len(row)) if _typed_below(below, i)]
    if not typed_columns or not all(i < len(row) and row[i].strip() for i in typed_columns):
        return False
    # Text above columns of numbers or dates is a header row only when it also describes
    # the header (repeats a column name, as "Start Date" under "StartDate", or is a question
    # id): a data row whose cells are all wrong must be refused, not dropped.
    return any(_same_name(cell, head[0][i] if i < len(head[0]) else "") or QUESTION_ID.match(cell)
               for i, cell in filled)


def _same_name(cell: str, name: str) -> bool:
    def squeeze(text: str) -> str:
        return re.sub(r"[\W_]+", "", text.lower())

    return bool(squeeze(name)) and squeeze(cell) == squeeze(name)


def _typed_below(rows: list[list[str]], index: int) -> bool:
    """Column ``index`` holds numbers or dates in (nearly) every filled cell of ``rows``."""
    cells = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
    return bool(cells) and sum(1 for c in cells if is_typed(c)) >= 0.9 * len(cells)


def _column_names(head: list[list[str]], width: int) -> list[str]:
    """One name per column from the header rows. Under a merged cell (SurveyMonkey: the
    question over its answer columns) the question is carried right and joined with the
    second row (``Question / Response``); otherwise the first row names the columns and the
    rows below it (question texts, ImportIds) only describe them. Unnamed columns are
    marked (``\x00``) so that they can be dropped when empty."""
    rows = [[(row[i].strip() if i < len(row) else "") for i in range(width)] for row in head]
    merged = len(rows) > 1 and _has_gaps(rows[0]) and not any(IMPORT_ID.match(c) for c in rows[1])
    if merged:
        carried = ""
        for i, cell in enumerate(rows[0]):
            carried = cell or (carried if rows[1][i] else "")
            rows[0][i] = carried
    names = []
    for i in range(width):
        parts: list[str] = []
        for cells in rows[:2] if merged else rows[:1]:
            if cells[i] and cells[i] not in parts:
                parts.append(cells[i])
        names.append(" / ".join(parts) or f"\x00column {i + 1}")
    return _unique(names)


def _has_gaps(cells: list[str]) -> bool:
    """Empty cells after the first named one: what merged header cells leave behind."""
    named = [i for i, c in enumerate(cells) if c]
    return bool(named) and any(not cells[i] for i in range(named[0], len(cells)))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# -- XLSX ---------------------------------------------------------------------------------


def is_excel(content: bytes, name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04"


def sheet_names(content: bytes, name: str) -> tuple[str, ...]:
    """The sheets of an XLSX file in the workbook's order; () for a CSV or a file the
    Excel reader cannot open (reading it says why)."""
    if not is_excel(content, name):
        return ()
    import fastexcel

    try:
        return tuple(fastexcel.read_excel(content).sheet_names)
    except Exception:  # the Excel reader raises several unrelated types; read_table reports it
        return ()


def _excel_rows(content: bytes, name: str, sheet: str | None = None
                ) -> tuple[list[tuple[int, list[str]]], tuple[str, ...], str]:
    """A sheet's rows (the first unless ``sheet`` names another) with their sheet row
    numbers, the workbook's sheet names and the sheet read; dates as ISO text, error cells
    and formulas without a saved value as markers."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(content)
        names = tuple(reader.sheet_names)
    except Exception as error:  # the Excel reader raises several unrelated types
        raise FileError("bad_excel", name=name, detail=str(error).splitlines()[0][:200]) from None
    if sheet is not None and sheet not in names:
        raise FileError("no_sheet", name=name, sheet=sheet, sheets=", ".join(names))
    chosen = names.index(sheet) if sheet is not None else 0
    try:
        frame = reader.load_sheet(chosen, header_row=None, dtypes="string").to_polars()
        first_row, first_column, markers = _sheet_layout(content, chosen)
    except FileError:
        raise
    except Exception as error:  # the Excel reader raises several unrelated types
        raise FileError("bad_excel", name=name, detail=str(error).splitlines()[0][:200]) from None
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), marker in markers.items():
        if column >= first_column:
            by_row.setdefault(row, []).append((column - first_column, marker))
    # Rows past the reader's range hold only markers (formulas saved without a value): keep
    # them, so the typed reading refuses them by line instead of the row going unseen.
    last = first_row + frame.height - 1
    values_of = {first_row + index: values for index, values in enumerate(frame.iter_rows())}
    rows = []
    for line in range(first_row, max([last, *by_row]) + 1):
        cells = [value or "" for value in values_of.get(line, ())]
        for position, marker in by_row.get(line, ()):
            cells.extend([""] * (position + 1 - len(cells)))
            cells[position] = marker
        if line <= last or cells:
            rows.append((line, cells))
    return rows, names, names[chosen]


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _sheet_layout(content: bytes, index: int = 0) -> tuple[int, int, dict[tuple[int, int], str]]:
    """(first row, first column) holding a value in sheet ``index`` (0 = the first), and
    the cells whose value is an error (``#DIV/0!``) or a formula saved without its result."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        path = _sheet_path(archive, index)
        first_row = first_column = None
        markers: dict[tuple[int, int], str] = {}
        with archive.open(path) as sheet:
            for _, element in ElementTree.iterparse(sheet):
                if element.tag != f"{_NS}c":
                    continue
                found = _CELL_REF.match(element.get("r", ""))
                value, formula = element.find(f"{_NS}v"), element.find(f"{_NS}f")
                inline = element.find(f"{_NS}is")
                if found:
                    row, column = int(found[2]), _column_number(found[1])
                    if element.get("t") == "e" and value is not None:
                        markers[(row, column)] = value.text or "#N/A"
                    elif formula is not None and (value is None or value.text is None):
                        markers[(row, column)] = FORMULA_MARKER
                    if value is not None and value.text not in (None, "") or inline is not None:
                        first_row = row if first_row is None else min(first_row, row)
                        first_column = column if first_column is None else min(first_column, column)
                element.clear()
    return first_row or 1, first_column or 1, markers


def _sheet_path(archive: zipfile.ZipFile, index: int = 0) -> str:
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = book.findall(f"{_NS}sheets/{_NS}sheet")[index]
    relation = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == relation:
            target = rel.get("Target").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def spreadsheet_error(cell: str | None) -> bool:
    """An Excel error value or an unsaved formula, which must not be read as empty."""
    return cell is not None and (cell.upper() in SPREADSHEET_ERRORS or cell.lower() == "nan")
