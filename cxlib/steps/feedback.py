"""Step 9, real-time feedback: the survey plan, imported and hand-entered answers, tickets
and usage events, and the closed loop (low scores become follow-ups with owner and status).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.ingest.pipeline import Field, Reading, Spec, StreamedReading
from cxlib.storage import counts as stored_counts
from cxlib.storage import limits, records
from cxlib.storage.schema import COUNT_TABLES, IMPORTED, LOW_SCORE_SQL
from cxlib.storage.store import now_iso, Store, ValidationError

QUESTIONS = ("nps", "csat", "ces", "open")
SURVEY_CHANNELS = ("post_purchase_form", "email", "phone", "in_app", "chat", "sms")
SURVEY_COLUMNS = ("name", "stage", "touchpoint", "channel", "persona", "questions", "trigger")
SURVEY_SCHEMA = {"name": pl.String, "stage": pl.String, "touchpoint": pl.String, "channel": pl.String,
                 "persona": pl.String, "questions": pl.List(pl.String), "trigger": pl.String}
STATUSES = ("open", "contacted", "resolved", "no_action")
KIND_COLUMNS = IMPORTED
CHUNK = 50_000
COUNT_PART = 500_000  # rows grouped at a time when an import's answers are counted


# -- survey plan ----------------------------------------------------------------------------


def validate_survey(values: dict[str, Any]) -> dict[str, Any]:
    channel = values.get("channel") or None
    if channel is not None and channel not in SURVEY_CHANNELS:
        raise ValidationError("unknown channel", field="channel", rule="choice")
    questions = list(values.get("questions") or [])
    if any(q not in QUESTIONS for q in questions):
        raise ValidationError("unknown question type", field="questions", rule="choice")
    return {"name": records.required_text(values, "name"), "stage": (values.get("stage") or "").strip(),
            "touchpoint": (values.get("touchpoint") or "").strip(), "channel": channel,
            "persona": (values.get("persona") or "").strip(), "questions": questions,
            "trigger": (values.get("trigger") or "").strip()}


def list_surveys(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("surveys", "workbook_id = ?", (workbook_id,))


def save_survey_edits(store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]],
                      edits: Mapping[str, Any], who: Any,
                      forced_versions: Mapping[int, int] | None = None) -> None:
    records.save_grid(store, "surveys", workbook_id, loaded, edits, who, validate_survey, None, forced_versions)


# -- imported data ----------------------------------------------------------------------------

# The metrics an answer can belong to: the lowest score and the highest (None: the scale
# the user picks, 5 or 7).
METRICS = {"nps": (0, 10), "csat": (1, None), "ces": (1, None)}
DEFAULT_SCALES = {"nps": 10, "csat": 5, "ces": 7}
CONTEXT = ("customer", "segment", "persona", "stage", "channel", "comment")
_CONTEXT_HINTS = {
    "customer": ("customer id", "respondent id", "respondent", "response id", "responseid", "email", "client",
                 "klient", "مشتری", "հաճախորդ", "user"),
    "segment": ("segment", "group", "grupa", "بخش", "սեգմենտ"),
    "persona": ("persona", "پرسونا", "պերսոնա"),
    "stage": ("stage", "touchpoint", "etap", "مرحله", "փուլ"),
    "channel": ("channel", "source", "kanał", "کانال", "ալիք", "collector"),
    "comment": ("comment", "comments", "feedback", "why", "open ended", "text", "komentarz", "uwagi", "نظر",
                "توضیحات", "մեկնաբանություն", "reason"),
}
RESPONSES = Spec("responses", (
    Field("date", "datetime", True, ("date", "start date", "end date", "submitted", "timestamp", "recorded date",
                                     "enddate", "startdate", "created", "data", "تاریخ", "ամսաթիվ", "time")),
    # Not "likely": a long question ("… the commission is likely to …") is no NPS question.
    Field("nps", "answer", False, ("nps", "recommend", "polecenia", "poleci", "توصیه", "խորհուրդ")),
    Field("csat", "answer", False, ("csat", "satisfied", "satisfaction", "zadowolenie", "zadowolony",
                                    "رضایت", "գոհ")),
    Field("ces", "answer", False, ("ces", "effort", "easy", "łatwo", "wysiłek", "آسان", "հեշտ")),
    *(Field(role, "text", False, _CONTEXT_HINTS[role]) for role in CONTEXT),
), one_of=("nps", "csat", "ces"))
TICKETS = Spec("tickets", (
    Field("created", "datetime", True, ("created", "opened", "created at", "date", "submitted", "utworzono",
                                        "ایجاد", "ստեղծված")),
    Field("resolved", "datetime", False, ("resolved", "closed", "solved", "resolved at", "closed at",
                                          "rozwiązano", "zamknięto", "بسته", "փակված")),
    Field("first_response", "datetime", False, ("first response", "first reply", "first response at",
                                                "first responded", "responded", "replied", "pierwsza odpowiedź",
                                                "اولین پاسخ", "առաջին պատասխան")),
    # Many exports give the first response as a duration after creation instead of a time.
    Field("response_minutes", "number", False, ("first response minutes", "first response time minutes",
                                                "response minutes", "minutes to first response", "frt minutes",
                                                "first response mins", "first reply minutes")),
    Field("response_hours", "number", False, ("first response hours", "first response time hours",
                                              "response hours", "hours to first response", "frt hours",
                                              "first reply hours")),
    *(Field(role, "text", False, _CONTEXT_HINTS[role]) for role in ("customer", "channel", "stage", "segment")),
))
EVENTS = Spec("events", (
    Field("at", "datetime", True, ("timestamp", "time", "date", "event time", "czas", "زمان", "ժամանակ")),
    Field("user", "text", True, ("user", "user id", "userid", "uid", "visitor", "customer", "użytkownik",
                                 "کاربر", "օգտատեր")),
    Field("page", "text", False, ("page", "url", "screen", "path", "strona", "صفحه", "էջ")),
    Field("feature", "text", False, ("feature", "event", "action", "funkcja", "ویژگی", "գործառույթ")),
    Field("key_event", "flag", False, ("key event", "key", "conversion", "kluczowe", "کلیدی")),
))
SPECS = {spec.kind: spec for spec in (RESPONSES, TICKETS, EVENTS)}


def response_rows(reading: Reading, scales: Mapping[str, int] | None = None,
                  leave_out_off_scale: bool = False) -> tuple[pl.DataFrame, dict[str, dict[str, int]]]:
    """Answers as rows to store, one per answered metric, and per metric how many were
    answered, left blank (counted, never stored) and left out.

    Scores must be whole numbers on the metric's scale (NPS 0–10, CSAT and CES 1 to the
    chosen scale); a score off the scale is refused naming its line and column, unless the
    user chose ``leave_out_off_scale``: then those answers are not stored and counted in
    ``left_out``, for the note shown with the import. A streamed reading's rows are all
    gathered here: :func:`check_import` and :func:`import_checked` take them a part at a time instead.
    """
    parts, summary = [], {}
    for part in reading.parts():
        rows, counted = _response_part(part, scales, leave_out_off_scale)
        parts.append(rows)
        _add_up(summary, counted)
    return (pl.concat(parts) if len(parts) > 1 else parts[0]), summary


@dataclass
class CheckedImport:
    """An import whose rows were all made and checked before anything is written, and
    what to say about them: ``notes`` per metric (answers stored, left blank, left out) or,
    for tickets, per time column (tickets with that time before their creation).

    :meth:`parts` makes the rows again a part at a time from the reading (a streamed one
    keeps its parts on disk as read), the same way, so that no memory holds them all."""

    kind: str
    reading: Reading | StreamedReading = field(repr=False)
    scales: Mapping[str, int] | None
    leave_out_off_scale: bool
    notes: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0

    @property
    def metric(self) -> str | None:
        return ",".join(self.notes) or None if self.kind == "responses" else None

    def parts(self) -> Iterator[pl.DataFrame]:
        for part in self.reading.parts():
            yield self._made(part)[0]

    def _made(self, part: Reading) -> tuple[pl.DataFrame, dict[str, dict[str, int]]]:
        if self.kind == "responses":
            return _response_part(part, self.scales, self.leave_out_off_scale)
        if self.kind == "tickets":
            return ticket_rows(part), ticket_notes(part)
        return event_rows(part), {}


def check_import(kind: str, reading: Reading | StreamedReading, scales: Mapping[str, int] | None = None,
                 leave_out_off_scale: bool = False) -> CheckedImport:
    """Every row an import of ``kind`` would store made and checked, a part at a time
    (raises FileError naming the line and column), for :func:`import_checked`."""
    checked = CheckedImport(kind, reading, scales, leave_out_off_scale)
    for part in reading.parts():
        rows, counted = checked._made(part)
        _add_up(checked.notes, counted)
        checked.rows += rows.height
    return checked


def _add_up(total: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]) -> None:
    for key, counted in more.items():
        into = total.setdefault(key, {})
        for name, value in counted.items():
            into[name] = into.get(name, 0) + value


def _response_part(reading: Reading, scales: Mapping[str, int] | None,
                   leave_out_off_scale: bool) -> tuple[pl.DataFrame, dict[str, dict[str, int]]]:
    scales = {**DEFAULT_SCALES, **(scales or {})}
    frame, parts, summary = reading.frame, [], {}
    for metric, (low, _) in METRICS.items():
        if metric not in frame.columns:
            continue
        high = scales[metric]
        column = next(c.column for c in reading.columns if c.role == metric)
        scores = frame[metric]
        off = scores.is_not_null() & ((scores < low) | (scores > high) | (scores != scores.floor()))
        if off.any() and not leave_out_off_scale:
            raise pipeline.refuse(reading.table, column, off.arg_true().to_list(), "out_of_range", low=low, high=high)
        answered = frame.filter(pl.col(metric).is_not_null() & ~off)
        summary[metric] = {"answers": answered.height, "blank": reading.blanks.get(metric, 0),
                           "left_out": int(off.sum())}
        parts.append(answered.select(
            pipeline.as_text_times(pl.col("date")).alias("at"), pl.lit(metric).alias("metric"),
            pl.lit(high).alias("scale"), pl.col(metric).alias("score"),
            *(pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in CONTEXT)))
    rows = pl.concat(parts) if parts else pl.DataFrame()
    return rows, summary


def ticket_rows(reading: Reading) -> pl.DataFrame:
    """Tickets to store: created (required), resolved (empty = still open), the first
    response (empty = not answered yet, or not in the file) and context.

    Times are stored as the file holds them: a resolution or first response before the
    ticket was created is kept, and left out of its KPI with a note on the dashboard
    (:func:`cxlib.analytics.kpi.ttr`), never silently used."""
    frame = reading.frame
    given = [role for role in ("first_response", "response_minutes", "response_hours") if role in frame.columns]
    if len(given) > 1:
        columns = {c.role: c.column for c in reading.columns}
        raise FileError("first_response_twice", columns[given[1]], first=columns[given[0]])
    if given and given[0] != "first_response":
        _refuse_responses_in_future(reading, given[0])
        # To the microsecond first, then the second: 4096.525 minutes is 245,791.49999999997
        # seconds in floating point, and would lose the half second the file wrote.
        per_unit = 60e6 if given[0] == "response_minutes" else 3600e6
        frame = frame.with_columns((pl.col("created") + pl.duration(microseconds=(pl.col(given[0]) * per_unit)
                                                                    .round(0).cast(pl.Int64)))
                                   .dt.round("1s").alias("first_response"))

    def time(role: str) -> pl.Expr:
        return (pipeline.as_text_times(pl.col(role)) if role in frame.columns
                else pl.lit(None, pl.String)).alias(role)

    return frame.select(
        time("created"), time("resolved"),
        *(pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c)
          for c in ("customer", "channel", "stage", "segment")),
        time("first_response"))


def _refuse_responses_in_future(reading: Reading, role: str) -> None:
    """A duration that puts the first response more than a day after today, or before the
    earliest date a file may hold, is refused as such a date is: a unit mistake (seconds
    read as minutes) would otherwise become a response in the year 3900 or 0124, or, past
    polars' range, no response at all. A response shortly before creation stays a note."""
    seconds = 60.0 if role == "response_minutes" else 3600.0
    epoch = datetime(1970, 1, 1)  # the times are naive, as the file gives them: no time zone here
    latest = (datetime.now() + timedelta(days=1) - epoch).total_seconds()
    earliest = (pipeline.EARLIEST - epoch).total_seconds()
    frame = reading.frame
    created = frame["created"].dt.epoch("s").cast(pl.Float64)  # floats: a huge duration must not overflow
    moment = created + frame[role].cast(pl.Float64) * seconds
    late = ((moment > latest) | (moment < earliest)).fill_null(False)
    if late.any():
        column = next(c.column for c in reading.columns if c.role == role)
        raise pipeline.refuse(reading.table, column, late.arg_true().to_list(), "response_out_of_range")


