"""Reading one survey answer out of a webhook delivery, with the file import's validation.

A survey tool posts its own JSON shape. A *mapping* says where each role (score, date,
customer…) sits in that shape, as a JMESPath expression (``form_response.submitted_at``,
``data.fields[?type=='RATING'].value | [0]``); presets hold the mapping of common tools.
The mapped values become a table that goes through the import pipeline and
:func:`cxlib.steps.feedback.response_rows`, so a webhook answer is checked exactly as a row
of an imported file is (scale, whole numbers, dates, text lengths), and an error names the field.

Nothing here writes; :mod:`cxlib.steps.webhooks` stores what this returns.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import jmespath
import polars as pl
from jmespath.exceptions import JMESPathError

from cxlib.ingest import pipeline
from cxlib.ingest.dates import EARLIEST
from cxlib.ingest.importers import Table
from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback
from cxlib.steps.feedback import DEFAULT_SCALES, METRICS
from cxlib.storage import limits

# The roles a mapping can fill; ``id`` is the delivery's own id (the idempotency key when
# no ``Idempotency-Key`` header comes), ``metric`` and ``scale`` may come in the payload.
ROLES = ("score", "metric", "scale", "date", "customer", "segment", "persona", "stage", "touchpoint",
         "channel", "comment", "id")
TEXT_ROLES = ("customer", "segment", "persona", "stage", "touchpoint", "channel", "comment")
MAX_BYTES = 64 * 1024  # a survey answer is a few hundred bytes; anything this big is a mistake
MAX_TEXT = 2000  # longest comment or label kept
MAX_KEY = 200

# Mappings of common survey tools' webhook payloads, checked against the shapes of real
# deliveries (tests/cxlib/steps/webhook_samples, with their sources); the preview in step 9
# shows what each role reads from a pasted delivery.
PRESETS: dict[str, dict[str, str]] = {
    # Any tool that lets you write the JSON body yourself (Qualtrics workflows, Zapier,
    # Make, n8n, Google Forms through Apps Script, curl).
    "generic": {"score": "score", "metric": "metric", "scale": "scale", "date": "date", "customer": "customer",
                "segment": "segment", "persona": "persona", "stage": "stage", "touchpoint": "touchpoint",
                "channel": "channel", "comment": "comment", "id": "id"},
    # Typeform: an answer's ``type`` is the kind of value, so a plain Number question is
    # ``number`` too: the score is the first NPS, opinion-scale or rating question. The
    # comment is the first long text (a short text is often the respondent's name); the
    # customer a hidden field ``customer_id``; the key the response's own token.
    "typeform": {"score": "form_response.answers[?field.type=='nps' || field.type=='opinion_scale' "
                          "|| field.type=='rating'].number | [0]",
                 "date": "form_response.submitted_at",
                 "customer": "form_response.hidden.customer_id",
                 "comment": "form_response.answers[?field.type=='long_text'].text | [0]",
                 "id": "form_response.token || event_id"},
    # Tally: fields come as a list of {key, label, type, value}. The comment is the first
    # long answer (an INPUT_TEXT is often the name); the customer a hidden field labelled
    # ``customer_id``; the key the response's id.
    "tally": {"score": "data.fields[?type=='LINEAR_SCALE' || type=='RATING'].value | [0]",
              "date": "data.createdAt",
              "customer": "data.fields[?type=='HIDDEN_FIELDS' && label=='customer_id'].value | [0]",
              "comment": "data.fields[?type=='TEXTAREA'].value | [0]",
              "id": "data.responseId || eventId"},
}


class PayloadError(ValueError):
    """A delivery that cannot be stored: ``code`` names the problem (and the i18n message
    ``webhook.error.<code>``), ``field`` the role or payload field at fault."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field

    def as_json(self) -> dict[str, Any]:
        return {"error": self.code, "message": str(self), "field": self.field}


