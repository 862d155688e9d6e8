"""Step 5, the CX team: members, skills and training, a RACI per journey stage, reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import polars as pl

from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

MEMBER_COLUMNS = ("name", "role", "skills", "training_needs", "goals")
MEMBER_SCHEMA = {c: pl.String for c in MEMBER_COLUMNS}
RACI_LETTERS = ("R", "A", "C", "I")


def list_members(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    members = store.list("team_members", "workbook_id = ?", (workbook_id,), order_by="name")
    for member in members:
        member["raci"] = dict(member["raci"] or {})
    return members


def validate_member(values: dict[str, Any]) -> dict[str, Any]:
    clean = {"name": records.required_text(values, "name")}
    for field in MEMBER_COLUMNS[1:]:
        clean[field] = (values.get(field) or "").strip()
    clean["raci"] = validate_raci(values.get("raci") or {})
    return clean


def validate_raci(raci: Mapping[str, Any]) -> dict[str, str]:
    clean = {}
    for stage, letter in dict(raci).items():
        letter = (letter or "").strip().upper()
        if not letter:
            continue
        if letter not in RACI_LETTERS:
            raise ValidationError("RACI must be R, A, C or I", field=str(stage), rule="raci")
        clean[str(stage)] = letter
    return clean


def save_member_edits(
    store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]], edits: Mapping[str, Any],
    who: Any, forced_versions: Mapping[int, int] | None = None,
) -> None:
    records.save_grid(
        store, "team_members", workbook_id, loaded, edits, who, validate_member, None, forced_versions
    )


def raci_frame(members: Sequence[Mapping[str, Any]], stage_names: Sequence[str]) -> pl.DataFrame:
    """Members as rows, journey stages as columns, R/A/C/I (or empty) in the cells."""
    return pl.DataFrame(
        [{"name": m["name"], **{s: m["raci"].get(s, "") for s in stage_names}} for m in members],
        schema={"name": pl.String} | {s: pl.String for s in stage_names},
    )


def save_raci_edits(
    store: Store, workbook_id: int, members: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]], who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Write edited RACI cells (grid row → {stage: letter}) as one change."""

    def write(change, member, cells, version_of) -> None:
        raci = validate_raci({**member["raci"], **{k: v for k, v in cells.items() if k != "name"}})
        change.update("team_members", member["id"], {"raci": raci}, version_of(member["id"], member["version"]))

    records.save_cells(store, workbook_id, members, edited_rows, who, write, forced_versions)


def unowned_stages(members: Sequence[Mapping[str, Any]], stage_names: Sequence[str]) -> list[str]:
    """Stages nobody is Responsible or Accountable for."""
    owned = {s for m in members for s, letter in m["raci"].items() if letter in ("R", "A")}
    return [s for s in stage_names if s not in owned]


def get_review(store: Store, workbook_id: int) -> dict[str, Any] | None:
    found = store.list("team_review", "workbook_id = ?", (workbook_id,))
    return found[0] if found else None


def _validate_review(values: dict[str, Any]) -> dict[str, Any]:
    cadence = values.get("cadence_days")
    try:
        cadence = int(cadence)
    except (TypeError, ValueError):
        raise ValidationError("cadence must be a whole number", field="cadence_days", rule="number") from None
    if cadence < 1:
        raise ValidationError("cadence must be at least one day", field="cadence_days", rule="min1")
    last = values.get("last_review")
    if isinstance(last, date):
        last = last.isoformat()
    elif last:
        try:
            last = date.fromisoformat(str(last)).isoformat()
        except ValueError:
            raise ValidationError("last review must be a date", field="last_review", rule="date") from None
    return {
        "goals": (values.get("goals") or "").strip(),
        "cadence_days": int(cadence),
        "last_review": last or None,
        "progress": (values.get("progress") or "").strip(),
    }


def save_review(
    store: Store, workbook_id: int, values: dict[str, Any], who: Any,
    expected_version: int | None = None,
) -> dict[str, Any]:
    return records.save_single(store, "team_review", workbook_id, values, who, _validate_review, expected_version)


def last_review(review: Mapping[str, Any] | None) -> date | None:
    if not review or not review.get("last_review"):
        return None
    return date.fromisoformat(review["last_review"])


def next_review(review: Mapping[str, Any] | None) -> date | None:
    last = last_review(review)
    return last + timedelta(days=review["cadence_days"]) if last else None


def is_overdue(review: Mapping[str, Any] | None, today: date | None = None) -> bool:
    """A review is overdue when none was ever held or the cadence has passed."""
    due = next_review(review)
    return due is None or due < (today or date.today())


def is_complete(members: Sequence[Mapping[str, Any]], stage_names: Sequence[str],
                review: Mapping[str, Any] | None) -> bool:
    """Done: members, every journey stage owned (R or A), and a review date set."""
    return bool(members and stage_names and not unowned_stages(members, stage_names)
                and review and review.get("last_review"))
