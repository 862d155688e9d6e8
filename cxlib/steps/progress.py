"""The ten steps of a CX strategy and whether a workbook has done each one.

Completion rules count real content ("three personas with goals and pain points"), never an
empty form. Steps whose pages are not built yet report ``available=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.analytics import metrics
from cxlib.steps import (
    automation,
    competitors,
    emotion,
    feedback,
    journeys,
    listening,
    personas,
    team,
    vision,
)
from cxlib.storage.store import Store

MIN_PERSONAS = 3


@dataclass(frozen=True)
class StepStatus:
    number: int
    key: str  # i18n: "step.<key>.title", "step.<key>.rule"
    available: bool
    done: bool
    detail: dict  # numbers for the rule text, e.g. {"have": 2, "need": 3}


STEP_KEYS = (
    "personas",
    "vision",
    "journeys",
    "competitors",
    "team",
    "automation",
    "listening",
    "emotion",
    "feedback",
    "metrics",
)


def _personas(store: Store, workbook_id: int) -> tuple[bool, dict]:
    complete = [p for p in personas.list_personas(store, workbook_id) if personas.is_complete(p)]
    return len(complete) >= MIN_PERSONAS, {"have": len(complete), "need": MIN_PERSONAS}


def _vision(store: Store, workbook_id: int) -> tuple[bool, dict]:
    goals = vision.list_goals(store, workbook_id)
    return vision.is_complete(vision.get_vision(store, workbook_id), goals), {"goals": len(goals)}


def _journeys(store: Store, workbook_id: int) -> tuple[bool, dict]:
    return journeys.is_complete(store, workbook_id), {
        "journeys": len(journeys.list_journeys(store, workbook_id))
    }


def _competitors(store: Store, workbook_id: int) -> tuple[bool, dict]:
    rows = competitors.list_competitors(store, workbook_id)
    return competitors.is_complete(rows), {"competitors": sum(not r["is_us"] for r in rows)}


def _team(store: Store, workbook_id: int) -> tuple[bool, dict]:
    members = team.list_members(store, workbook_id)
    stages = journeys.stage_names(store, workbook_id)
    done = team.is_complete(members, stages, team.get_review(store, workbook_id))
    return done, {"members": len(members), "unowned": len(team.unowned_stages(members, stages))}


def _automation(store: Store, workbook_id: int) -> tuple[bool, dict]:
    items = automation.list_items(store, workbook_id)
    return automation.is_complete(items), {"items": len(items)}


def _listening(store: Store, workbook_id: int) -> tuple[bool, dict]:
    counted = listening.counts(store, workbook_id)
    return listening.is_complete(counted), dict(counted)


def _emotion(store: Store, workbook_id: int) -> tuple[bool, dict]:
    stages = journeys.all_stages(store, workbook_id)
    targeted = sum(s["target_emotion"] is not None for s in stages)
    return emotion.is_complete(emotion.get_story(store, workbook_id), stages), {"targets": targeted}


def _feedback(store: Store, workbook_id: int) -> tuple[bool, dict]:
    counted = feedback.counts(store, workbook_id)
    return feedback.is_complete(counted), dict(counted)


def _metrics(store: Store, workbook_id: int) -> tuple[bool, dict]:
    """Done: a measured KPI held to a step 2 target (the same rule step 10 shows)."""
    counted = feedback.counts(store, workbook_id)
    measured = metrics.measured(feedback.answer_counts(store, workbook_id), counted["tickets"], counted["events"])
    return metrics.is_complete(measured, vision.list_goals(store, workbook_id)), {"measured": len(measured)}


_RULES = {
    "personas": _personas,
    "vision": _vision,
    "journeys": _journeys,
    "competitors": _competitors,
    "team": _team,
    "automation": _automation,
    "listening": _listening,
    "emotion": _emotion,
    "feedback": _feedback,
    "metrics": _metrics,
}


def step_statuses(store: Store, workbook_id: int) -> list[StepStatus]:
    statuses = []
    for number, key in enumerate(STEP_KEYS, start=1):
        rule = _RULES.get(key)
        done, detail = rule(store, workbook_id) if rule else (False, {})
        statuses.append(StepStatus(number, key, rule is not None, done, detail))
    return statuses


def next_step(statuses: list[StepStatus]) -> StepStatus | None:
    """The first available step that is not done yet (what to do next)."""
    return next((s for s in statuses if s.available and not s.done), None)


def overall(statuses: list[StepStatus]) -> float:
    """Share of the ten steps done, 0…1."""
    return sum(s.done for s in statuses) / len(statuses)
