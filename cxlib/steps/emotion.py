"""Step 8, emotional connection: brand story, commitments, personalisation per persona,
the moments that matter and the emotion we aim for at each journey stage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cxlib.steps.journeys import EMOTION_MAX, EMOTION_MIN
from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

STAGE_COLUMNS = ("name", "moment_that_matters", "target_emotion")
STAGE_SCHEMA = {"name": pl.String, "moment_that_matters": pl.String, "target_emotion": pl.Int64}
PLAN_COLUMNS = ("persona", "plan", "moments")
PLAN_SCHEMA = {c: pl.String for c in PLAN_COLUMNS}


def get_story(store: Store, workbook_id: int) -> dict[str, Any] | None:
    found = store.list("brand_story", "workbook_id = ?", (workbook_id,))
    return found[0] if found else None


def _validate_story(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (values.get(k) or "").strip() for k in ("story", "transparency", "people")}


def save_story(
    store: Store, workbook_id: int, values: dict[str, Any], who: Any,
    expected_version: int | None = None,
) -> dict[str, Any]:
    return records.save_single(store, "brand_story", workbook_id, values, who, _validate_story, expected_version)


def plans(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    """One row per persona with its personalisation plan (empty if none yet)."""
    by_persona = {p["persona_id"]: p for p in store.list("personalisation", "workbook_id = ?", (workbook_id,))}
    rows = []
    for persona in store.list("personas", "workbook_id = ?", (workbook_id,), order_by="name"):
        plan = by_persona.get(persona["id"], {})
        rows.append({"persona_id": persona["id"], "persona": persona["name"], "plan_id": plan.get("id"),
                     "version": plan.get("version"), "plan": plan.get("plan"), "moments": plan.get("moments")})
    return rows


def save_plan_edits(
    store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]], who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write edited plans (grid row → {plan, moments}) as one change."""

    def write(change, row, cells, version_of) -> None:
        values = {k: (cells.get(k, row[k]) or "").strip() for k in ("plan", "moments")}
        if row["plan_id"] is None:
            change.insert("personalisation", {"workbook_id": workbook_id, "persona_id": row["persona_id"], **values})
        else:
            change.update("personalisation", row["plan_id"], values, version_of(row["plan_id"], row["version"]))

    records.save_cells(store, workbook_id, loaded, edited_rows, who, write, forced_versions)


def validate_stage(values: dict[str, Any]) -> dict[str, Any]:
    target = values.get("target_emotion")
    if target not in (None, ""):
        try:
            number = float(target)
        except (TypeError, ValueError):
            raise ValidationError("target must be −2…+2", field="target_emotion", rule="emotion") from None
        if number != int(number) or not EMOTION_MIN <= number <= EMOTION_MAX:
            raise ValidationError("target must be −2…+2", field="target_emotion", rule="emotion")
        target = int(number)
    else:
        target = None
    return {"target_emotion": target,
            "moment_that_matters": (values.get("moment_that_matters") or "").strip()}


def save_stage_edits(
    store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]], who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Moments that matter and target emotions on a journey's stages (no adding or deleting
    stages here: that is step 3)."""
    records.save_grid(
        store, "stages", workbook_id, loaded, {"edited_rows": edited_rows}, who,
        validate_stage, None, forced_versions,
    )


def is_complete(story: Mapping[str, Any] | None, stages: Sequence[Mapping[str, Any]]) -> bool:
    """Done: a brand story and a target emotion on at least three journey stages."""
    targeted = [s for s in stages if s.get("target_emotion") is not None]
    return bool(story and (story.get("story") or "").strip() and len(targeted) >= 3)
