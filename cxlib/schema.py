"""The database schema, built only by migrations (sqlite-utils ``Migrations``).

Add a new ``@migrations()`` function for every schema change; never edit one that has
shipped. Every record table carries ``version``, ``updated_at`` and ``updated_by`` so that
the store can detect stale edits. Foreign keys cascade from a workbook to everything in
it, so deleting a workbook leaves nothing behind.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("cxw")

# Columns stored as JSON text and decoded to lists on read.
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "personas": ("channels",),
    "stages": ("channels",),
    "scenarios": ("inputs",),
}

# Dependent records the store deletes (and logs, for undo) before their parent.
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "personas": (("journeys", "persona_id"),),
    "journeys": (("stages", "journey_id"),),
}

# Tables that belong to a workbook, parents before children (copy order), with the
# columns that point at another of these tables.
WORKBOOK_TABLES: dict[str, dict[str, str]] = {
    "personas": {},
    "vision": {},
    "team_goals": {},
    "journeys": {"persona_id": "personas"},
    "stages": {"journey_id": "journeys"},
    "scenarios": {},
}

_VERSIONED = """
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT"""

_WORKBOOK_FK = "workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE"

_INITIAL = f"""
CREATE TABLE workbooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    created_at TEXT,
    data_version INTEGER NOT NULL DEFAULT 0,{_VERSIONED}
);
CREATE TABLE personas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK},
    name TEXT NOT NULL,
    role TEXT, demographics TEXT, identifiers TEXT,
    goals TEXT, pain_points TEXT, preferences TEXT, values_text TEXT,
    looks_for TEXT, objections TEXT, channels TEXT, quote TEXT,
    segment TEXT, segment_size INTEGER, segment_value REAL,{_VERSIONED}
);
CREATE TABLE vision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK} UNIQUE,
    statement TEXT, principles TEXT, feelings TEXT,{_VERSIONED}
);
CREATE TABLE team_goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK},
    team TEXT, goal TEXT, kpi TEXT, target REAL, unit TEXT,{_VERSIONED}
);
CREATE TABLE journeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK},
    persona_id INTEGER REFERENCES personas(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('as_is', 'to_be')),
    description TEXT,{_VERSIONED}
);
CREATE TABLE stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK},
    journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    customer_goal TEXT, touchpoints TEXT, channels TEXT, actions TEXT, thoughts TEXT,
    emotion INTEGER CHECK (emotion IS NULL OR emotion BETWEEN -2 AND 2),
    pain_points TEXT, opportunities TEXT, owner_team TEXT, kpi TEXT,{_VERSIONED}
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {_WORKBOOK_FK},
    change_id TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT,
    who TEXT,
    at TEXT,
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX idx_personas_workbook ON personas(workbook_id);
CREATE INDEX idx_team_goals_workbook ON team_goals(workbook_id);
CREATE INDEX idx_journeys_workbook ON journeys(workbook_id);
CREATE INDEX idx_stages_journey ON stages(journey_id, position);
CREATE INDEX idx_history_workbook ON history(workbook_id, id);
CREATE INDEX idx_history_change ON history(change_id);
"""


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _INITIAL.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m002_scenarios(db: Database) -> None:
    """What-if scenarios: named inputs of the LTV/churn calculators, kept per workbook."""
    db.execute(
        f"""CREATE TABLE scenarios (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            {_WORKBOOK_FK},
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('simple', 'subscription', 'chain')),
            inputs TEXT NOT NULL,
            notes TEXT,{_VERSIONED}
        )"""
    )
    db.execute("CREATE INDEX idx_scenarios_workbook ON scenarios(workbook_id)")
