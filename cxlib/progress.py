"""The ten steps of a CX strategy and whether a workbook has done each one.

Completion rules count real content ("three personas with goals and pain points"), never an
empty form. Steps whose pages are not built yet report ``available=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import journeys, personas, vision
from .store import Store

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


_RULES = {"personas": _personas, "vision": _vision, "journeys": _journeys}


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
