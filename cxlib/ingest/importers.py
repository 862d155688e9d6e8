"""Reading CSV and XLSX files as survey and ticketing tools really export them.

- the header is not always the first row: title lines above it are skipped, and extra
  header rows below it (question texts, import ids) are skipped until the data starts;
- UTF-8 with or without a byte-order mark; comma, semicolon or tab delimiters;
- decimal commas (European Excel) and Persian/Arabic-Indic digits in numbers;
- dates in ISO form and common local forms.

Nothing here writes: :func:`read_table` gives all cells as text with the file's line
numbers, and the ``prepare_*`` functions validate a column mapping and return typed rows
or raise :class:`cxlib.parsing.FileError` naming the line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from cxlib.ingest.parsing import FileError, read_datetimes, require_short, Term
from cxlib.l10n.digits import ascii_digits

_NUMBERISH = re.compile(r"^[-+]?[\d۰-۹٠-٩]+([.,][\d۰-۹٠-٩]+)?$")
_DATEISH = re.compile(r"^[\d۰-۹٠-٩]{1,4}[-./][\d۰-۹٠-٩]{1,2}[-./][\d۰-۹٠-٩]{1,4}")
SCAN_LINES = 30


@dataclass(frozen=True)
class Table:
    """A file's data as text cells, with where it started in the file."""

    frame: pl.DataFrame
    name: str
    header_line: int  # 1-based line of the header
    first_data_line: int  # 1-based line of the first data row
    delimiter: str | None

    def line(self, index: int) -> int:
        """The file line of data row ``index`` (0-based)."""
        return self.first_data_line + index


def _looks_like_data(cell: str) -> bool:
    cell = cell.strip()
    return bool(_NUMBERISH.match(cell) or _DATEISH.match(cell))


def _find_header(rows: list[list[str]]) -> tuple[int, int]:
    """(header index, first data index) among the first rows of a file.

    The header is the first row as wide as the widest row whose cells are all text; data
    starts at the first later row holding a number or a date.
    """
    widths = [sum(1 for cell in row if cell.strip()) for row in rows]
    widest = max(widths, default=0)
    if widest == 0:
        raise FileError("empty_file")
    header = next(
        (i for i, row in enumerate(rows)
         if widths[i] >= max(2, widest - 1) and not any(_looks_like_data(c) for c in row if c.strip())),
        0,
    )
    data = next((i for i in range(header + 1, len(rows)) if any(_looks_like_data(c) for c in rows[i])),
                header + 1)
    return header, data


