"""Step 1, buyer personas: who the customers are, what they want and what hurts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.ingest.pipeline import Field, Reading, Spec
from cxlib.l10n import i18n
from cxlib.steps.journeys import CHANNELS
from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

TABLE = "personas"


# Form fields in display order: (column, kind). Labels are i18n keys "persona.<column>".
TEXT_FIELDS = ("name", "role", "segment", "demographics", "identifiers", "quote")
LIST_FIELDS = (
    "goals",
    "pain_points",
    "preferences",
    "values_text",
    "looks_for",
    "objections",
)
NUMBER_FIELDS = ("segment_size", "segment_value")
FIELDS = TEXT_FIELDS + LIST_FIELDS + ("channels",) + NUMBER_FIELDS


def validate(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"name": records.required_text(values, "name")}
    for field in TEXT_FIELDS[1:] + LIST_FIELDS:
        clean[field] = (values.get(field) or "").strip()
    channels = values.get("channels") or []
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ValidationError(f"unknown channel {unknown[0]!r}", field="channels", rule="choice")
    clean["channels"] = list(channels)
    for field, kind in (("segment_size", int), ("segment_value", float)):
        value = values.get(field)
        if value in (None, ""):
            clean[field] = None
            continue
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{field} must be a number", field=field, rule="number") from None
        if number < 0:
            raise ValidationError(f"{field} cannot be negative", field=field, rule="min0")
        clean[field] = number
    return clean


def list_personas(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list(TABLE, "workbook_id = ?", (workbook_id,), order_by="name collate nocase")


def save_persona(
    store: Store,
    workbook_id: int,
    values: dict[str, Any],
    who: Any,
    persona_id: int | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    return records.save(
        store, TABLE, workbook_id, values, who, validate, persona_id, expected_version
    )


def delete_persona(
    store: Store, workbook_id: int, persona_id: int, expected_version: int, who: Any
) -> None:
    """Delete a persona together with its journeys (all undoable in one step)."""
    records.remove(store, TABLE, workbook_id, persona_id, expected_version, who)


def initials(name: str) -> str:
    """Up to two initials for the avatar when a persona has no photo."""
    words = [w for w in (name or "").split() if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def is_complete(persona: dict[str, Any]) -> bool:
    """A persona counts once it has at least one goal and one pain point."""
    return bool(records.lines(persona.get("goals")) and records.lines(persona.get("pain_points")))


def revenue_share(personas: list[dict[str, Any]]) -> dict[int, float | None]:
    """Each persona's share of the total segment value (None when no value is known)."""
    total = sum(p["segment_value"] or 0 for p in personas)
    return {
        p["id"]: (p["segment_value"] / total if total and p["segment_value"] is not None else None)
        for p in personas
    }


# -- import from a file (a personas or customer-segments CSV/XLSX) ----------------------------

_HINTS = {
    "name": ("persona", "persona name", "nazwa", "imię", "persona nazwa", "نام", "پرسونا", "անուն", "պերսոնա"),
    "role": ("job", "job title", "title", "occupation", "stanowisko", "rola", "نقش", "شغل", "դեր"),
    "segment": ("segment", "group", "grupa", "بخش", "սեգմենտ"),
    "demographics": ("demographic", "age", "demografia", "جمعیت شناختی", "ժողովրդագրություն"),
    "identifiers": ("identifier", "how to recognise", "rozpoznać", "شناسه"),
    "quote": ("quote", "cytat", "نقل قول", "մեջբերում"),
    "goals": ("goal", "goals", "cele", "cel", "اهداف", "هدف", "նպատակներ"),
    "pain_points": ("pain", "pains", "pain point", "pain points", "frustrations", "bolączki", "problemy",
                    "نقاط درد", "ցավոտ կետեր"),
    "preferences": ("preference", "preferences", "preferencje", "ترجیحات", "նախասիրություններ"),
    "values_text": ("values", "wartości", "ارزش ها", "արժեքներ"),
    "looks_for": ("looks for", "what they look for", "szuka", "czego szuka"),
    "objections": ("objection", "objections", "obiekcje", "zastrzeżenia", "اعتراض"),
    "channels": ("channel", "channels", "kanały", "kanał", "کانال", "ալիքներ"),
    "segment_size": ("size", "customers", "segment size", "count", "liczba klientów", "wielkość", "اندازه",
                     "չափ"),
    "segment_value": ("value", "revenue", "segment value", "przychód", "wartość", "درآمد", "արժեք"),
}
PERSONAS = Spec("personas", (
    Field("name", "text", True, _HINTS["name"]),
    *(Field(f, "text", False, _HINTS[f]) for f in TEXT_FIELDS[1:] + LIST_FIELDS + ("channels",)),
    Field("segment_size", "number", False, _HINTS["segment_size"]),
    Field("segment_value", "number", False, _HINTS["segment_value"]),
))
# Several entries in one cell of a list field or the channels: one per line, or split by
# semicolons or vertical bars (commas stay: "fast, friendly service" is one goal).
_SEPARATORS = re.compile(r"\s*(?:\r?\n|;|\|)\s*")


