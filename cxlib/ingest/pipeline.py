"""The one import pipeline every upload goes through: decode → table → column mapping →
typed reading → validation; the caller writes the result in one change (all or nothing).

``ingest`` knows no step. A step describes the columns it wants as a :class:`Spec` (roles,
each with a kind: date-time, number, answer, text or flag); the pipeline suggests which
file column plays each role (from names and content, or the mapping remembered for files
of the same shape in this workbook), reads the mapped columns into typed values, and says
in a sentence per column how it read them, for the preview shown before anything is
written. Every refusal is a :class:`FileError` naming the file line and column.

A big CSV opened with ``streamed=True`` is read a part at a time to its end
(:class:`StreamedReading`): the same checks, the same sentences, and one day/month order
and decimal separator for the whole file, without its rows all in memory at once.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from cxlib.ingest import importers
from cxlib.ingest.dates import DateColumn, EARLIEST, read_dates, SPREADSHEET_ERRORS
from cxlib.ingest.importers import NUMBER, read_table, Table
from cxlib.ingest.parsing import FileError, Term
from cxlib.l10n.digits import ascii_digits, ascii_text
from cxlib.storage import limits
from cxlib.storage.store import Store

KINDS = ("datetime", "number", "answer", "text", "flag")
YES = {"1", "true", "yes", "y", "tak", "t", "بله", "آری", "այո", "x", "✓"}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
PREVIEW_ROWS = 5
NOT_ANSWERED = ("n/a", "na", "not applicable", "nie dotyczy", "ندارد", "կիրառելի չէ")


# Text columns that group or name things: a spreadsheet error there ("#DIV/0!" as a
# segment) would become a group of its own, so it is refused like an error in a number.
KEY_ROLES = frozenset({"segment", "persona", "stage", "channel", "customer", "user", "brand", "platform",
                       "page", "feature", "name"})


def marks_an_error(role: str, text: str) -> bool:
    """Whether the typed reading refuses this cell of a text column of ``role`` as a
    spreadsheet error (the cell-by-cell twin of the check in :func:`read`)."""
    if role in KEY_ROLES:
        return text.upper() in SPREADSHEET_ERRORS or text.lower() == "nan"
    return text == importers.FORMULA_MARKER


@dataclass(frozen=True)
class Field:
    """One column a step wants: its role, kind and the words that suggest it in a header.

    ``answer`` is a number where an empty cell is an unanswered question (counted, not an
    error); empty cells of a ``required`` field are refused.
    """

    role: str
    kind: str
    required: bool = False
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    """What one kind of upload needs; ``one_of``: at least one of these roles is mapped."""

    kind: str
    fields: tuple[Field, ...]
    one_of: tuple[str, ...] = ()

    def field(self, role: str) -> Field:
        return next(f for f in self.fields if f.role == role)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(f.role for f in self.fields)


@dataclass(frozen=True)
class Phrase:
    """One part of a column's reading, said in the user's language (an i18n key)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnReading:
    role: str
    column: str
    phrases: tuple[Phrase, ...]


@dataclass
class Reading:
    """The mapped columns read into typed values, with how each was read.

    ``frame`` has one column per mapped role and ``__line`` (the file line of each row).
    ``questions`` lists date columns whose day/month order the data cannot decide: the
    user must choose before anything is written.
    """

    table: Table
    frame: pl.DataFrame
    columns: list[ColumnReading]
    questions: list[str]
    blanks: dict[str, int]
    # Per column, what its cells decided: a day/month order ("dmy", "mdy") or a decimal
    # separator ("comma", "point"); a streamed file's parts must all decide the same.
    decided: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.questions

    @property
    def sample(self) -> pl.DataFrame:
        """Rows to show before anything is written (here: all of them)."""
        return self.frame

    @property
    def height(self) -> int:
        return self.frame.height

    def parts(self) -> Iterator["Reading"]:
        """The reading a part at a time (a whole reading is one part)."""
        yield self