def _sniff_delimiter(lines: list[str]) -> str:
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def read_table(content: bytes, name: str, header_line: int | None = None) -> Table:
    """Read a CSV or XLSX file into text cells (see the module docstring).

    ``header_line`` (1-based) overrides the detected header row.
    """
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        return _read_excel(content, name, header_line)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("not_utf8", name=name) from None
    head = text.splitlines()[:SCAN_LINES]
    delimiter = _sniff_delimiter([line for line in head if line.strip()])
    rows = list(csv.reader(head, delimiter=delimiter))
    header, data = _find_header(rows)
    if header_line is not None:
        header, data = header_line - 1, header_line
    try:
        frame = pl.read_csv(
            io.StringIO(text), separator=delimiter, skip_rows=header, has_header=True,
            skip_rows_after_header=data - header - 1, infer_schema_length=0,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as error:
        raise FileError("bad_csv", name=name, detail=str(error).splitlines()[0]) from None
    return Table(_clean(frame), name, header + 1, data + 1, delimiter)


def _read_excel(content: bytes, name: str, header_line: int | None) -> Table:
    try:
        raw = pl.read_excel(io.BytesIO(content), has_header=False, infer_schema_length=0)
    except Exception as error:  # the Excel reader raises several unrelated types
        raise FileError("bad_excel", name=name, detail=str(error)) from None
    raw = raw.select(pl.all().cast(pl.String))
    rows = [[cell or "" for cell in row] for row in raw.head(SCAN_LINES).iter_rows()]
    header, data = _find_header(rows)
    if header_line is not None:
        header, data = header_line - 1, header_line
    names = [str(cell or f"column_{i + 1}").strip() for i, cell in enumerate(raw.row(header))]
    frame = raw.slice(data).rename(dict(zip(raw.columns, _unique(names))))
    return Table(_clean(frame), name, header + 1, data + 1, None)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim cells, turn empty cells into nulls, drop empty rows and unnamed empty columns
    (trailing delimiters); a named column stays even when it is empty."""
    frame = frame.rename({c: c.strip() for c in frame.columns})
    frame = frame.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in frame.columns
    )
    frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    unnamed = re.compile(r"^(|_duplicated_\d+|column_\d+)$")
    return frame.select([c for c in frame.columns
                         if not (unnamed.match(c) and frame[c].null_count() == frame.height)])


# -- typed columns ----------------------------------------------------------------------


def refuse(table: Table, column: str, positions: list[int], problem: str, **params: Any) -> FileError:
    """An error naming the column, the file lines (first five) and the first bad cell
    (``problem``: not_number, not_date, out_of_range or empty_value)."""
    lines = [table.line(i) for i in positions[:5]]
    return FileError(problem, column, lines, lines=lines, value=table.frame[column][positions[0]], **params)


def to_numbers(table: Table, column: str) -> pl.Series:
    """A text column as numbers: native digits and decimal commas accepted; any other
    text is an error naming the first lines."""
    text = ascii_digits(table.frame[column]).str.replace(r"^([-+]?\d+),(\d+)$", "$1.$2")
    numbers = text.cast(pl.Float64, strict=False)
    bad = (numbers.is_null() & text.is_not_null()).arg_true().to_list()
    if bad:
        raise refuse(table, column, bad, "not_number")
    return numbers.alias(column)


def to_datetimes(table: Table, column: str) -> pl.Series:
    """A text column as date-times (see :func:`cxlib.parsing.read_datetimes`)."""
    parsed, bad = read_datetimes(table.frame[column])
    if bad:
        raise refuse(table, column, bad, "not_date")
    return parsed.alias(column)


def require(table: Table, mapping: Mapping[str, str | None], roles: tuple[str, ...]) -> None:
    """Every required role is mapped to an existing column."""
    for role in roles:
        column = mapping.get(role)
        if not column:
            raise FileError("choose_column", role, role=Term(f"feedback.role.{role}"))
        if column not in table.frame.columns:
            raise FileError("no_column", column, name=table.name)


def checked(table: Table, mapping: Mapping[str, str | None], kind: str, out: pl.DataFrame) -> pl.DataFrame:
    """``out`` (one row per data row of the file) once no text cell is longer than the
    store keeps; else FileError naming the file's column and lines."""
    lines = range(table.first_data_line, table.first_data_line + out.height)
    require_short(out, kind, lines, {role: column for role, column in mapping.items() if column})
    return out


def optional(table: Table, mapping: Mapping[str, str | None], role: str) -> pl.Series:
    """The column mapped to ``role``, or an empty text column when none was chosen."""
    column = mapping.get(role)
    values = table.frame[column] if column else pl.Series([None] * table.frame.height, dtype=pl.String)
    return values.alias(role)


# -- survey responses ---------------------------------------------------------------------

METRICS = {"nps": (0, 10), "csat": (1, None), "ces": (1, None)}
RESPONSE_ROLES = ("date", "score", "customer", "segment", "persona", "stage", "channel", "comment")


def prepare_responses(table: Table, mapping: Mapping[str, str | None], metric: str,
                      scale: int | None = None) -> pl.DataFrame:
    """Survey answers as typed rows, ready to store (or FileError naming line and column).

    ``mapping`` maps roles (date, score, customer, segment, persona, stage, channel,
    comment) to the file's columns; date and score are required. Scores must sit on the
    metric's scale (NPS 0–10; CSAT 1–``scale``; CES 1–``scale``) and be whole numbers.
    """
    if metric not in METRICS:
        raise FileError("metric_choice", "metric", choices=", ".join(METRICS))
    require(table, mapping, ("date", "score"))
    low, high = METRICS[metric]
    high = high if high is not None else (scale or (5 if metric == "csat" else 7))
    score_column = mapping["score"]
    scores = to_numbers(table, score_column)
    off = (scores.is_not_null() & ((scores < low) | (scores > high) | (scores != scores.floor()))).arg_true()
    if off.len():
        raise refuse(table, score_column, off.to_list(), "out_of_range", count=off.len(), low=low, high=high)
    dates = to_datetimes(table, mapping["date"])
    missing_date = dates.is_null().arg_true()
    if missing_date.len():
        raise refuse(table, mapping["date"], missing_date.to_list(), "empty_value")
    out = pl.DataFrame({"at": dates.dt.strftime("%Y-%m-%dT%H:%M:%S"), "score": scores}).with_columns(
        pl.lit(metric).alias("metric"), pl.lit(high).alias("scale"))
    out = out.with_columns(optional(table, mapping, role)
                           for role in ("customer", "segment", "persona", "stage", "channel", "comment"))
    return checked(table, mapping, "responses", out.select(
        "at", "metric", "scale", "score", "customer", "segment", "persona", "stage", "channel", "comment"))


TICKET_ROLES = ("created", "resolved", "customer", "channel", "stage", "segment")


def prepare_tickets(table: Table, mapping: Mapping[str, str | None]) -> pl.DataFrame:
    """Support tickets: created (required), resolved (empty = unresolved) and context."""
    require(table, mapping, ("created",))
    out = pl.DataFrame({"created": to_datetimes(table, mapping["created"]).dt.strftime("%Y-%m-%dT%H:%M:%S")})
    resolved = (to_datetimes(table, mapping["resolved"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
                if mapping.get("resolved") else optional(table, mapping, "resolved"))
    out = out.with_columns(resolved.alias("resolved"))
    return checked(table, mapping, "tickets", out.with_columns(
        optional(table, mapping, role) for role in ("customer", "channel", "stage", "segment")))


EVENT_ROLES = ("at", "user", "page", "feature", "key_event")


def prepare_events(table: Table, mapping: Mapping[str, str | None]) -> pl.DataFrame:
    """Usage events: time and user (required), page, feature and a key-event flag."""
    require(table, mapping, ("at", "user"))
    out = pl.DataFrame({
        "at": to_datetimes(table, mapping["at"]).dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "user": table.frame[mapping["user"]],
    })
    users = out["user"].is_null().arg_true()
    if users.len():
        raise refuse(table, mapping["user"], users.to_list(), "empty_value")
    out = out.with_columns(optional(table, mapping, role) for role in ("page", "feature"))
    key = mapping.get("key_event")
    flags = (table.frame[key].str.to_lowercase().is_in(["1", "true", "yes", "y"])
             if key else pl.Series([False] * table.frame.height))
    return checked(table, mapping, "events", out.with_columns(flags.cast(pl.Int8).alias("key_event")))