def _entries(cell: str | None) -> list[str]:
    return [part for part in _SEPARATORS.split(cell or "") if part]


def _channel_words() -> dict[str, str]:
    """Each channel's code and its name in every language of the app, lower-cased."""
    words = {c: c for c in CHANNELS}
    for language in i18n.languages():
        words |= {i18n.t(f"channel.{c}", language).strip().lower(): c for c in CHANNELS}
    return words


def persona_rows(reading: Reading, channel_names: Mapping[str, str] | None = None,
                 existing: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The personas of a read file, validated as the form validates them, or a FileError
    naming the line and column of the first bad cell.

    ``channel_names``: more words a file may use for a channel (the codes and the
    channel names in every language of the app always count).
    ``existing``: names already in the workbook (lower-cased); a name there, or twice in
    the file, is refused: nothing is overwritten by an import.
    """
    table, frame = reading.table, reading.frame
    column_of = {c.role: c.column for c in reading.columns}
    names = _channel_words() | {k.strip().lower(): v for k, v in (channel_names or {}).items()}
    seen: dict[str, int] = {}
    out = []
    for index, row in enumerate(frame.iter_rows(named=True)):
        values: dict[str, Any] = {f: row.get(f) for f in TEXT_FIELDS if f in frame.columns}
        for field in LIST_FIELDS:
            if field in frame.columns:
                values[field] = "\n".join(_entries(row[field]))
        channels = []
        for word in _entries(row.get("channels")):
            code = names.get(word.lower())
            if code is None:
                raise FileError("unknown_channel", column_of["channels"], [table.line(index)],
                                lines=[table.line(index)], value=word[:60], choices=", ".join(CHANNELS))
            if code not in channels:
                channels.append(code)
        values["channels"] = channels
        for field in NUMBER_FIELDS:
            number = row.get(field)
            if number is None:
                continue
            if number < 0:
                raise pipeline.refuse(table, column_of[field], [index], "negative_number")
            if field == "segment_size" and number != int(number):
                raise pipeline.refuse(table, column_of[field], [index], "not_whole")
            values[field] = int(number) if field == "segment_size" else number
        try:
            clean = validate(values)
        except ValidationError as error:  # a rule of the form the checks above do not cover
            raise FileError("invalid_value", column_of.get(error.field or "", error.field), [table.line(index)],
                            lines=[table.line(index)], detail=str(error)) from None
        key = clean["name"].lower()
        if key in existing:
            raise pipeline.refuse(table, column_of["name"], [index], "persona_exists")
        if key in seen:
            raise pipeline.refuse(table, column_of["name"], [seen[key], index], "persona_twice")
        seen[key] = index
        out.append(clean)
    return out


def import_personas(store: Store, workbook_id: int, reading: Reading, who: Any,
                    channel_names: Mapping[str, str] | None = None,
                    remember: Any = None) -> list[dict[str, Any]]:
    """Create the personas of a read file in one change (all or none, one undo step),
    through the store's write path, which checks that ``who`` may edit the workbook."""
    existing = {p["name"].lower() for p in list_personas(store, workbook_id)}
    rows = persona_rows(reading, channel_names, existing)
    with store.change(who, workbook_id) as change:
        made = [change.insert(TABLE, {**row, "workbook_id": workbook_id}) for row in rows]
        if remember:
            remember(change)
    return made
