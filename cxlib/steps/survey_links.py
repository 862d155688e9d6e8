"""Step 9's public survey links: a link and a QR code per planned survey, and answers from
anonymous phones, one per device per survey question per day.

A survey is opened by its ``slug`` (random, given by the database), never by its id. The
device is a random id the server puts in a cookie; only its SHA-256 is stored. An answer
carries the survey's stage, touchpoint, channel and persona, and the customer id when the
link has one; it is written through the store's one write path (history, undo).
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import segno

from cxlib.access.roles import Actor
from cxlib.storage.store import NotFound, Store, ValidationError

# The rating questions a respondent taps through, with their scale (CES is CES 2.0, 1–7).
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
MAX_CUSTOMER = 200
MAX_COMMENT = 2000
WHO = "survey link"


def by_slug(store: Store, slug: str) -> dict[str, Any] | None:
    """The survey behind a public link, with its workbook's language (None if none)."""
    if not slug or len(slug) > 64:
        return None
    found = store.rows("select s.*, w.language as workbook_language from surveys s join workbooks w "
                       "on w.id = s.workbook_id where s.slug = ?", (slug,))
    return found[0] if found else None


def set_open(store: Store, workbook_id: int, survey_id: int, is_open: bool, expected_version: int,
             who: str) -> dict[str, Any]:
    """Open or close a survey's link; a closed link says so politely and stores nothing."""
    with store.change(who, workbook_id) as change:
        return change.update("surveys", survey_id, {"is_open": int(bool(is_open))}, expected_version)


def questions(survey: dict[str, Any]) -> list[str]:
    """The survey's questions in the order a respondent meets them: ratings, then comment."""
    asked = survey.get("questions") or []
    if isinstance(asked, str):
        asked = json.loads(asked) if asked else []
    return [q for q in SCALES if q in asked] + (["open"] if "open" in asked else [])


def new_device() -> str:
    """A fresh device id for the respondent's cookie."""
    return secrets.token_urlsafe(24)


def _device_hash(device: str) -> str:
    return hashlib.sha256(device.encode("utf-8")).hexdigest()


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def answered(store: Store, survey_id: int, device: str, day: str | None = None) -> dict[str, int | None]:
    """The questions this device answered today (question → response id)."""
    rows = store.rows("select question, response_id from survey_answers where survey_id = ? and device = ? "
                      "and day = ?", (survey_id, _device_hash(device), day or today()))
    return {row["question"]: row["response_id"] for row in rows}


def next_question(store: Store, survey: dict[str, Any], device: str) -> str | None:
    """The question to show this device now (None: it has answered everything today).

    The comment box only follows a rating answered today (a comment needs a score to
    belong to)."""
    done = answered(store, survey["id"], device)
    for question in questions(survey):
        if question not in done and (question != "open" or any(q in done for q in SCALES)):
            return question
    return None


def intake(survey: dict[str, Any]) -> Actor:
    """Who writes a respondent's answers: no one signed in, allowed to record answers in
    the survey's own workbook and nothing else (the link is the credential)."""
    return Actor.intake(WHO, survey["workbook_id"])


def answer(store: Store, survey: dict[str, Any], device: str, question: str, score: Any,
           customer: str | None = None, who: Any = None) -> int | None:
    """Store a tapped rating; None when this device already answered it today (a double
    tap, a back button) — the first answer counts. ValidationError for a score off the
    scale or a question the survey does not ask. ``who``: the link's :func:`intake` unless
    given; the store's policy checks it may ``answer`` in the survey's workbook."""
    if not survey["is_open"]:
        raise ValidationError("this survey is closed", field="survey", rule="survey_closed")
    if question not in SCALES or question not in questions(survey):
        raise ValidationError("this survey does not ask that", field="question", rule="choice")
    low, high = SCALES[question]
    try:
        value = int(str(score).strip())
    except ValueError:
        raise ValidationError(f"score must be a whole number from {low} to {high}", field="score",
                              rule="range") from None
    if not low <= value <= high:
        raise ValidationError(f"score must be a whole number from {low} to {high}", field="score", rule="range")
    customer = (customer or "").strip()[:MAX_CUSTOMER] or None
    device_hash, day = _device_hash(device), today()
    with store.change(who or intake(survey), survey["workbook_id"], "answer") as change:
        if store.rows("select 1 from survey_answers where survey_id = ? and device = ? and day = ? and question = ?",
                      (survey["id"], device_hash, day, question)):
            return None
        record = change.insert("responses", {
            "workbook_id": survey["workbook_id"], "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
            "metric": question, "scale": high, "score": float(value), "customer": customer,
            "persona": survey.get("persona") or None, "stage": survey.get("stage") or None,
            "touchpoint": survey.get("touchpoint") or None, "channel": survey.get("channel") or None,
            "source": WHO})
        change.execute("insert into survey_answers (survey_id, device, day, question, response_id) "
                       "values (?, ?, ?, ?, ?)", (survey["id"], device_hash, day, question, record["id"]))
    return record["id"]


def comment(store: Store, survey: dict[str, Any], device: str, text: str | None, who: Any = None) -> None:
    """The comment box: the text is added to this device's first rating of today; an
    empty text skips the box. Once per day, like the ratings. ``who`` as for :func:`answer`."""
    if not survey["is_open"]:
        raise ValidationError("this survey is closed", field="survey", rule="survey_closed")
    text = (text or "").strip()[:MAX_COMMENT] or None
    done = answered(store, survey["id"], device)
    rated = [done[q] for q in SCALES if done.get(q)]
    if "open" in done or not rated:
        return
    with store.change(who or intake(survey), survey["workbook_id"], "answer") as change:
        if text:
            target = store.get("responses", rated[0])
            if target is None:
                raise NotFound("the answer this comment belongs to is gone", table="responses")
            change.update("responses", target["id"], {"comment": text}, target["version"])
        change.execute("insert into survey_answers (survey_id, device, day, question, response_id) "
                       "values (?, ?, ?, 'open', ?) on conflict do nothing",
                       (survey["id"], _device_hash(device), today(), rated[0] if text else None))
        change.touched = True


# -- links and QR codes -------------------------------------------------------------------------


def link(base_url: str, survey: dict[str, Any], customer: str | None = None, language: str | None = None) -> str:
    """The survey's public address; ``customer`` (an id from the CRM, printed on a receipt)
    and ``language`` ride along in the query."""
    query = {key: value for key, value in (("lang", language), ("c", customer)) if value}
    return f"{base_url.rstrip('/')}/s/{survey['slug']}" + (f"?{urlencode(query)}" if query else "")


@lru_cache(maxsize=512)  # pure and a few ms each; the feedback page draws every survey's on every run
def qr_svg(url: str) -> str:
    """The link as a QR code in SVG (prints sharp at any size), made here, offline."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=4, xmldecl=False, title=url)
    return out.getvalue().decode("utf-8")


@lru_cache(maxsize=512)
def qr_png(url: str, scale: int = 10) -> bytes:
    """The link as a QR code in PNG (for mail and office documents)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