def parse_json(body: bytes) -> dict[str, Any]:
    """The delivery's body as a JSON object (PayloadError when it is not one)."""
    if len(body) > MAX_BYTES:
        raise PayloadError("too_large", f"the body is {len(body)} bytes; at most {MAX_BYTES} are accepted")
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PayloadError("not_utf8", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise PayloadError("not_json", f"the body is not JSON: {error.msg} at line {error.lineno}, "
                                       f"column {error.colno}") from None
    if not isinstance(payload, dict):
        raise PayloadError("not_object", "the body must be a JSON object ({...})")
    return payload


def check_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """The mapping with empty roles dropped; PayloadError naming a role whose expression
    does not compile or a role that does not exist. (Remembered per mapping: every
    delivery of a source asks again.)"""
    items = tuple(mapping.items())
    try:
        return dict(_checked_mapping(items))
    except TypeError:  # an unhashable value: checked without remembering (and refused below)
        return _check_mapping(items)


@functools.lru_cache(maxsize=256)
def _checked_mapping(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(_check_mapping(items).items())


def _check_mapping(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    mapping = dict(items)
    clean = {}
    for role, expression in mapping.items():
        if role not in ROLES:
            raise PayloadError("unknown_role", f"unknown role {role!r}; roles are {', '.join(ROLES)}", role)
        expression = (expression or "").strip()
        if not expression:
            continue
        try:
            jmespath.compile(expression)
        except JMESPathError as error:
            raise PayloadError("bad_expression", f"{role}: {expression!r} is not a JMESPath expression "
                                                 f"({str(error).splitlines()[0]})", role) from None
        clean[role] = expression
    if "score" not in clean:
        raise PayloadError("score_unmapped", "the mapping must say where the score is", "score")
    return clean


def _text(value: Any) -> str | None:
    """A mapped value as plain text: numbers and strings kept, nested JSON refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise TypeError
    return str(value)


def _iso_to_utc(text: str | None) -> datetime | str | None:
    """An ISO 8601 time (with an offset or ``Z``, as survey tools send them) as a UTC
    date-time; any other text is returned as it is, for the file import's date reader to
    read or refuse (31.03.2026, 03/31/2026…)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _find(expression: str, payload: Mapping[str, Any]) -> Any:
    """``jmespath.search(expression, payload)``; a plain field name (the generic preset's
    every role) is looked up directly, as JMESPath looks up an identifier in an object."""
    if _IDENTIFIER.fullmatch(expression):
        return payload.get(expression)
    return jmespath.search(expression, payload)


@dataclass(frozen=True)
class _Mapped:
    """One delivery's values as the mapping found them, before the import's checks."""

    metric: str
    scale: int | None
    values: dict[str, str | None]
    date: datetime | str


def _map(payload: Mapping[str, Any], mapping: Mapping[str, str], metric: str | None, scale: int | None,
         received: datetime | None) -> _Mapped:
    """Find each role in the payload and check what the file import cannot (a metric, a
    scale, single values, lengths); PayloadError names the role at fault."""
    values: dict[str, str | None] = {}
    for role, expression in check_mapping(mapping).items():
        try:
            values[role] = _text(_find(expression, payload))
        except TypeError:
            raise PayloadError("not_a_value", f"{role}: {expression!r} points at a list or an object, "
                                              "not a single value", role) from None
        except JMESPathError as error:
            raise PayloadError("bad_expression", f"{role}: {error}", role) from None
    metric = (values.get("metric") or metric or "").strip().lower()
    if metric not in METRICS:
        raise PayloadError("metric", "the answer needs a metric (nps, csat or ces): send a 'metric' field or "
                                     "save the source with its metric in step 9", "metric")
    if values.get("scale"):
        try:
            scale = int(float(values["scale"]))
        except ValueError:
            raise PayloadError("scale", f"scale {values['scale']!r} is not a whole number", "scale") from None
    if metric != "nps" and scale not in (None, 5, 7, 10):
        raise PayloadError("scale", f"scale must be 5, 7 or 10 for {metric}, not {scale}", "scale")
    if values.get("score") is None:
        raise PayloadError("score_missing", f"no score at {mapping.get('score')!r} in the payload", "score")
    for role in TEXT_ROLES:
        if values.get(role) is not None and len(values[role]) > MAX_TEXT:
            raise PayloadError("too_long", f"{role} is longer than {MAX_TEXT} characters", role)
    if values.get("id") is not None and len(values["id"]) > MAX_KEY:
        raise PayloadError("too_long", f"the id is longer than {MAX_KEY} characters", "id")
    arrived = (received or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    return _Mapped(metric, scale if metric != "nps" else None, values,
                   _iso_to_utc(values.get("date")) or arrived.replace(microsecond=0))


def _checked(group: Sequence[_Mapped], mapping: Mapping[str, str]) -> list[dict[str, Any]]:
    """Answers of one metric and scale through the file import's checks, in one pass (the
    pipeline's typed reading, then :func:`cxlib.steps.feedback.response_rows`);
    PayloadError for the first bad one."""
    first = group[0]
    # An ISO time is read already; other date text goes through the import's date reader.
    dates = [m.date.strftime(pipeline.TIME_FORMAT) if isinstance(m.date, datetime) else str(m.date) for m in group]
    columns = {"date": dates, first.metric: [m.values.get("score") for m in group]}
    columns |= {role: [m.values.get(role) for m in group] for role in feedback.CONTEXT}
    table = Table(pl.DataFrame(columns, schema={name: pl.String for name in columns}), "payload",
                  list(range(1, len(group) + 1)), (0,))
    try:
        reading = pipeline.read(table, feedback.RESPONSES, {role: role for role in columns})
        if reading.questions:  # 03/04/2026: a file can ask the user; a delivery cannot
            raise PayloadError("invalid", f"date (mapped from {mapping.get('date')!r}): day and month could be "
                               "either way round; send the date as ISO 8601 (2026-04-03T10:00:00Z)", "date")
        rows, _ = feedback.response_rows(reading, {first.metric: first.scale} if first.scale else None)
    except FileError as error:
        field = {first.metric: "score"}.get(error.column or "", error.column or "payload")
        # "line 1" means nothing in a JSON body: name the field and the mapping instead.
        message = re.sub(r" on line\(s\) [\d, ]+| line\(s\) [\d, ]+", "", error.message("en"))
        raise PayloadError("invalid", f"{field} (mapped from {mapping.get(field, field)!r}): {message}",
                           field) from None
    if rows.height != len(group):  # a blank score was counted, not stored: the payload had none
        raise PayloadError("score_missing", f"no score at {mapping.get('score')!r} in the payload", "score")
    return [{**row, "touchpoint": m.values.get("touchpoint"), "key": m.values.get("id")}
            for row, m in zip(rows.rows(named=True), group)]


_PLAIN_SCORE = re.compile(r"[0-9]{1,2}")


def _plain(mapped: _Mapped) -> dict[str, Any] | None:
    """The row :func:`_checked` gives for the usual delivery, worked out without building
    a table: an ISO time (already read) between 1900 and tomorrow, a score of plain ASCII
    digits on the metric's scale, text within the store's limits. Anything else (a date
    to read, a decimal or Persian digits, a score off the scale, an over-long text) is
    None, and goes through the file import's checks, which read it or say what is wrong.
    ``tests/cxlib/steps/test_payloads.py`` checks, over generated answers, that every row
    made here is the row the import's checks make."""
    date = mapped.date
    score = mapped.values.get("score")
    if not isinstance(date, datetime) or not EARLIEST <= date <= datetime.now() + timedelta(days=1):
        return None
    if score is None or not _PLAIN_SCORE.fullmatch(score):
        return None
    low, high = METRICS[mapped.metric][0], mapped.scale or DEFAULT_SCALES[mapped.metric]
    if not low <= int(score) <= high:
        return None
    texts = {role: mapped.values.get(role) for role in feedback.CONTEXT}
    if any(text is not None and (len(text) > limits.max_length("responses", role) or pipeline.marks_an_error(role, text))
           for role, text in texts.items()) or pipeline.marks_an_error("touchpoint", mapped.values.get("touchpoint") or ""):
        return None
    return {"at": date.strftime(pipeline.TIME_FORMAT), "metric": mapped.metric, "scale": high,
            "score": float(score), **texts, "touchpoint": mapped.values.get("touchpoint"),
            "key": mapped.values.get("id")}


def read(payload: Mapping[str, Any], mapping: Mapping[str, str], metric: str | None = None,
         scale: int | None = None, received: datetime | None = None) -> dict[str, Any]:
    """One validated answer from a delivery: the response columns plus ``key`` (the
    payload's id, or None).

    ``metric`` and ``scale`` are the source's own; a ``metric``/``scale`` in the payload
    wins. A missing date is the moment the delivery arrived (``received``). Raises
    PayloadError naming the role and the payload path at fault.
    """
    mapped = _map(payload, mapping, metric, scale, received)
    return _plain(mapped) or _checked([mapped], mapping)[0]


def read_many(payloads: Sequence[Mapping[str, Any]], mapping: Mapping[str, str], metric: str | None = None,
              scale: int | None = None, received: datetime | None = None) -> list[dict[str, Any] | PayloadError]:
    """:func:`read` for deliveries that arrived together: the same answers and the same
    refusals, each in its place, at the cost of one check per metric and scale rather
    than one per delivery (none at all for a plain answer: see :func:`_plain`)."""
    results: list[dict[str, Any] | PayloadError | None] = [None] * len(payloads)
    groups: dict[tuple[str, int | None], list[tuple[int, _Mapped]]] = {}
    for index, payload in enumerate(payloads):
        try:
            mapped = _map(payload, mapping, metric, scale, received)
        except PayloadError as error:
            results[index] = error
        else:
            results[index] = _plain(mapped)
            if results[index] is None:
                groups.setdefault((mapped.metric, mapped.scale), []).append((index, mapped))
    for members in groups.values():
        try:
            checked = _checked([m for _, m in members], mapping)
        except PayloadError:  # someone in the group is wrong: check each alone to say who
            checked = []
            for _, mapped in members:
                try:
                    checked.append(_checked([mapped], mapping)[0])
                except PayloadError as error:
                    checked.append(error)
        for (index, _), result in zip(members, checked):
            results[index] = result
    return results
