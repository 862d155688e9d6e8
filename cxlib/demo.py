"""The demo workbook: a believable company so a newcomer opens a filled workbook.

Content lives in ``demo_content/<language>.json`` (English is the fallback), so the demo
can be created in the team's own language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import workbooks
from .store import Store

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
DEMO_USER = "demo"


def content(language: str = "en") -> dict[str, Any]:
    path = CONTENT_DIR / f"{language}.json"
    if not path.exists():
        path = CONTENT_DIR / "en.json"
    return json.loads(path.read_text(encoding="utf-8"))


def create_demo(store: Store, language: str = "en", name: str | None = None) -> dict[str, Any]:
    """Create the demo workbook: personas, vision, team goals, an as-is and a to-be journey
    and what-if scenarios."""
    data = content(language)
    workbook = workbooks.create_workbook(
        store,
        name or data["workbook"]["name"],
        DEMO_USER,
        description=data["workbook"]["description"],
        language=language,
    )
    workbook_id = workbook["id"]
    with store.change(DEMO_USER, workbook_id) as change:
        persona_ids = {}
        for persona in data["personas"]:
            values = {k: v for k, v in persona.items() if k != "key"}
            persona_ids[persona["key"]] = change.insert(
                "personas", {**values, "workbook_id": workbook_id}
            )["id"]
        change.insert("vision", {**data["vision"], "workbook_id": workbook_id})
        for goal in data["goals"]:
            change.insert("team_goals", {**goal, "workbook_id": workbook_id})
        for journey in data["journeys"]:
            journey_id = change.insert(
                "journeys",
                {
                    "workbook_id": workbook_id,
                    "persona_id": persona_ids[journey["persona"]],
                    "name": journey["name"],
                    "kind": journey["kind"],
                    "description": "",
                },
            )["id"]
            for position, stage in enumerate(journey["stages"], start=1):
                change.insert(
                    "stages",
                    {**stage, "workbook_id": workbook_id, "journey_id": journey_id, "position": position},
                )
        for scenario in data.get("scenarios", []):
            change.insert("scenarios", {**scenario, "notes": "", "workbook_id": workbook_id})
    return workbooks.get_workbook(store, workbook_id)


def ensure_demo(store: Store, language: str = "en") -> None:
    """On first run (no workbook at all) create the demo workbook."""
    if not workbooks.list_workbooks(store):
        create_demo(store, language)