def ticket_notes(reading: Reading) -> dict[str, dict[str, int]]:
    """Per time column of a tickets file, how many tickets have that time before their
    creation (shown in the preview; the dashboard leaves them out of the KPI and says so)."""
    notes: dict[str, dict[str, int]] = {}
    for part in reading.parts():
        frame = part.frame
        for role in ("resolved", "first_response"):
            if role in frame.columns:
                _add_up(notes, {role: {"before_created": int((frame[role] < frame["created"]).fill_null(False).sum())}})
        for role in ("response_minutes", "response_hours"):  # a negative duration: a response before creation
            if role in frame.columns:
                _add_up(notes, {role: {"before_created": int((frame[role] < 0).fill_null(False).sum())}})
    return notes


def event_rows(reading: Reading) -> pl.DataFrame:
    """Usage events to store: time and user (required), page, feature and a key-event flag."""
    frame = reading.frame
    return frame.select(
        pipeline.as_text_times(pl.col("at")).alias("at"), pl.col("user"),
        *(pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in ("page", "feature")),
        (pl.col("key_event").cast(pl.Int8) if "key_event" in frame.columns else pl.lit(0, pl.Int8)).alias("key_event"))


def rows_to_store(kind: str, reading: Reading, scales: Mapping[str, int] | None = None) -> tuple[pl.DataFrame, str | None]:
    """The rows an import of ``kind`` writes, and the metrics it holds (for the imports list)."""
    if kind == "responses":
        rows, summary = response_rows(reading, scales)
        return rows, ",".join(summary) or None
    parts = [ticket_rows(part) if kind == "tickets" else event_rows(part) for part in reading.parts()]
    return (pl.concat(parts) if len(parts) > 1 else parts[0]), None


