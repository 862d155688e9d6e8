"""A separate process that creates a single-per-workbook record (used by the race test).

Every call starts as a user who has seen no record yet; the first one creates it, the
others must get a clean ConflictError, never an IntegrityError.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from cxlib.steps import emotion, team, vision
from cxlib.storage.store import ConflictError, Store
from cxlib.workshop import facilitation

CALLS = {
    "vision": lambda store, wb, who: vision.save_vision(store, wb, {"statement": who}, who),
    "brand_story": lambda store, wb, who: emotion.save_story(store, wb, {"story": who}, who),
    "team_review": lambda store, wb, who: team.save_review(store, wb, {"cadence_days": 7}, who),
    # Opening the presenter view writes nothing; its first action (the timer) creates the state.
    "workshops": lambda store, wb, who: facilitation.go_to(store, wb, "personas", who),
}


def run(db_path: str, workbook_id: int, kind: str, who: str, calls: int, start) -> dict:
    """Call ``kind``'s save ``calls`` times once every process is ready; count outcomes."""
    store = Store(db_path)
    start.wait()
    outcome = {"ok": 0, "conflict": 0, "other": []}
    for _ in range(calls):
        try:
            CALLS[kind](store, workbook_id, who)
            outcome["ok"] += 1
        except ConflictError:
            outcome["conflict"] += 1
        except Exception as error:  # anything else is the defect this test looks for
            outcome["other"].append(repr(error))
    store.close()
    return outcome
