"""Reading one survey answer out of a webhook delivery, with the file import's validation.

A survey tool posts its own JSON shape. A *mapping* says where each role (score, date,
customer…) sits in that shape, as a JMESPath expression (``form_response.submitted_at``,
``data.fields[?type=='RATING'].value | [0]``); presets hold the mapping of common tools.
The mapped values become a one-row table that goes through
:func:`cxlib.ingest.importers.prepare_responses`, so a webhook answer is checked exactly as
a row of an imported file is (scale, whole numbers, dates), and an error names the field.

Nothing here writes; :mod:`cxlib.steps.webhooks` stores what this returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import jmespath
import polars as pl
from jmespath.exceptions import JMESPathError

from cxlib.ingest.importers import METRICS, prepare_responses, Table
from cxlib.ingest.parsing import FileError

# The roles a mapping can fill; ``id`` is the delivery's own id (the idempotency key when
# no ``Idempotency-Key`` header comes), ``metric`` and ``scale`` may come in the payload.
ROLES = ("score", "metric", "scale", "date", "customer", "segment", "persona", "stage", "touchpoint",
         "channel", "comment", "id")
TEXT_ROLES = ("customer", "segment", "persona", "stage", "touchpoint", "channel", "comment")
MAX_BYTES = 64 * 1024  # a survey answer is a few hundred bytes; anything this big is a mistake
MAX_TEXT = 2000  # longest comment or label kept
MAX_KEY = 200

# Mappings of common survey tools' webhook payloads (check them against one real delivery:
# the preview in step 9 shows what each role reads).
PRESETS: dict[str, dict[str, str]] = {
    # Any tool that lets you write the JSON body yourself (Qualtrics workflows, Zapier,
    # Make, n8n, Google Forms through Apps Script, curl).
    "generic": {"score": "score", "metric": "metric", "scale": "scale", "date": "date", "customer": "customer",
                "segment": "segment", "persona": "persona", "stage": "stage", "touchpoint": "touchpoint",
                "channel": "channel", "comment": "comment", "id": "id"},
    # Typeform: the first opinion-scale/NPS answer, the first text answer, hidden fields.
    "typeform": {"score": "form_response.answers[?type=='number'].number | [0]",
                 "date": "form_response.submitted_at",
                 "customer": "form_response.hidden.customer_id",
                 "comment": "form_response.answers[?type=='text' || type=='long_text'].text | [0]",
                 "id": "event_id"},
    # Tally: fields come as a list of {type, label, value}.
    "tally": {"score": "data.fields[?type=='LINEAR_SCALE' || type=='RATING'].value | [0]",
              "date": "data.createdAt",
              "comment": "data.fields[?type=='TEXTAREA' || type=='INPUT_TEXT'].value | [0]",
              "id": "eventId"},
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
    does not compile or a role that does not exist."""
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


def read(payload: Mapping[str, Any], mapping: Mapping[str, str], metric: str | None = None,
         scale: int | None = None, received: datetime | None = None) -> dict[str, Any]:
    """One validated answer from a delivery: the response columns plus ``key`` (the
    payload's id, or None).

    ``metric`` and ``scale`` are the source's own; a ``metric``/``scale`` in the payload
    wins. A missing date is the moment the delivery arrived (``received``). Raises
    PayloadError naming the role and the payload path at fault.
    """
    values: dict[str, str | None] = {}
    for role, expression in check_mapping(mapping).items():
        try:
            values[role] = _text(jmespath.search(expression, payload))
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
    key = values.get("id")
    if key is not None and len(key) > MAX_KEY:
        raise PayloadError("too_long", f"the id is longer than {MAX_KEY} characters", "id")
    arrived = (received or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    date = _iso_to_utc(values.get("date")) or arrived.replace(microsecond=0)
    columns = {role: pl.Series(role, [values.get(role)], dtype=pl.String) for role in ("score", *TEXT_ROLES)}
    # An ISO time is read already (the import's reader takes date-times as they are);
    # other date text goes through the import's date reader.
    columns["date"] = pl.Series("date", [date], dtype=pl.Datetime if isinstance(date, datetime) else pl.String)
    table = Table(pl.DataFrame(list(columns.values())), "payload", 1, 1, None)
    roles = {role: role for role in columns if role != "touchpoint"}
    try:
        row = prepare_responses(table, roles, metric, scale).row(0, named=True)
    except FileError as error:
        field = error.column or "payload"
        # "line 1" means nothing in a JSON body: name the field and the mapping instead.
        message = error.message("en").replace(" on line(s) 1", "").replace("line(s) 1", "the payload")
        raise PayloadError("invalid", f"{field} (mapped from {mapping.get(field, field)!r}): {message}",
                           field) from None
    return {**row, "touchpoint": values.get("touchpoint"), "key": key}