@dataclass
class StreamedReading:
    """A streamed table (see :meth:`cxlib.ingest.importers.Table.parts`) read and checked
    to its last row, a part at a time, with the day/month order and decimal separator the
    whole file decided. It has no ``frame``: code that needs all rows at once cannot take
    one by mistake; :meth:`parts` gives them a part at a time.

    The parts after the first wait on disk as read (Arrow IPC, LZ4: the typed values and
    the text of the cells they came from, for messages), so the check and the import that
    follow do not split and read the file again; the folder goes with :meth:`close`, or
    when this object does."""

    table: Table
    first: Reading
    columns: list[ColumnReading]
    questions: list[str]
    blanks: dict[str, int]
    height: int
    spec: Spec
    mapping: dict[str, str | None]
    orders: dict[str, str]  # per column: day/month order or decimal separator, as decided for the file
    now: datetime | None = None
    _folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    _spilled: dict[int, tuple[Path, dict[str, int]]] = field(default_factory=dict, repr=False)  # part: file, blanks
    _closed: bool = field(default=False, repr=False)

    @property
    def ready(self) -> bool:
        return not self.questions

    @property
    def sample(self) -> pl.DataFrame:
        return self.first.frame

    def close(self) -> None:
        """Delete the parts on disk now, not when the object is collected (a page lets a
        reading go when its upload goes). A closed reading cannot be read again."""
        if self._folder is not None:
            self._folder.cleanup()
        self._folder, self._closed = None, True

    def parts(self) -> Iterator[Reading]:
        if self._closed:
            raise RuntimeError("this reading was closed: read the file again")
        yield self.first
        for index in sorted(self._spilled):
            path, blanks = self._spilled[index]
            yield self._unspilled(pl.read_ipc(path), blanks)

    def _keep(self, index: int, reading: Reading) -> None:
        """Keep part ``index``'s reading (again, when it is read again): the first in memory,
        the others on disk (their values, and the cells of the columns whose values are not
        the cells themselves, dates and numbers, under ``\x00``-marked names)."""
        if index == 0:
            self.first = reading
            self.columns = self.columns or reading.columns
            return
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="cxw-reading-")
        self.columns = self.columns or reading.columns
        texts = [c.column for c in self.columns if self.spec.field(c.role).kind != "text"]
        path = Path(self._folder.name) / f"{index}.arrow"
        reading.frame.with_columns(reading.table.frame[c].alias(f"\x00{c}") for c in texts).write_ipc(
            path, compression="lz4")
        self._spilled[index] = (path, reading.blanks)

    def _unspilled(self, stored: pl.DataFrame, blanks: dict[str, int]) -> Reading:
        cells = {c.column: stored[c.role] for c in self.columns if self.spec.field(c.role).kind == "text"}
        cells.update({name[1:]: stored[name] for name in stored.columns if name.startswith("\x00")})
        frame = stored.select(c for c in stored.columns if not c.startswith("\x00"))
        table = replace(self.table, frame=pl.DataFrame([cells[c.column].alias(c.column) for c in self.columns]),
                        lines=frame["__line"], source=None)
        return Reading(table, frame, self.columns, [], blanks, {})


def open_file(content: bytes, name: str, *, header_line: int | None = None, header_rows: int | None = None,
              encoding: str | None = None, sheet: str | None = None, streamed: bool = False) -> Table:
    """Decode and split a file into its table of text cells (see :mod:`cxlib.ingest.importers`);
    ``sheet``: the sheet of an XLSX file to read (the first by default); ``streamed``: a big
    CSV is kept as its bytes and split a part at a time (for callers that take
    :meth:`Reading.parts`)."""
    return read_table(content, name, header_line=header_line, header_rows=header_rows, encoding=encoding,
                      sheet=sheet, streamed=streamed)


def sheet_names(content: bytes, name: str) -> tuple[str, ...]:
    """The sheets of an XLSX file, for the user to choose one (() for a CSV)."""
    return importers.sheet_names(content, name)


# -- column mapping -----------------------------------------------------------------------