def import_checked(store: Store, workbook_id: int, checked: CheckedImport, name: str, who: Any,
                   progress: Callable[[float], None] | None = None,
                   remember: Callable[[Any], None] | None = None) -> int:
    """Store the rows of :func:`check_import` in one transaction, a part at a time (a file
    of ten million answers is never all in memory); the notes of answers left blank or
    out are kept with the import."""
    return _store_rows(store, workbook_id, checked.kind, checked.parts(), checked.rows, name, who, checked.metric,
                       progress, remember, checked.notes if checked.kind == "responses" else None)


def import_rows(
    store: Store,
    workbook_id: int,
    kind: str,
    rows: pl.DataFrame,
    name: str,
    who: Any,
    metric: str | None = None,
    progress: Callable[[float], None] | None = None,
    remember: Callable[[Any], None] | None = None,
    notes: Mapping[str, Mapping[str, int]] | None = None,
) -> int:
    """Store validated rows (from :func:`rows_to_store`) in one transaction.

    One ``imports`` record carries the history; its rows are bulk-inserted with it, so the
    whole import lands or nothing does, and undo removes it in one step. ``remember``
    writes the column mapping for the next file of this shape in the same change.
    ``notes``: what the import left out per metric (the summary of :func:`response_rows`:
    ``blank`` and ``left_out`` answers), kept with it for :func:`left_out`.
    """
    return _store_rows(store, workbook_id, kind, [rows], rows.height, name, who, metric, progress, remember, notes)


