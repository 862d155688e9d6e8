"""Step 4, competitors: who else the customer considers, scored against us, and the gaps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cxlib.steps.journeys import CHANNELS
from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

PERCEPTION = ("product_quality", "support_quality", "brand_positioning", "price", "reputation")
CAPABILITIES = ("omnichannel", "response_time", "self_service", "chat_24_7", "personalisation")
FACTORS = PERCEPTION + CAPABILITIES
DETAIL_COLUMNS = ("name", "positioning", "strengths", "weaknesses", "channels")
DETAIL_SCHEMA = {c: pl.List(pl.String) if c == "channels" else pl.String for c in DETAIL_COLUMNS}
SCORE_SCHEMA = {"name": pl.String} | {f: pl.Int64 for f in FACTORS}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"name": records.required_text(values, "name")}
    for field in ("positioning", "strengths", "weaknesses"):
        clean[field] = (values.get(field) or "").strip()
    channels = list(values.get("channels") or [])
    if any(c not in CHANNELS for c in channels):
        raise ValidationError("unknown channel", field="channels", rule="choice")
    clean["channels"] = channels
    for factor in FACTORS:
        score = values.get(factor)
        if score in (None, ""):
            clean[factor] = None
            continue
        try:
            number = float(score)
        except (TypeError, ValueError):
            raise ValidationError(f"{factor} must be 1–5", field=factor, rule="score") from None
        if number != int(number) or not 1 <= number <= 5:
            raise ValidationError(f"{factor} must be 1–5", field=factor, rule="score")
        clean[factor] = int(number)
    return clean


def list_competitors(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    """Us first, then the competitors by name."""
    return store.list("competitors", "workbook_id = ?", (workbook_id,), order_by="is_us desc, name")


def save_edits(
    store: Store,
    workbook_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write a grid edit (details or scores) as one undoable change; our row cannot be deleted."""
    if any(loaded[i]["is_us"] for i in edits.get("deleted_rows", [])):
        raise ValidationError("our own row cannot be deleted", field="name", rule="keep_us")
    records.save_grid(
        store, "competitors", workbook_id, loaded, edits, who, validate, {"is_us": 0}, forced_versions
    )


def score_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Long format (name, is_us, factor, score) for the heatmap and radar charts."""
    return pl.DataFrame(
        [
            {"name": row["name"], "is_us": bool(row["is_us"]), "factor": factor, "score": row[factor]}
            for row in rows
            for factor in FACTORS
        ],
        schema={"name": pl.String, "is_us": pl.Boolean, "factor": pl.String, "score": pl.Int64},
    )


def gaps(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Factors where a competitor scores higher than us: the leader and the size of the gap.

    Factors we have not scored, or nobody else has, are left out. Largest gaps first.
    """
    frame = score_frame(rows).drop_nulls("score")
    ours = frame.filter(pl.col("is_us")).select("factor", pl.col("score").alias("ours"))
    best = (
        frame.filter(~pl.col("is_us"))
        .sort("score", descending=True)
        .group_by("factor", maintain_order=True)
        .agg(pl.col("name").first().alias("leader"), pl.col("score").first().alias("best"))
    )
    return (
        ours.join(best, on="factor")
        .filter(pl.col("best") > pl.col("ours"))
        .with_columns((pl.col("best") - pl.col("ours")).alias("gap"))
        .sort(["gap", "factor"], descending=[True, False])
    )


# -- opportunities drawn from the gaps -------------------------------------------------------

ACTION_COLUMNS = ("factor", "action", "stage_id")
ACTION_SCHEMA = {"factor": pl.String, "action": pl.String, "stage_id": pl.Int64}


def validate_action(values: dict[str, Any]) -> dict[str, Any]:
    factor = values.get("factor")
    if factor not in FACTORS:
        raise ValidationError("factor must be one of the scored factors", field="factor", rule="choice")
    stage = values.get("stage_id")
    return {
        "factor": factor,
        "action": records.required_text(values, "action"),
        "stage_id": int(stage) if stage not in (None, "") else None,
    }


def list_actions(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("gap_actions", "workbook_id = ?", (workbook_id,))


def save_action_edits(
    store: Store,
    workbook_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    records.save_grid(
        store, "gap_actions", workbook_id, loaded, edits, who, validate_action, None, forced_versions
    )


def is_complete(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Done: us and at least two competitors, each scored on every factor."""
    scored = [r for r in rows if all(r[f] is not None for f in FACTORS)]
    return any(r["is_us"] for r in scored) and sum(not r["is_us"] for r in scored) >= 2
