"""Step 2, CX vision: the statement, guiding principles and a goal with a KPI per team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cxlib.analytics.metrics import GOAL_KPIS
from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

TEAMS = ("support", "product", "marketing", "sales", "success", "operations")
GOAL_COLUMNS = ("team", "goal", "kpi", "metric", "target", "unit")
GOAL_SCHEMA = {"team": pl.String, "goal": pl.String, "kpi": pl.String, "metric": pl.String, "target": pl.Float64,
               "unit": pl.String}


def get_vision(store: Store, workbook_id: int) -> dict[str, Any] | None:
    found = store.list("vision", "workbook_id = ?", (workbook_id,))
    return found[0] if found else None


def _validate_vision(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement": (values.get("statement") or "").strip(),
        "principles": (values.get("principles") or "").strip(),
        "feelings": (values.get("feelings") or "").strip(),
    }


def save_vision(
    store: Store,
    workbook_id: int,
    values: dict[str, Any],
    who: Any,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Create the workbook's vision, or update it from the version the user started with."""
    return records.save_single(store, "vision", workbook_id, values, who, _validate_vision, expected_version)


def validate_goal(values: dict[str, Any]) -> dict[str, Any]:
    team = (values.get("team") or "").strip()
    if team not in TEAMS:
        raise ValidationError(f"team must be one of {', '.join(TEAMS)}", field="team", rule="choice")
    target = values.get("target")
    if target in ("", None):
        target = None
    else:
        try:
            target = float(target)
        except (TypeError, ValueError):
            raise ValidationError("target must be a number", field="target", rule="number") from None
    metric = (values.get("metric") or "").strip() or None
    if metric is not None and metric not in GOAL_KPIS:
        raise ValidationError(f"the measured KPI must be one of {', '.join(GOAL_KPIS)}", field="metric",
                              rule="choice")
    if metric is not None and target is not None:
        low, high = GOAL_KPIS[metric]
        if target < low or (high is not None and target > high):
            raise ValidationError(f"a {metric} target is in its own unit, from {low:g}"
                                  + (f" to {high:g}" if high is not None else ""), field="target", rule="kpi_target",
                                  low=low, high=high)
    return {
        "team": team,
        "goal": records.required_text(values, "goal"),
        "kpi": (values.get("kpi") or "").strip(),
        "metric": metric,
        "target": target,
        "unit": (values.get("unit") or "").strip(),
    }


def list_goals(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("team_goals", "workbook_id = ?", (workbook_id,), order_by="team, id")


def save_goal_edits(
    store: Store,
    workbook_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write a data-editor edit of the team-goal grid as one undoable change."""
    records.save_grid(
        store, "team_goals", workbook_id, loaded, edits, who, validate_goal, None, forced_versions
    )


def is_complete(vision: dict[str, Any] | None, goals: list[dict[str, Any]]) -> bool:
    """Done: a statement, at least one principle, and a goal with a KPI for two teams."""
    if not vision or not (vision.get("statement") or "").strip():
        return False
    teams_with_kpi = {g["team"] for g in goals if (g.get("kpi") or "").strip()}
    return bool(records.lines(vision.get("principles"))) and len(teams_with_kpi) >= 2
