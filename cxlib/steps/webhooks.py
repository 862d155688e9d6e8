"""Step 9's webhook: per-workbook tokens, saved field mappings per source, and storing a
delivered answer once, however often it is retried.

Only a SHA-256 of a token is stored: the token itself is shown once, when it is created.
A token is the credential (no sign-in): it names its workbook, and revoking it stops it
at once. Every answer, token and mapping is written through the store's one write path,
so it has a history row and can be undone.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cxlib.access.roles import Actor
from cxlib.steps import payloads as webhook
from cxlib.steps.feedback import METRICS
from cxlib.steps.payloads import PayloadError
from cxlib.storage import records
from cxlib.storage.store import now_iso, Store, ValidationError

TOKEN_PREFIX = "cxw_"
SOURCE_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- tokens -----------------------------------------------------------------------------------


def create_token(store: Store, workbook_id: int, name: str, who: str) -> tuple[dict[str, Any], str]:
    """A new token for the workbook: (its record, the token itself, to show once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.change(who, workbook_id) as change:
        record = change.insert("webhook_tokens", {
            "workbook_id": workbook_id, "name": records.required_text({"name": name}, "name"),
            "token_hash": _hash(token), "hint": token[-4:], "created_at": now_iso()})
    return record, token


def revoke_token(store: Store, workbook_id: int, token_id: int, expected_version: int, who: str) -> dict[str, Any]:
    """Stop a token at once; the record stays, so the history shows who revoked it when."""
    with store.change(who, workbook_id) as change:
        return change.update("webhook_tokens", token_id, {"revoked_at": now_iso()}, expected_version)


def list_tokens(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("webhook_tokens", "workbook_id = ?", (workbook_id,), order_by="id desc")


class TokenError(Exception):
    """A missing, unknown or revoked token; ``code`` says which."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def workbook_of(store: Store, token: str | None) -> int:
    """The workbook a token opens (TokenError when it is missing, unknown or revoked)."""
    if not token:
        raise TokenError("no_token", "send the token as 'Authorization: Bearer <token>' (or ?token=)")
    found = store.rows("select workbook_id, revoked_at from webhook_tokens where token_hash = ?", (_hash(token),))
    if not found:
        raise TokenError("bad_token", "this token is not known")
    if found[0]["revoked_at"]:
        raise TokenError("revoked_token", f"this token was revoked at {found[0]['revoked_at']}")
    return found[0]["workbook_id"]


# -- sources (a field mapping per survey tool) -------------------------------------------------


def validate_source(values: dict[str, Any]) -> dict[str, Any]:
    """A source: a short name for the URL, a preset, its mapping, its metric and scale."""
    name = records.required_text(values, "name").lower()
    if not set(name) <= SOURCE_NAME_CHARS or len(name) > 40:
        raise ValidationError("use a-z, 0-9, - and _ (at most 40)", field="name", rule="source_name")
    preset = values.get("preset") or "generic"
    if preset not in webhook.PRESETS:
        raise ValidationError("unknown preset", field="preset", rule="choice")
    try:
        mapping = webhook.check_mapping(values.get("mapping") or webhook.PRESETS[preset])
    except PayloadError as error:
        raise ValidationError(str(error), field=error.field or "mapping", rule="mapping", detail=str(error)) from None
    metric = values.get("metric") or None
    if metric is not None and metric not in METRICS:
        raise ValidationError("unknown metric", field="metric", rule="choice")
    scale = values.get("scale")
    scale = int(scale) if scale not in (None, "") else None
    if scale not in (None, 5, 7, 10):
        raise ValidationError("scale must be 5, 7 or 10", field="scale", rule="choice")
    return {"name": name, "preset": preset, "mapping": mapping, "metric": metric, "scale": scale}


def save_source(store: Store, workbook_id: int, values: dict[str, Any], who: str,
                record_id: int | None = None, expected_version: int | None = None) -> dict[str, Any]:
    clean = validate_source(values)
    clash = store.rows("select id from webhook_sources where workbook_id = ? and name = ? and id is not ?",
                       (workbook_id, clean["name"], record_id))
    if clash:
        raise ValidationError("a source with this name exists", field="name", rule="unique_source")
    return records.save(store, "webhook_sources", workbook_id, clean, who, lambda v: v, record_id, expected_version)


def list_sources(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("webhook_sources", "workbook_id = ?", (workbook_id,), order_by="name")


@dataclass(frozen=True)
class Source:
    name: str
    mapping: Mapping[str, str]
    metric: str | None
    scale: int | None


def source(store: Store, workbook_id: int, name: str) -> Source:
    """The saved source ``name``, or a preset of that name used as it is (PayloadError
    ``unknown_source`` when neither exists)."""
    saved = store.list("webhook_sources", "workbook_id = ? and name = ?", (workbook_id, name))
    if saved:
        return Source(name, saved[0]["mapping"], saved[0]["metric"], saved[0]["scale"])
    if name in webhook.PRESETS:
        return Source(name, webhook.PRESETS[name], None, None)
    raise PayloadError("unknown_source", f"no source called {name!r} in this workbook; create it in step 9 "
                                         f"(Webhook) or use one of {', '.join(webhook.PRESETS)}", "source")


# -- receiving ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    response_id: int
    duplicate: bool


WHO = "webhook:{source}"


def intake(workbook_id: int, source_name: str) -> Actor:
    """Who writes a delivered answer: no one signed in, allowed to record answers in the
    token's own workbook and nothing else (the token is the credential)."""
    return Actor.intake(WHO.format(source=source_name), workbook_id)


def receive(store: Store, workbook_id: int, source_name: str, payload: Mapping[str, Any],
            key: str | None = None, received: datetime | None = None, who: Any = None) -> Stored:
    """Store one delivered answer once: a delivery whose key was stored before returns the
    first answer's id (``duplicate``), whatever the payload says now.

    ``key`` is the ``Idempotency-Key`` header; without it the payload's mapped ``id`` is
    the key, and a delivery with neither is refused (a retry could not be recognised).
    ``who``: the source's :func:`intake` unless given; the store's policy checks it may
    ``answer`` in ``workbook_id``.
    """
    result = receive_many(store, workbook_id, [(source_name, payload, key)], received, who)[0]
    if isinstance(result, PayloadError):
        raise result
    return result


Delivery = tuple[str, Mapping[str, Any], str | None]  # (source name, payload, idempotency key)


def receive_many(store: Store, workbook_id: int, deliveries: Sequence[Delivery],
                 received: datetime | None = None, who: Any = None) -> list[Stored | PayloadError]:
    """Deliveries to one workbook that arrived together, each answered as :func:`receive`
    would (stored once, or refused with its own PayloadError, in its place), with one
    check per source instead of one per delivery (each answer is still its own change)."""
    results: list[Stored | PayloadError | None] = [None] * len(deliveries)
    by_source: dict[str, list[int]] = {}
    for index, (name, _, _) in enumerate(deliveries):
        by_source.setdefault(name, []).append(index)
    for name, indexes in by_source.items():
        try:
            found = source(store, workbook_id, name)
        except PayloadError as error:
            for index in indexes:
                results[index] = error
            continue
        answers = webhook.read_many([deliveries[i][1] for i in indexes], found.mapping, found.metric, found.scale,
                                    received)
        ready = []
        for index, answer in zip(indexes, answers):
            if isinstance(answer, PayloadError):
                results[index] = answer
                continue
            key = (deliveries[index][2] or "").strip() or answer.pop("key")
            answer.pop("key", None)
            if not key:
                results[index] = PayloadError("no_key", "send an 'Idempotency-Key' header or map the payload's own "
                                                        "id, so a retried delivery is stored once", "id")
            elif len(key) > webhook.MAX_KEY:
                results[index] = PayloadError("too_long", f"the idempotency key is longer than {webhook.MAX_KEY} "
                                                          "characters", "id")
            else:
                ready.append((index, key, answer))
        if ready:
            _store(store, workbook_id, found.name, ready, results, who)
    return results


def _store(store: Store, workbook_id: int, source_name: str, ready: list[tuple[int, str, dict[str, Any]]],
           results: list, who: Any = None) -> None:
    """Write the checked answers of one source, each in its own change (its own history
    entry, undone on its own); a key stored before gets the first answer's id. Checked
    inside the transaction: BEGIN IMMEDIATE holds the database's write lock, across
    processes too, so two copies of one delivery arriving together are stored once."""
    for index, key, answer in ready:
        with store.change(who or intake(workbook_id, source_name), workbook_id, "answer") as change:
            earlier = _delivered(store, workbook_id, source_name, key)
            if earlier is not None:
                results[index] = Stored(earlier, True)
                continue
            record = change.insert("responses", {"workbook_id": workbook_id, "source": source_name, **answer})
            store.db.execute("insert into webhook_deliveries (workbook_id, source, key, response_id) "
                             "values (?, ?, ?, ?)", (workbook_id, source_name, key, record["id"]))
            results[index] = Stored(record["id"], False)


def _delivered(store: Store, workbook_id: int, source_name: str, key: str) -> int | None:
    found = store.rows("select response_id from webhook_deliveries where workbook_id = ? and source = ? and key = ?",
                       (workbook_id, source_name, key))
    return found[0]["response_id"] if found else None
