"""Step 1, buyer personas: who the customers are, what they want and what hurts."""

from __future__ import annotations

from typing import Any

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
