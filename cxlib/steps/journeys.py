"""Step 3, journey maps: per persona, as-is and to-be journeys made of ordered stages."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cxlib.storage import records
from cxlib.storage.store import NotFound, Store, ValidationError

KINDS = ("as_is", "to_be")
DEFAULT_STAGES = (
    "awareness",
    "consideration",
    "purchase",
    "onboarding",
    "use",
    "support",
    "renewal",
)
CHANNELS = ("web", "social", "email", "phone", "store", "app", "chat", "marketplace", "events")
EMOTION_MIN, EMOTION_MAX = -2, 2
# The rows of the swimlane grid, top to bottom. Labels are i18n keys "stage.<lane>".
LANES = (
    "customer_goal",
    "touchpoints",
    "channels",
    "actions",
    "thoughts",
    "emotion",
    "pain_points",
    "opportunities",
    "owner_team",
    "kpi",
)
STAGE_COLUMNS = ("position", "name") + LANES
STAGE_SCHEMA = {
    column: {"position": pl.Int64, "emotion": pl.Int64, "channels": pl.List(pl.String)}.get(column, pl.String)
    for column in STAGE_COLUMNS
}


def list_journeys(
    store: Store, workbook_id: int, persona_id: int | None = None
) -> list[dict[str, Any]]:
    if persona_id is None:
        return store.list("journeys", "workbook_id = ?", (workbook_id,), order_by="kind, name")
    return store.list(
        "journeys",
        "workbook_id = ? and persona_id = ?",
        (workbook_id, persona_id),
        order_by="kind, name",
    )


def list_stages(store: Store, journey_id: int) -> list[dict[str, Any]]:
    return store.list("stages", "journey_id = ?", (journey_id,), order_by="position, id")


def _validate_journey(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind") or "as_is"
    if kind not in KINDS:
        raise ValidationError("kind must be as_is or to_be", field="kind", rule="choice")
    return {
        "name": records.required_text(values, "name"),
        "kind": kind,
        "persona_id": values.get("persona_id"),
        "description": (values.get("description") or "").strip(),
    }


def create_journey(
    store: Store,
    workbook_id: int,
    values: dict[str, Any],
    stage_names: Sequence[str],
    who: Any,
) -> dict[str, Any]:
    """Create a journey with its first stages (for example the translated defaults)."""
    clean = _validate_journey(values)
    with store.change(who, workbook_id) as change:
        journey = change.insert("journeys", {**clean, "workbook_id": workbook_id})
        for position, name in enumerate(stage_names, start=1):
            change.insert(
                "stages",
                {
                    "workbook_id": workbook_id,
                    "journey_id": journey["id"],
                    "position": position,
                    "name": name,
                    "channels": [],
                },
            )
    return journey


def update_journey(
    store: Store,
    workbook_id: int,
    journey_id: int,
    values: dict[str, Any],
    expected_version: int,
    who: Any,
) -> dict[str, Any]:
    return records.save(
        store, "journeys", workbook_id, values, who, _validate_journey, journey_id, expected_version
    )


def delete_journey(
    store: Store, workbook_id: int, journey_id: int, expected_version: int, who: Any
) -> None:
    records.remove(store, "journeys", workbook_id, journey_id, expected_version, who)


def validate_stage(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"name": records.required_text(values, "name")}
    emotion = values.get("emotion")
    if emotion in (None, ""):
        clean["emotion"] = None
    else:
        try:
            number = float(emotion)
        except (TypeError, ValueError):
            raise ValidationError("emotion must be a number", field="emotion", rule="number") from None
        if not (EMOTION_MIN <= number <= EMOTION_MAX) or number != int(number):
            raise ValidationError(
                "emotion must be a whole number from -2 to +2", field="emotion", rule="emotion"
            )
        clean["emotion"] = int(number)
    position = values.get("position")
    try:
        clean["position"] = int(position) if position not in (None, "") else 0
    except (TypeError, ValueError):
        raise ValidationError("position must be a whole number", field="position", rule="number") from None
    channels = values.get("channels") or []
    if isinstance(channels, str):
        channels = [c.strip() for c in channels.split(",") if c.strip()]
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ValidationError(f"unknown channel {unknown[0]!r}", field="channels", rule="choice")
    clean["channels"] = list(channels)
    for lane in LANES:
        if lane not in ("emotion", "channels"):
            clean[lane] = (values.get(lane) or "").strip()
    return clean


def save_stage_edits(
    store: Store,
    workbook_id: int,
    journey_id: int,
    loaded: Sequence[Mapping[str, Any]],
    edits: Mapping[str, Any],
    who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write a data-editor edit of a journey's stages as one undoable change.

    New rows without a position go to the end, in the order they were added.
    """
    next_position = max((row["position"] or 0 for row in loaded), default=0) + 1
    added = []
    for row in edits.get("added_rows", []):
        row = dict(row)
        if row.get("position") in (None, "") and any(v not in (None, "") for v in row.values()):
            row["position"] = next_position
            next_position += 1
        added.append(row)
    records.save_grid(
        store, "stages", workbook_id, loaded, {**edits, "added_rows": added}, who,
        validate_stage, {"journey_id": journey_id}, forced_versions,
    )