def _store_rows(store: Store, workbook_id: int, kind: str, parts: Iterable[pl.DataFrame], total: int, name: str,
                who: Any, metric: str | None, progress: Callable[[float], None] | None,
                remember: Callable[[Any], None] | None, notes: Mapping[str, Mapping[str, int]] | None) -> int:
    """The one write of an import: its record, then its rows a part at a time (``total``
    rows in all), counted, in one change."""
    if total == 0:
        raise ValidationError("nothing to import", field="rows", rule="required")
    columns = KIND_COLUMNS[kind]
    with store.change(who, workbook_id) as change:
        record = change.insert("imports", {"workbook_id": workbook_id, "kind": kind, "name": name,
                                           "rows": total, "metric": metric, "created_at": now_iso(),
                                           "notes": _import_notes(notes)})
        prefix, done, counted = (workbook_id, record["id"]), 0, []
        with stored_counts.bulk(store, total) if kind == "responses" else nullcontext():
            for rows in parts:
                # Columns a caller's rows predate (a ticket's first response) are stored empty.
                rows = rows.with_columns(pl.lit(None, pl.String).alias(c) for c in columns if c not in rows.columns)
                too_long = limits.too_long(kind, rows.select(columns))
                if too_long:  # the readers refuse these first; this guards callers that skip them
                    column, limit, positions = too_long
                    raise ValidationError(f"{column} is longer than {limit} characters", field=column,
                                          rule="too_long", max=limit, row=done + positions[0] + 1)
                # Columns the file left empty throughout are not sent: the database stores them empty
                # by default, and each value bound costs as much as a short one stored.
                filled = [c for c in columns if rows[c].null_count() < rows.height]
                ordered = rows.select(filled)
                for offset in range(0, ordered.height, CHUNK):
                    chunk = ordered.slice(offset, CHUNK)
                    change.insert_rows(kind, ("workbook_id", "import_id", *filled),
                                       (prefix + row for row in chunk.iter_rows()))
                    if progress:  # what follows the inserts (indexes rebuilt, counts) shows as 99 %
                        progress(min(0.99, (done + offset + chunk.height) / total))
                if kind == "responses":
                    counted.append(_grouped_counts(rows))
                done += rows.height
        if done != total:  # the parts must add up to what the import record says
            raise ValidationError(f"{done} rows read, {total} expected", field="rows", rule="count")
        if kind == "responses":
            stored_counts.count_imported(store, record["id"], _summed_counts(counted, workbook_id))
        if remember:
            remember(change)
        if progress:
            progress(1.0)
    return record["id"]


