"""The demo workbook: a believable company so a newcomer opens a filled workbook.

Content lives in ``demo_content/<language>.json`` (English is the fallback), so the demo
can be created in the team's own language.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from cxlib.access.roles import Actor
from cxlib.ingest import pipeline
from cxlib.l10n.i18n import t
from cxlib.steps import feedback, listening
from cxlib.storage import workbooks
from cxlib.storage.store import Store

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DATA = Path(__file__).resolve().parents[2] / "data"
MENTIONS = DATA / "mentions_sample.csv"
# Demo feedback files, read through the same importers a user's export goes through.
FEEDBACK = {
    "responses": ("demo_responses.csv", {r: r for r in feedback.CONTEXT} | {"date": "at"}),
    "tickets": ("demo_tickets.csv", {r: r for r in feedback.TICKETS.roles
                                          if r not in ("first_response", "response_minutes", "response_hours")}),
    "events": ("demo_events.csv", {r: r for r in feedback.EVENTS.roles}),
}
DEMO_USER = Actor.system("demo")  # the app builds the demo, whoever asked for it


def mentions_in(language: str) -> Path:
    """The demo's brand mentions written in ``language`` (the English file when there is
    none for it)."""
    own = DATA / f"mentions_sample_{language}.csv"
    return own if own.exists() else MENTIONS


def content(language: str = "en") -> dict[str, Any]:
    path = CONTENT_DIR / f"{language}.json"
    if not path.exists():
        path = CONTENT_DIR / "en.json"
    return json.loads(path.read_text(encoding="utf-8"))


def create_demo(store: Store, language: str = "en", name: str | None = None, who: Any = None) -> dict[str, Any]:
    """Create the demo workbook: personas, vision, team goals, an as-is and a to-be journey
    and what-if scenarios. ``who`` (the person asking) makes the workbook and owns it; its
    content is written by the app, as "demo"."""
    data = content(language)
    workbook = workbooks.create_workbook(
        store,
        name or data["workbook"]["name"],
        who or DEMO_USER,
        description=data["workbook"]["description"],
        language=language,
        currency=data["workbook"].get("currency", ""),
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
        _steps_4_to_8(change, data, workbook_id, persona_ids)
    mentions_file = mentions_in(language)
    if mentions_file.exists():
        mentions = listening.read_mentions(mentions_file.read_bytes())
        listening.import_mentions(store, workbook_id, _relabel(mentions, data, language), DEMO_USER)
    _feedback(store, data, workbook_id, language)
    return workbooks.get_workbook(store, workbook_id)


def _relabel(frame: pl.DataFrame, data: dict[str, Any], language: str) -> pl.DataFrame:
    """The demo data files name segments, personas and stages in English and channels by
    code: write them as the demo's content does in ``language``."""
    labels = data.get("data_labels", {})
    columns = [c for c in ("segment", "persona", "stage") if c in frame.columns]
    frame = frame.with_columns(pl.col(c).replace(labels) for c in columns)
    if "channel" in frame.columns:
        codes = [c for c in frame["channel"].drop_nulls().unique().to_list()]
        frame = frame.with_columns(
            pl.col("channel").replace({c: t(f"feedback.channel.{c}", language) for c in codes})
        )
    return frame


def _feedback(store: Store, data: dict[str, Any], workbook_id: int, language: str = "en") -> None:
    """The survey plan and the demo's answers, tickets and app events."""
    with store.change(DEMO_USER, workbook_id) as change:
        for survey in data.get("surveys", []):
            change.insert("surveys", {**survey, "workbook_id": workbook_id})
    for kind, (file_name, mapping) in FEEDBACK.items():
        path = DATA / file_name
        if not path.exists():
            continue
        table = pipeline.open_file(path.read_bytes(), file_name)
        table = table.with_frame(_relabel(table.frame, data, language))
        if kind == "responses":
            for metric in sorted(table.frame["metric"].unique().to_list()):
                part = table.subset(table.frame["metric"] == metric)
                scale = int(part.frame["scale"][0])
                reading = pipeline.read(part, feedback.RESPONSES, {**mapping, metric: "score"})
                rows, _ = feedback.response_rows(reading, {metric: scale})
                feedback.import_rows(store, workbook_id, kind, rows, f"{file_name} ({metric})", DEMO_USER, metric)
        else:
            reading = pipeline.read(table, feedback.SPECS[kind], mapping)
            feedback.import_rows(store, workbook_id, kind, feedback.rows_to_store(kind, reading)[0], file_name,
                                 DEMO_USER)


def _steps_4_to_8(change, data: dict[str, Any], workbook_id: int, persona_ids: dict[str, int]) -> None:
    """Competitors, team, automation backlog, brand story, personalisation and targets."""
    fixed = {"workbook_id": workbook_id}
    # Stages of the first (as-is) journey, by name, for links and target emotions.
    stages = {}
    for row in change.store.rows(
        "select id, name, version from stages where workbook_id = ? order by journey_id desc, position",
        (workbook_id,),
    ):
        stages[row["name"]] = row
    for competitor in data.get("competitors", []):
        if competitor.get("is_us"):
            us = change.store.rows(
                "select id, version from competitors where workbook_id = ? and is_us = 1", (workbook_id,)
            )[0]
            change.update("competitors", us["id"], competitor, us["version"])
        else:
            change.insert("competitors", {**competitor, **fixed})
    for action in data.get("gap_actions", []):
        stage = stages.get(action["stage"])
        change.insert("gap_actions", {"factor": action["factor"], "action": action["action"],
                                      "stage_id": stage["id"] if stage else None, **fixed})
    team = data.get("team", {})
    for member in team.get("members", []):
        change.insert("team_members", {**member, **fixed})
    if team.get("review"):
        review = {k: v for k, v in team["review"].items() if k != "last_review_days_ago"}
        held = date.today() - timedelta(days=team["review"].get("last_review_days_ago", 0))
        change.insert("team_review", {**review, "last_review": held.isoformat(), **fixed})
    for item in data.get("automations", []):
        stage = stages.get(item["stage"])
        values = {k: v for k, v in item.items() if k != "stage"}
        change.insert("automations", {**values, "stage_id": stage["id"] if stage else None, **fixed})
    if data.get("brand_story"):
        change.insert("brand_story", {**data["brand_story"], **fixed})
    for key, plan in data.get("personalisation", {}).items():
        change.insert("personalisation", {**plan, "persona_id": persona_ids[key], **fixed})
    for name, (target, moment) in data.get("targets", {}).items():
        stage = stages.get(name)
        if stage:
            change.update("stages", stage["id"], {"target_emotion": target, "moment_that_matters": moment},
                          stage["version"])


def ensure_demo(store: Store, language: str = "en") -> None:
    """On first run (no workbook at all) create the demo workbook."""
    if not workbooks.list_workbooks(store):
        create_demo(store, language)


if __name__ == "__main__":
    # `make run` builds the demo before the server starts, so the first visit is not a wait
    # of several seconds with nothing said.
    from cxlib.l10n.i18n import default_language
    from cxlib.storage.store import default_db_path

    database = default_db_path()
    demo_store = Store(database)
    if not workbooks.list_workbooks(demo_store):
        print(f"Preparing the demo workbook in {database} …", flush=True)
        create_demo(demo_store, default_language())