def move_stage(store: Store, workbook_id: int, stage_id: int, step: int, who: Any) -> None:
    """Move a stage one place left (``step=-1``) or right (``+1``) and renumber 1…n."""
    with store.change(who, workbook_id) as change:
        stage = store.get("stages", stage_id)
        if stage is None:
            raise NotFound(f"stage #{stage_id} does not exist", table="stages")
        ordered = list_stages(store, stage["journey_id"])
        index = next(i for i, s in enumerate(ordered) if s["id"] == stage_id)
        target = index + step
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, row in enumerate(ordered, start=1):
            if row["position"] != position:
                change.update("stages", row["id"], {"position": position}, row["version"])


def emotion_frame(
    store: Store, workbook_id: int, persona_id: int | None, measured: dict[str, float] | None = None
) -> pl.DataFrame:
    """Stage emotion scores of a persona's journeys (kind as_is or to_be), plus the target
    emotion per stage from step 8 (kind target) and, when given, the emotion measured from
    feedback per stage name (kind measured), for the emotion-curve chart."""
    rows, targets = [], {}
    for journey in list_journeys(store, workbook_id, persona_id):
        for stage in list_stages(store, journey["id"]):
            rows.append(
                {
                    "journey": journey["name"],
                    "kind": journey["kind"],
                    "position": stage["position"],
                    "stage": stage["name"],
                    "emotion": stage["emotion"],
                    "pain_points": "; ".join(records.lines(stage["pain_points"])),
                }
            )
            if stage.get("target_emotion") is not None:
                # The emotion aimed for in step 8, drawn as its own line (one per stage name).
                targets.setdefault(stage["name"], {
                    **rows[-1], "journey": "target", "kind": "target",
                    "emotion": stage["target_emotion"], "pain_points": "",
                })
    rows.extend(targets.values())
    if measured:
        # Feedback tied to a stage (step 9), averaged onto the same −2…+2 scale.
        for stage in {row["stage"]: row for row in rows if row["kind"] != "target"}.values():
            if stage["stage"] in measured:
                rows.append({**stage, "journey": "measured", "kind": "measured",
                             "emotion": measured[stage["stage"]], "pain_points": ""})
    schema = {
        "journey": pl.String,
        "kind": pl.String,
        "position": pl.Int64,
        "stage": pl.String,
        "emotion": pl.Float64,
        "pain_points": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def stage_order(frame: pl.DataFrame) -> list[str]:
    """Stage names in journey order (first seen by position), for a shared x axis."""
    ordered = frame.sort(["position", "kind"], maintain_order=True).get_column("stage").to_list()
    return list(dict.fromkeys(ordered))


def swimlane_html(
    stages: Sequence[Mapping[str, Any]],
    lane_labels: Mapping[str, str],
    emotion_labels: Mapping[int, str],
    direction: str = "ltr",
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """The journey as a grid: stages as columns, lanes as rows (escaped HTML table).

    ``value_labels`` names the codes some lanes hold (channels ``email``, teams
    ``marketing``) in the reader's language; a value without a label is shown as typed."""
    value_labels = value_labels or {}
    head = "".join(f"<th>{html.escape(s['name'])}</th>" for s in stages)
    body = []
    for lane in LANES:
        cells = []
        for stage in stages:
            value = stage.get(lane)
            if lane == "emotion":
                text = emotion_labels.get(value, "") if value is not None else ""
                css = f' class="emotion emotion-{value}"' if value is not None else ""
                cells.append(f"<td{css}>{html.escape(text)}</td>")
                continue
            if lane == "channels":
                items = list(value or [])
            else:
                items = records.lines(value)
            named = value_labels.get(lane, {})
            inner = "<br>".join(html.escape(named.get(item, item)) for item in items)
            cells.append(f"<td>{inner}</td>")
        body.append(f"<tr><th scope='row'>{html.escape(lane_labels[lane])}</th>{''.join(cells)}</tr>")
    return (
        f"<div class='cxw-swimlane' dir='{direction}'><table>"
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


CANVAS_CELL_LINES = 8
CANVAS_CELL_CHARS = 400


def canvas_cells(
    stages: Sequence[Mapping[str, Any]],
    lane_labels: Mapping[str, str],
    emotion_labels: Mapping[int, str],
    channel_labels: Mapping[str, str] | None = None,
    team_labels: Mapping[str, str] | None = None,
    width: int = 24,
) -> pl.DataFrame:
    """The journey map's cells, one row per stage × lane, text wrapped to ``width``
    characters a line (items one per line), for :func:`cxlib.report.charts.journey_canvas`."""
    channel_labels, team_labels = channel_labels or {}, team_labels or {}
    rows = []
    for lane_order, lane in enumerate(LANES):
        for stage in stages:
            value = stage.get(lane)
            if lane == "emotion":
                items = [emotion_labels.get(value, "")] if value is not None else []
            elif lane == "channels":
                items = [channel_labels.get(c, c) for c in value or []]
            elif lane == "owner_team":
                items = [team_labels.get(item, item) for item in records.lines(value)]
            else:
                items = records.lines(value)
            lines = [line for item in items for line in (textwrap.wrap(item[:CANVAS_CELL_CHARS], width) or [""])]
            if len(lines) > CANVAS_CELL_LINES:  # the canvas shows the start; the table has it all
                lines = lines[: CANVAS_CELL_LINES - 1] + ["…"]
            rows.append({"stage": stage["name"], "lane": lane_labels[lane], "lane_order": lane_order,
                         "text": "\n".join(lines), "lines": max(len(lines), 1),
                         "emotion": value if lane == "emotion" else None})
    schema = {"stage": pl.String, "lane": pl.String, "lane_order": pl.Int64, "text": pl.String,
              "lines": pl.Int64, "emotion": pl.Int64}
    return pl.DataFrame(rows, schema=schema)


def stage_names(store: Store, workbook_id: int) -> list[str]:
    """Distinct stage names across the workbook's journeys, in journey order."""
    rows = store.rows(
        "select stages.name from stages join journeys on journeys.id = stages.journey_id "
        "where stages.workbook_id = ? order by journeys.kind, journeys.id, stages.position",
        (workbook_id,),
    )
    return list(dict.fromkeys(row["name"] for row in rows))


def all_stages(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    return store.list("stages", "workbook_id = ?", (workbook_id,), order_by="journey_id, position")


def pain_points(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    """Every pain point written on a journey stage, with where it was found."""
    found = []
    for journey in list_journeys(store, workbook_id):
        for stage in list_stages(store, journey["id"]):
            for text in records.lines(stage["pain_points"]):
                found.append(
                    {"journey": journey["name"], "kind": journey["kind"], "stage": stage["name"],
                     "stage_id": stage["id"], "pain_point": text}
                )
    return found


def is_complete(store: Store, workbook_id: int) -> bool:
    """Done: a journey with at least three scored stages and at least one pain point."""
    for journey in list_journeys(store, workbook_id):
        stages = list_stages(store, journey["id"])
        scored = [s for s in stages if s["emotion"] is not None]
        if len(scored) >= 3 and any(records.lines(s["pain_points"]) for s in stages):
            return True
    return False