def _import_notes(notes: Mapping[str, Mapping[str, int]] | None) -> dict[str, dict[str, int]]:
    """The counts worth keeping: per metric, blank answers and answers left out (off the scale)."""
    kept = {}
    for metric, counted in (notes or {}).items():
        values = {k: int(counted.get(k) or 0) for k in ("blank", "left_out")}
        if any(values.values()):
            kept[metric] = values
    return kept


def left_out(store: Store, workbook_id: int) -> dict[str, dict[str, int]]:
    """Per metric, the answers the workbook's imports did not store: ``blank`` (the question
    left unanswered) and ``left_out`` (off the scale, left out at the user's choice).
    Undoing an import takes its counts with it."""
    totals: dict[str, dict[str, int]] = {}
    for row in store.rows("select notes from imports where workbook_id = ? and notes is not null", (workbook_id,)):
        notes = json.loads(row["notes"]) if row["notes"] else {}
        for metric, counted in (notes.items() if isinstance(notes, dict) else ()):
            total = totals.setdefault(metric, {"blank": 0, "left_out": 0})
            for key in total:
                total[key] += int(counted.get(key) or 0)
    return totals


def _grouped_counts(rows: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Imported answers counted per key of each count table (day = ``at``[:10], as the
    tables' triggers compute it), so the import does not have SQLite sort them again.
    Counted a part at a time (the parts' counts are summed by :func:`_summed_counts`):
    grouping ten million rows by seven text keys at once took 1.5 GB."""
    grouped = {}
    for table, keys in COUNT_TABLES.items():
        exprs = [pl.col("at").str.slice(0, 10).alias("day") if k == "day" else pl.col(k) for k in keys]
        grouped[table] = pl.concat([rows.slice(offset, COUNT_PART).group_by(exprs).len()
                                    for offset in range(0, max(rows.height, 1), COUNT_PART)])
    return grouped


def _summed_counts(parts: Sequence[Mapping[str, pl.DataFrame]], workbook_id: int) -> dict[str, list[tuple]]:
    """The counts of all parts, summed per key: rows (workbook_id, *keys, n) per table."""
    return {table: pl.concat([part[table] for part in parts]).group_by(list(keys)).agg(pl.col("len").sum())
            .select(pl.lit(workbook_id).alias("workbook_id"), *keys, "len").rows()
            for table, keys in COUNT_TABLES.items()}


def list_imports(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("imports", "workbook_id = ?", (workbook_id,), order_by="id desc")


def add_response(store: Store, workbook_id: int, values: dict[str, Any], who: Any) -> dict[str, Any]:
    """One answer typed in during a workshop (undoable like any other change)."""
    metric = values.get("metric")
    if metric not in METRICS:
        raise ValidationError("metric must be nps, csat or ces", field="metric", rule="choice")
    low, high = METRICS[metric]
    scale = int(values.get("scale") or (high if high else (5 if metric == "csat" else 7)))
    score = values.get("score")
    try:
        score = None if score in (None, "") else float(score)
    except (TypeError, ValueError):
        score = None
    if score is None or not (low <= score <= scale) or score != int(score):
        raise ValidationError(f"score must be a whole number from {low} to {scale}", field="score",
                              rule="range")
    at = values.get("at") or datetime.now()
    with store.change(who, workbook_id) as change:
        return change.insert("responses", {
            "workbook_id": workbook_id, "at": at.strftime("%Y-%m-%dT%H:%M:%S"), "metric": metric,
            "scale": scale, "score": float(score),
            **{k: (values.get(k) or None) for k in ("customer", "segment", "persona", "stage", "channel", "comment")},
        })


def _frame(store: Store, sql: str, params: tuple, schema: dict[str, Any]) -> pl.DataFrame:
    return store.frame(sql, params, schema)


RESPONSE_SCHEMA = {"id": pl.Int64, "at": pl.String, "metric": pl.String, "scale": pl.Int64,
                   "score": pl.Float64, "customer": pl.String, "segment": pl.String, "persona": pl.String,
                   "stage": pl.String, "channel": pl.String, "comment": pl.String}


def load_responses(store: Store, workbook_id: int) -> pl.DataFrame:
    """All answers of a workbook, with ``at`` as a datetime and ``month`` for trends."""
    frame = _frame(store, f"select {', '.join(RESPONSE_SCHEMA)} from responses where workbook_id = ?",
                   (workbook_id,), RESPONSE_SCHEMA)
    return frame.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S")).with_columns(
        pl.col("at").dt.truncate("1mo").alias("month"))


def load_tickets(store: Store, workbook_id: int) -> pl.DataFrame:
    schema = {"created": pl.String, "resolved": pl.String, "customer": pl.String, "channel": pl.String,
              "stage": pl.String, "segment": pl.String, "first_response": pl.String}
    frame = _frame(store, f"select {', '.join(schema)} from tickets where workbook_id = ?", (workbook_id,), schema)
    return frame.with_columns(pl.col("created", "resolved", "first_response").str.to_datetime("%Y-%m-%dT%H:%M:%S"))


def load_events(store: Store, workbook_id: int) -> pl.DataFrame:
    schema = {"at": pl.String, "user": pl.String, "page": pl.String, "feature": pl.String, "key_event": pl.Int64}
    frame = _frame(store, f"select {', '.join(schema)} from events where workbook_id = ?", (workbook_id,), schema)
    return frame.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S"))


# -- the closed loop --------------------------------------------------------------------------


def follow_ups(store: Store, workbook_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Low-score answers, newest first, with their follow-up (owner, status) if any."""
    rows = store.rows(
        "select r.id as response_id, r.at, r.metric, r.score, r.scale, r.customer, r.segment, r.stage, "
        "r.channel, r.comment, f.id as followup_id, f.version, f.owner, f.status, f.note "
        "from responses r indexed by idx_responses_low left join followups f on f.response_id = r.id "
        f"where r.workbook_id = ? and ({LOW_SCORE_SQL}) "
        "order by r.at desc limit ?",
        (workbook_id, limit),
    )
    for row in rows:
        row["status"] = row["status"] or "open"
    return rows


FOLLOWUP_COLUMNS = ("at", "metric", "score", "customer", "comment", "owner", "status", "note")
FOLLOWUP_SCHEMA = {"at": pl.String, "metric": pl.String, "score": pl.Float64, "customer": pl.String,
                   "comment": pl.String, "owner": pl.String, "status": pl.String, "note": pl.String}


def save_follow_up_edits(store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]],
                         edited_rows: Mapping[Any, Mapping[str, Any]], who: Any,
                         forced_versions: Mapping[int, int] | None = None) -> None:
    """Owner, status and note of follow-ups (grid row → changes), as one change."""

    def write(change, row, cells, version_of) -> None:
        values = {k: cells.get(k, row.get(k)) for k in ("owner", "status", "note")}
        values["status"] = values["status"] or "open"
        if values["status"] not in STATUSES:
            raise ValidationError("unknown status", field="status", rule="choice")
        if row["followup_id"] is None:
            change.insert("followups", {"workbook_id": workbook_id, "response_id": row["response_id"], **values})
        else:
            change.update("followups", row["followup_id"], values, version_of(row["followup_id"], row["version"]))

    records.save_cells(store, workbook_id, loaded, edited_rows, who, write, forced_versions)


def measured_emotion(store: Store, workbook_id: int) -> dict[str, float]:
    """Emotion per journey stage measured from the answers tied to it (−2…+2).

    Each answer is rescaled to 0…1 on its own scale (NPS 0–10, CSAT and CES from 1; the
    older 1–5 effort scale is flipped, low effort being good), averaged, then mapped to
    the journey map's −2…+2.
    """
    rows = store.rows(
        "select stage, avg(case when metric = 'ces' and scale = 5 then 1 - share else share end) * 4 - 2 "
        "as emotion from (select stage, metric, scale, (score - case when metric = 'nps' then 0 else 1 end) "
        "* 1.0 / (scale - case when metric = 'nps' then 0 else 1 end) as share from responses "
        "where workbook_id = ? and stage is not null and score is not null) group by stage",
        (workbook_id,),
    )
    return {row["stage"]: row["emotion"] for row in rows}


def imports_version(store: Store, workbook_id: int, kinds: Sequence[str] = ("tickets", "events")) -> tuple[int, int]:
    """Changes whenever rows of ``kinds`` are imported or an import is undone (the newest
    import and how many there are): a cache key for what is derived from tickets and
    events, which survey answers arriving one by one do not touch."""
    row = store.rows(f"select coalesce(max(id), 0) as newest, count(*) as n from imports where workbook_id = ? "
                     f"and kind in ({', '.join('?' * len(kinds))})", (workbook_id, *kinds))[0]
    return row["newest"], row["n"]


def counts(store: Store, workbook_id: int) -> dict[str, int]:
    return store.rows(
        "select (select count(*) from surveys where workbook_id = :w) as surveys, "
        # Answers from the counts the store keeps: one row per key instead of a scan of millions.
        "(select coalesce(sum(n), 0) from response_counts where workbook_id = :w) as responses, "
        "(select count(*) from tickets where workbook_id = :w) as tickets, "
        "(select count(*) from events where workbook_id = :w) as events",
        {"w": workbook_id},
    )[0]


def answer_counts(store: Store, workbook_id: int) -> dict[str, int]:
    """Answers per survey metric (nps, csat, ces) of a workbook."""
    return stored_counts.per_metric(store, workbook_id)  # the kept counts, not a scan of every answer


def is_complete(counted: Mapping[str, int]) -> bool:
    """Done: a survey plan and answers to measure."""
    return counted["surveys"] > 0 and counted["responses"] > 0