def _words(text: str) -> str:
    return " " + re.sub(r"[\W_]+", " ", text.lower()) + " "


def _fits(kind: str, cells: list[str]) -> float:
    """How well a column's sample cells fit a kind (0–1)."""
    if not cells:
        return 0.0
    from cxlib.ingest.dates import looks_like_date

    if kind == "datetime":
        return sum(1 for c in cells if looks_like_date(c)) / len(cells)
    if kind in ("number", "answer"):
        return sum(1 for c in cells if NUMBER.match(ascii_text(c))) / len(cells)
    if kind == "flag":
        return sum(1 for c in cells if c.lower() in YES | {"0", "false", "no", "n", "nie", "خیر", "ոչ"}) / len(cells)
    return 0.5


def suggest(table: Table, spec: Spec, remembered: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """A column for each role: the remembered mapping for this file shape when there is
    one, else the best match of header words and cell contents (each column used once)."""
    columns = table.frame.columns
    if remembered and all(c is None or c in columns for c in remembered.values()):
        return {role: remembered.get(role) for role in spec.roles}
    sample = {c: table.frame[c].drop_nulls().head(50).to_list() for c in columns}
    scores = []
    for f in spec.fields:
        hints = (f.role.replace("_", " "),) + f.hints
        for column in columns:
            name = _words(column)
            # The column's other header rows too (a Qualtrics "Q5" and its question text).
            described = _words(f"{column} {table.header_text.get(column, '')}")
            # A hint inside a word ("visitor" in "visitors") counts in a short name only, not
            # in a question's sentence.
            short = len(described.split()) <= 6
            named = max((3.0 if name.strip() == hint else 2.0 if f" {hint} " in described else
                         1.0 if short and len(hint) > 3 and hint in described else 0.0) for hint in hints)
            if named == 0:
                continue
            fit = _fits(f.kind, sample[column])
            if f.kind != "text" and fit < 0.5:
                continue
            scores.append((named + fit, f.role, column))
    chosen: dict[str, str | None] = {role: None for role in spec.roles}
    used: set[str] = set()
    for _, role, column in sorted(scores, key=lambda s: -s[0]):
        if chosen[role] is None and column not in used:
            chosen[role] = column
            used.add(column)
    return chosen


# -- typed reading ------------------------------------------------------------------------


_LONGEST_NOT_ANSWERED = max(len(word) for word in NOT_ANSWERED)


def _folded_among(cells: pl.Series, could: pl.Series, fold: Any, words: Sequence[str]) -> pl.Series:
    """Which cells, case-folded by ``fold``, are one of ``words``; only the cells where
    ``could`` holds are folded (case mapping never shortens a text, and none of these
    words is all digits), so a column of a million scores costs one cheap test."""
    found = pl.repeat(False, len(cells), dtype=pl.Boolean, eager=True).alias(cells.name)
    positions = could.fill_null(False).arg_true()
    if len(positions):
        hits = fold(cells.gather(positions)).is_in(list(words)).fill_null(False)
        found = found.scatter(positions.filter(hits), True)
    return found


def refuse(table: Table, column: str, positions: Sequence[int], problem: str, **params: Any) -> FileError:
    """An error naming the column, the file lines (first five) and the first bad cell."""
    lines = [table.line(i) for i in positions[:5]]
    value = table.frame[column][positions[0]] if positions else None
    return FileError(problem, column, lines, lines=lines, value=_shown(value), count=len(positions), **params)


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_mapping(table: Table, spec: Spec, mapping: Mapping[str, str | None]) -> None:
    for f in spec.fields:
        column = mapping.get(f.role)
        if f.required and not column:
            raise FileError("choose_column", f.role, role=Term(f"ingest.role.{f.role}"))
        if column and column not in table.frame.columns:
            raise FileError("no_column", column, name=table.name)
    if spec.one_of and not any(mapping.get(role) for role in spec.one_of):
        raise FileError("choose_one_of", None, roles=", ".join(spec.one_of),
                        choices=Term(f"ingest.one_of.{spec.kind}"))
    chosen = [c for c in mapping.values() if c]
    twice = next((c for c in chosen if chosen.count(c) > 1), None)
    if twice:
        raise FileError("column_twice", twice)


def read(table: Table, spec: Spec, mapping: Mapping[str, str | None],
         orders: Mapping[str, str] | None = None, now: datetime | None = None) -> Reading | StreamedReading:
    """Read the mapped columns (see the module docstring). ``orders`` holds the user's
    day/month choice per date column ("dmy"/"mdy"). Raises FileError for the first problem.

    A streamed table is read to its end a part at a time (:class:`StreamedReading`); when
    a part needs the exact CSV reader, the file is read whole instead."""
    _check_mapping(table, spec, mapping)
    if not table.streamed:
        return _read(table, spec, mapping, orders or {}, now)
    try:
        return _read_streamed(table, spec, dict(mapping), dict(orders or {}), now)
    except importers.NotColumnar:
        pass  # read whole below, once the parts read so far are let go
    return _read(table.source.reopen(), spec, mapping, orders or {}, now)


_COUNTED = ("ingest.reading.blank_answers", "ingest.reading.empty_cells")  # phrases whose counts parts add up
# Phrases saying what the data decided for a column (or what an earlier part decided for a
# later one); the file-wide decision replaces them.
_DECIDED = {"dmy": "ingest.reading.order.dmy", "mdy": "ingest.reading.order.mdy",
            "comma": "ingest.reading.decimal_comma", "point": "ingest.reading.numbers"}
_UNDECIDED = frozenset({"ingest.reading.order.ask", "ingest.reading.order.dmy_chosen",
                        "ingest.reading.order.mdy_chosen", "ingest.reading.dates", *_DECIDED.values()})


def _read_streamed(table: Table, spec: Spec, mapping: dict[str, str | None], orders: dict[str, str],
                   now: datetime | None) -> StreamedReading:
    """Every part read and checked; what the parts decided merged into one reading of the
    file. A column's day/month order or decimal separator is the one the first part that
    shows one shows, and later parts are read with it: a date written the other way is
    then refused as unreadable, a number with the other separator as mixed. Parts read
    before the file decided are read again, and so is a part refused for a number that
    the separator decided later reads ("1.000.000" before the first "2,5")."""
    streamed = StreamedReading(table, None, [], [], {}, 0, spec, mapping, dict(orders), now)
    running, blanks, asked = dict(orders), {}, {}
    phrases: dict[str, dict[str, Phrase]] = {}  # per role, each phrase once (counts added up)
    decisions: dict[str, dict[str, Table]] = {}  # per column: each decision and the cells of the first part making it
    deferred: dict[int, FileError] = {}  # parts refused for a number while its column's separator was open
    late = 0  # the parts before this one were read before some column was decided

    def take(index: int, reading: Reading) -> None:
        nonlocal late
        streamed._keep(index, reading)
        streamed.height += reading.height
        asked.update(dict.fromkeys(reading.questions))
        for role, count in reading.blanks.items():
            blanks[role] = blanks.get(role, 0) + count
        for column in reading.columns:
            merged = phrases.setdefault(column.role, {})
            for phrase in column.phrases:
                if phrase.key in _COUNTED and phrase.key in merged:
                    phrase = Phrase(phrase.key, {"count": merged[phrase.key].params["count"] + phrase.params["count"]})
                merged[phrase.key] = phrase
        for column, decision in reading.decided.items():
            decisions.setdefault(column, {}).setdefault(decision, replace(reading.table,
                                                                          frame=reading.table.frame.select(column)))
            if column not in running:
                running[column], late = decision, max(late, index)

    count = 0
    for index, part in enumerate(table.parts()):
        count += 1
        try:
            reading = _read(part, spec, mapping, running, now)
        except FileError as error:
            if error.code != "not_number" or error.column in running:
                raise
            deferred[index] = error
            continue
        take(index, reading)
    for column, found in decisions.items():
        if len(found) > 1:
            _refuse_mixed(column, found)
    for index, error in deferred.items():
        if error.column not in running:
            raise error  # no part showed a decimal comma: the number is not one
    again, reading_late = set(deferred), late
    if deferred:
        for index, part in enumerate(table.parts()):
            if index in deferred:
                take(index, _read(part, spec, mapping, running, now))
        if late > reading_late:  # a part read again decided a column: every part is read again
            late, again = count, set()
    for index, part in zip(range(late), table.parts()):
        if index not in again:
            streamed._keep(index, _read(part, spec, mapping, running, now))
    questions = [c for c in asked if c not in running]
    columns = []
    for column in streamed.first.columns:
        decision = running.get(column.column) if column.column not in orders else None
        instead = Phrase(_DECIDED[decision]) if decision else \
            Phrase("ingest.reading.order.ask") if column.column in questions else None
        said = []
        for phrase in phrases[column.role].values():
            phrase = instead if instead and phrase.key in _UNDECIDED else phrase
            if phrase not in said:
                said.append(phrase)
        columns.append(ColumnReading(column.role, column.column, tuple(said)))
    streamed.columns, streamed.questions, streamed.blanks, streamed.orders = columns, questions, blanks, running
    return streamed


def _refuse_mixed(column: str, found: dict[str, Table]) -> None:
    """Parts of a file with a decimal comma and parts with a decimal point in one column:
    refused naming the cells (dates written both ways are refused as they are read)."""
    comma_cells, point_cells = found["comma"].frame[column], found["point"].frame[column]
    point = point_cells[_decimal_marks(point_cells)[2][0]]
    raise refuse(found["comma"], column, _decimal_marks(comma_cells)[1], "mixed_decimals", other=_shown(point))


def _read(table: Table, spec: Spec, mapping: Mapping[str, str | None], orders: Mapping[str, str],
          now: datetime | None) -> Reading:
    """The mapped columns of a whole table (or of one part) read and checked."""
    out: dict[str, pl.Series] = {"__line": pl.Series("__line", table.lines, dtype=pl.Int64)}
    readings, questions, blanks, decided = [], [], {}, {}
    for f in spec.fields:
        column = mapping.get(f.role)
        if not column:
            continue
        cells = table.frame[column]
        if f.kind == "answer":  # "N/A" under a question is a question left unanswered: a blank
            cells = cells.set(_folded_among(cells, ((cells.str.len_chars() <= _LONGEST_NOT_ANSWERED)
                                                    | cells.str.contains(r"^\s|\s$"))  # a webhook's cells are not stripped
                                            & cells.str.contains(r"[^\d.,+\-\s]"),
                                            lambda c: c.str.to_lowercase().str.strip_chars(), NOT_ANSWERED), None)
            table = table.with_frame(table.frame.with_columns(cells))
        if f.kind != "text" or f.role in KEY_ROLES:
            errors = _folded_among(cells, cells.str.starts_with("#") | (cells.str.len_chars() == 3),
                                   lambda c: c.str.to_uppercase(), SPREADSHEET_ERRORS + ("NAN",))
        else:  # free text may say "#N/A" in the writer's own words; a formula without its value is no words
            errors = cells == importers.FORMULA_MARKER
        errors = errors.fill_null(False).arg_true().to_list()
        if errors:
            raise refuse(table, column, errors, "spreadsheet_error")
        empty = cells.is_null().arg_true().to_list()
        if f.required and empty:
            raise refuse(table, column, empty, "empty_value")
        reader = {"datetime": _read_datetime, "number": _read_number, "answer": _read_number,
                  "text": _read_text, "flag": _read_flag}[f.kind]
        values, phrases, question, decision = reader(table, column, orders.get(column), now)
        if question:
            questions.append(column)
        if decision:
            decided[column] = decision
        if f.kind == "answer":
            blanks[f.role] = len(empty)
            phrases = phrases + (Phrase("ingest.reading.blank_answers", {"count": len(empty)}),)
        elif empty and not f.required:
            phrases = phrases + (Phrase("ingest.reading.empty_cells", {"count": len(empty)}),)
        out[f.role] = values.alias(f.role)
        readings.append(ColumnReading(f.role, column, phrases))
    frame = pl.DataFrame(out)
    # A 10 MB brand would become a chart legend: text longer than the store keeps for this
    # kind of record is refused here, naming the file's column and lines.
    found = limits.too_long(spec.kind, frame.drop("__line"))
    if found:
        role, limit, positions = found
        raise refuse(table, mapping[role], positions, "too_long", max=limit)
    return Reading(table, frame, readings, questions, blanks, decided)


_ISO = r"^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"  # Solar Hijri years take the long way
_ISO_PADDING = {10: "T00:00:00", 16: ":00", 19: ""}  # the cell's length (as _ISO allows) → what completes it


def _iso_dates(cells: pl.Series, now: datetime | None) -> DateColumn | None:
    """A column of plain ISO dates read in one vectorised pass (large exports); None when
    any cell needs the general reader (:func:`cxlib.ingest.dates.read_dates`). The cells
    are completed to one form (``T`` between date and time, seconds) and parsed once,
    and the values stay a polars column: a million Python datetimes cost seconds."""
    if not bool(cells.str.contains(_ISO).fill_null(True).all()):
        return None
    parsed = cells.str.strptime(pl.Datetime("us"), TIME_FORMAT, strict=False)  # most exports: one form throughout
    rest = (parsed.is_null() & cells.is_not_null()).arg_true()
    if len(rest):
        others = cells.gather(rest)
        completed = pl.select(pl.lit(others).str.replace(" ", "T", literal=True)
                              + pl.lit(others).str.len_bytes().replace_strict(_ISO_PADDING, default="")).to_series()
        parsed = parsed.scatter(rest, completed.str.strptime(pl.Datetime("us"), TIME_FORMAT, strict=False))
    parsed = parsed.alias(cells.name)
    limit = (now or datetime.now()) + timedelta(days=1)
    column = DateColumn(parsed, None, True)
    column.unreadable = (parsed.is_null() & cells.is_not_null()).arg_true().to_list()
    column.too_early = (parsed < EARLIEST).fill_null(False).arg_true().to_list()
    column.in_future = (parsed > limit).fill_null(False).arg_true().to_list()
    if bool(cells.str.contains("[T ]").fill_null(False).any()):
        column.features.add("time")
    return column


def _read_datetime(table: Table, column: str, order: str | None, now: datetime | None):
    dates = _iso_dates(table.frame[column], now) or read_dates(table.frame[column].to_list(), order, now)
    for positions, problem in ((dates.unreadable, "not_date"), (dates.too_early, "date_too_early"),
                               (dates.in_future, "date_in_future")):
        if positions:
            raise refuse(table, column, positions, problem)
    phrases = []
    if dates.order:
        phrases.append(Phrase(f"ingest.reading.order.{dates.order}" + ("" if order is None else "_chosen")))
    elif dates.needs_order:
        phrases.append(Phrase("ingest.reading.order.ask"))
    else:
        phrases.append(Phrase("ingest.reading.dates"))
    for feature in ("two_digit_year", "month_name", "solar", "serial", "timezone", "fraction", "ampm"):
        if feature in dates.features:
            phrases.append(Phrase(f"ingest.reading.{feature}",
                                  {"pivot": f"{dates.two_digit_pivot:02d}", "above": f"{dates.two_digit_pivot + 1:02d}"}))
    values = dates.values if isinstance(dates.values, pl.Series) else pl.Series(column, dates.values,
                                                                                 dtype=pl.Datetime("us"))
    return values, tuple(phrases), dates.needs_order, dates.order if dates.shown else None


def _decimal_marks(cells: pl.Series) -> tuple[pl.Series, list[int], list[int]]:
    """The cells as ASCII digits without grouping spaces, and the positions of those that
    can only have a decimal comma, or only a decimal point."""
    text = ascii_digits(cells)
    if text.str.contains(r"[\s\u00a0\u202f]").any():  # "1 234": spaces that group digits
        text = text.str.replace_all(r"[\s\u00a0\u202f]", "")
    comma = _matching(text, r"^[-+]?\d+,(\d{1,2}|\d{4,})$|^[-+]?\d{1,3}(\.\d{3})+,\d+$")
    point = _matching(text, r"^[-+]?\d*\.(\d{1,2}|\d{4,})$|^[-+]?\d{1,3}(,\d{3})+\.\d+$")
    return text, comma, point


def _read_number(table: Table, column: str, order: str | None, now: datetime | None):
    """``order``: the decimal separator ("comma", "point") the whole file decided, for one
    part of it whose own cells may not show it ("1.234")."""
    text, comma, point = _decimal_marks(table.frame[column])
    if comma and point:
        raise refuse(table, column, comma, "mixed_decimals", other=_shown(table.frame[column][point[0]]))
    # A part's own cells decide first (a later part with the other separator is refused as
    # mixed when the parts are merged); the file's decision reads a part that shows none.
    decimal_comma = bool(comma) if comma or point else order == "comma"
    if decimal_comma:
        text = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    else:
        text = text.str.replace_all(",", "", literal=True)
    numbers = text.cast(pl.Float64, strict=False)
    # "inf", "Infinity" and "1E400" cast to infinity: no file means that as a number.
    bad = ((numbers.is_null() & text.is_not_null()) | numbers.is_infinite().fill_null(False)).arg_true().to_list()
    if bad:
        raise refuse(table, column, bad, "not_number")
    phrase = Phrase("ingest.reading.decimal_comma" if decimal_comma else "ingest.reading.numbers")
    return numbers, (phrase,), False, "comma" if comma else "point" if point else None


def _matching(text: pl.Series, pattern: str) -> list[int]:
    return text.str.contains(pattern).fill_null(False).arg_true().to_list()


def _read_text(table: Table, column: str, order: str | None, now: datetime | None):
    return table.frame[column], (Phrase("ingest.reading.text"),), False, None


def _read_flag(table: Table, column: str, order: str | None, now: datetime | None):
    values = table.frame[column].str.to_lowercase().is_in(list(YES)).fill_null(False)
    return values, (Phrase("ingest.reading.flag"),), False, None


def as_text_times(values: pl.Series) -> pl.Series:
    """Date-times as the stored text form (``2026-03-31T14:05:00``, seconds kept)."""
    return values.dt.strftime(TIME_FORMAT)


def preview(reading: Reading | StreamedReading, rows: int = PREVIEW_ROWS) -> pl.DataFrame:
    """The first rows as they will be stored: roles as columns, the file line first."""
    frame = reading.sample.head(rows)
    return frame.with_columns(pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S")
                              for c, dtype in frame.schema.items() if dtype == pl.Datetime)


# -- remembered mappings ------------------------------------------------------------------


def remembered(store: Store, workbook_id: int, kind: str, table: Table) -> dict[str, Any] | None:
    """The mapping and choices last used in this workbook for files of this shape."""
    found = store.rows("select mapping from import_mappings where workbook_id = ? and kind = ? and shape = ?",
                       (workbook_id, kind, table.shape_key()))
    return json.loads(found[0]["mapping"]) if found else None


def remember(change: Any, workbook_id: int, kind: str, table: Table, choices: Mapping[str, Any]) -> None:
    """Keep the mapping and choices for the next file of this shape (inside the import's change)."""
    values = {"workbook_id": workbook_id, "kind": kind, "shape": table.shape_key(),
              "mapping": json.dumps(dict(choices), ensure_ascii=False)}
    found = change.store.rows("select id, version from import_mappings where workbook_id = ? and kind = ? "
                              "and shape = ?", (workbook_id, kind, values["shape"]))
    if found:
        change.update("import_mappings", found[0]["id"], {"mapping": values["mapping"]}, found[0]["version"])
    else:
        change.insert("import_mappings", values)
