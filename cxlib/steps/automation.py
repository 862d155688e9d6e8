"""Step 6, AI and automation: a scored backlog of opportunities tied to touchpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

KINDS = ("live_chat_24_7", "chatbot", "auto_reply", "routing", "proactive", "self_service", "other")
SCORES = ("volume", "pain", "feasibility", "effort")
HOURS = ("response_hours_now", "response_hours_after", "resolution_hours_now", "resolution_hours_after")
COLUMNS = ("name", "kind", "stage_id", "touchpoint") + SCORES + HOURS
SCHEMA = {"name": pl.String, "kind": pl.String, "stage_id": pl.Int64, "touchpoint": pl.String} | {
    s: pl.Int64 for s in SCORES} | {h: pl.Float64 for h in HOURS}
PRIORITY_FORMULA = "priority = volume × pain × feasibility ÷ effort"


def validate(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"name": records.required_text(values, "name")}
    kind = values.get("kind") or "other"
    if kind not in KINDS:
        raise ValidationError("unknown kind", field="kind", rule="choice")
    clean["kind"] = kind
    stage = values.get("stage_id")
    clean["stage_id"] = int(stage) if stage not in (None, "") else None
    clean["touchpoint"] = (values.get("touchpoint") or "").strip()
    for score in SCORES:
        value = values.get(score)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{score} must be 1–5", field=score, rule="score") from None
        if number != int(number) or not 1 <= number <= 5:
            raise ValidationError(f"{score} must be 1–5", field=score, rule="score")
        clean[score] = int(number)
    for hours in HOURS:
        value = values.get(hours)
        if value in (None, ""):
            clean[hours] = None
            continue
        try:
            clean[hours] = float(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{hours} must be a number", field=hours, rule="number") from None
        if clean[hours] < 0:
            raise ValidationError(f"{hours} cannot be negative", field=hours, rule="min0")
    return clean


def list_items(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("automations", "workbook_id = ?", (workbook_id,))


def save_edits(
    store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]], edits: Mapping[str, Any],
    who: Any, forced_versions: Mapping[int, int] | None = None,
) -> None:
    records.save_grid(store, "automations", workbook_id, loaded, edits, who, validate, None, forced_versions)


def scored(items: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """The backlog with impact (volume × pain), priority and the expected time savings,
    highest priority first."""
    frame = pl.DataFrame([{c: item.get(c) for c in ("id",) + COLUMNS} for item in items],
                         schema={"id": pl.Int64} | SCHEMA)
    return frame.with_columns(
        (pl.col("volume") * pl.col("pain")).alias("impact"),
        (pl.col("volume") * pl.col("pain") * pl.col("feasibility") / pl.col("effort")).alias("priority"),
        (pl.col("response_hours_now") - pl.col("response_hours_after")).alias("response_hours_saved"),
        (pl.col("resolution_hours_now") - pl.col("resolution_hours_after")).alias("resolution_hours_saved"),
    ).sort("priority", descending=True, nulls_last=True)


def is_complete(items: Sequence[Mapping[str, Any]]) -> bool:
    """Done: at least three scored opportunities, one of them tied to a journey stage."""
    return len(items) >= 3 and any(item.get("stage_id") for item in items)
