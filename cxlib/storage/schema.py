"""The database schema, built only by migrations (sqlite-utils ``Migrations``).

Add a new ``@migrations()`` function for every schema change; never edit one that has
shipped. Every record table carries ``version``, ``updated_at`` and ``updated_by`` so that
the store can detect stale edits. Foreign keys cascade from a workbook to everything in
it, so deleting a workbook leaves nothing behind.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from functools import cache
from typing import Any

from sqlite_utils import Database, Migrations

migrations = Migrations("cxw")


@cache
def reference() -> Database:
    """An empty in-memory SQLite database at the current schema: the tables, columns and
    CHECKs as the migrations build them (the same on PostgreSQL), to read them from.

    Made once per process and only read afterwards, from any thread: a page's script
    thread may make it, the thread of a command or of another session read it."""
    db = Database(sqlite3.connect(":memory:", check_same_thread=False))
    migrations.apply(db)
    return db


def table_layout(table: str) -> tuple[str, list[Any]]:
    """A table's CREATE statement (SQLite keeps it up to date with columns added later,
    and their CHECKs) and its columns (name, type, notnull, default_value, is_pk)."""
    db = reference()
    sql = db.execute("select sql from sqlite_master where name = ?", (table,)).fetchone()[0]
    return sql, db[table].columns

# The migrations are written once, in SQLite's words; PostgreSQL runs them through
# cxlib.storage.postgres, which renders the DDL. A trigger body has no rendering, so each
# SQLite trigger names here the PostgreSQL statements that do the same.
POSTGRES_TRIGGERS: dict[str, tuple[str, ...]] = {
    # m061: every new survey gets a random public link; a copy with a link in use gets a
    # fresh one (BEFORE INSERT here: the row is fixed before it is stored).
    "surveys_slug": (
        """CREATE FUNCTION surveys_slug() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.slug IS NULL OR EXISTS (SELECT 1 FROM surveys WHERE slug = NEW.slug) THEN
                NEW.slug := substr(md5(random()::text || clock_timestamp()::text), 1, 24);
            END IF;
            RETURN NEW;
        END $$""",
        "CREATE TRIGGER surveys_slug BEFORE INSERT ON surveys FOR EACH ROW EXECUTE FUNCTION surveys_slug()",
    ),
}

# Columns stored as JSON text and decoded to lists on read.
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "personas": ("channels",),
    "stages": ("channels",),
    "scenarios": ("inputs",),
    "competitors": ("channels",),
    "team_members": ("raci",),
    "surveys": ("questions",),
    "workshops": ("agenda", "ranking"),
    "webhook_sources": ("mapping",),
    "imports": ("notes",),
}

# Dependent records the store deletes (and logs, for undo) before their parent.
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "personas": (("journeys", "persona_id"), ("personalisation", "persona_id")),
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
    "competitors": {},
    "gap_actions": {"stage_id": "stages"},
    "team_members": {},
    "team_review": {},
    "automations": {"stage_id": "stages"},
    "mentions": {},
    "brand_story": {},
    "personalisation": {"persona_id": "personas"},
    "surveys": {},
    "workshops": {},
    "ideas": {},
    "votes": {},
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


@migrations()
def m003_steps_4_to_8(db: Database) -> None:
    """Competitors, CX team, automation backlog, brand mentions, emotional connection."""
    factors = ", ".join(
        f"{f} INTEGER CHECK ({f} IS NULL OR {f} BETWEEN 1 AND 5)"
        for f in (
            "product_quality", "support_quality", "brand_positioning", "price", "reputation",
            "omnichannel", "response_time", "self_service", "chat_24_7", "personalisation",
        )
    )
    statements = [
        f"""CREATE TABLE competitors (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, is_us INTEGER NOT NULL DEFAULT 0,
            positioning TEXT, strengths TEXT, weaknesses TEXT, channels TEXT,
            {factors},{_VERSIONED})""",
        f"""CREATE TABLE gap_actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            factor TEXT NOT NULL, action TEXT NOT NULL,
            stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,{_VERSIONED})""",
        f"""CREATE TABLE team_members (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, role TEXT, skills TEXT, training_needs TEXT, goals TEXT,
            raci TEXT,{_VERSIONED})""",
        f"""CREATE TABLE team_review (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK} UNIQUE,
            goals TEXT, cadence_days INTEGER, last_review TEXT, progress TEXT,{_VERSIONED})""",
        f"""CREATE TABLE automations (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, kind TEXT, stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,
            touchpoint TEXT,
            volume INTEGER CHECK (volume BETWEEN 1 AND 5), pain INTEGER CHECK (pain BETWEEN 1 AND 5),
            feasibility INTEGER CHECK (feasibility BETWEEN 1 AND 5),
            effort INTEGER CHECK (effort BETWEEN 1 AND 5),
            response_hours_now REAL, response_hours_after REAL,
            resolution_hours_now REAL, resolution_hours_after REAL,{_VERSIONED})""",
        f"""CREATE TABLE mentions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            date TEXT NOT NULL, platform TEXT, author TEXT, text TEXT NOT NULL, brand TEXT NOT NULL,
            sentiment REAL, stage TEXT,{_VERSIONED})""",
        f"""CREATE TABLE brand_story (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK} UNIQUE,
            story TEXT, transparency TEXT, people TEXT,{_VERSIONED})""",
        f"""CREATE TABLE personalisation (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
            plan TEXT, moments TEXT,{_VERSIONED})""",
        "ALTER TABLE stages ADD COLUMN target_emotion INTEGER "
        "CHECK (target_emotion IS NULL OR target_emotion BETWEEN -2 AND 2)",
        "ALTER TABLE stages ADD COLUMN moment_that_matters TEXT",
        "CREATE INDEX idx_competitors_workbook ON competitors(workbook_id)",
        "CREATE INDEX idx_team_members_workbook ON team_members(workbook_id)",
        "CREATE INDEX idx_automations_workbook ON automations(workbook_id)",
        "CREATE INDEX idx_mentions_workbook ON mentions(workbook_id, date)",
        "CREATE INDEX idx_personalisation_persona ON personalisation(persona_id)",
    ]
    for statement in statements:
        db.execute(statement)
    # Existing workbooks get the row that holds our own scores, as new ones do.
    db.execute(
        "INSERT INTO competitors (workbook_id, name, is_us, channels, version) "
        "SELECT id, 'Us', 1, '[]', 1 FROM workbooks"
    )


# Bulk-imported tables and their data columns (rows hang off an ``imports`` record).
IMPORTED = {
    "responses": ("at", "metric", "scale", "score", "customer", "segment", "persona", "stage", "channel",
                  "comment"),
    "tickets": ("created", "resolved", "customer", "channel", "stage", "segment", "first_response"),
    "events": ("at", "user", "page", "feature", "key_event"),
}

# The answers that call for a follow-up: NPS detractors, CSAT bottom two boxes, CES
# disagreement (1–3 of 7; 4–5 on the older 1–5 effort scale, where high means hard).
LOW_SCORE_SQL = (
    "(metric = 'nps' AND score <= 6) OR (metric = 'csat' AND score <= 2) OR "
    "(metric = 'ces' AND scale = 7 AND score <= 3) OR (metric = 'ces' AND scale = 5 AND score >= 4)"
)


@migrations()
def m004_feedback_and_metrics(db: Database) -> None:
    """Survey plan, imported data (responses, tickets, usage events) and follow-ups.

    Imported rows hang off an ``imports`` record: undoing the import deletes its rows
    through the cascading foreign key, so a million responses need one history row.
    """
    statements = [
        f"""CREATE TABLE surveys (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, stage TEXT, channel TEXT, questions TEXT, trigger TEXT,{_VERSIONED})""",
        f"""CREATE TABLE imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            kind TEXT NOT NULL CHECK (kind IN ('responses', 'tickets', 'events')),
            name TEXT, rows INTEGER, metric TEXT, created_at TEXT,{_VERSIONED})""",
        f"""CREATE TABLE responses (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            at TEXT NOT NULL, metric TEXT NOT NULL CHECK (metric IN ('nps', 'csat', 'ces')),
            scale INTEGER NOT NULL, score REAL, customer TEXT, segment TEXT, persona TEXT, stage TEXT,
            channel TEXT, comment TEXT,{_VERSIONED})""",
        f"""CREATE TABLE tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            created TEXT NOT NULL, resolved TEXT, customer TEXT, channel TEXT, stage TEXT, segment TEXT)""",
        f"""CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            at TEXT NOT NULL, user TEXT NOT NULL, page TEXT, feature TEXT, key_event INTEGER)""",
        f"""CREATE TABLE followups (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id) ON DELETE CASCADE,
            owner TEXT, status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'contacted', 'resolved', 'no_action')),
            note TEXT,{_VERSIONED})""",
        "CREATE INDEX idx_responses_workbook ON responses(workbook_id)",
        # Only the low scores, newest first, for the follow-up list (cheap to maintain).
        f"CREATE INDEX idx_responses_low ON responses(workbook_id, at) WHERE {LOW_SCORE_SQL}",
        "CREATE INDEX idx_responses_import ON responses(import_id)",
        "CREATE INDEX idx_tickets_workbook ON tickets(workbook_id)",
        "CREATE INDEX idx_tickets_import ON tickets(import_id)",
        "CREATE INDEX idx_events_workbook ON events(workbook_id, at)",
        "CREATE INDEX idx_events_import ON events(import_id)",
        "CREATE INDEX idx_followups_workbook ON followups(workbook_id)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m005_workshop(db: Database) -> None:
    """Facilitation: the agenda and presenter state, captured ideas, anonymous dot votes."""
    for statement in (
        f"""CREATE TABLE workshops (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK} UNIQUE,
            agenda TEXT, current_step TEXT, step_started_at TEXT,
            dots INTEGER NOT NULL DEFAULT 3, voting_open INTEGER NOT NULL DEFAULT 0,
            vote_token TEXT, ranking TEXT,{_VERSIONED})""",
        f"""CREATE TABLE ideas (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            step TEXT NOT NULL, text TEXT NOT NULL,{_VERSIONED})""",
        f"""CREATE TABLE votes (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            voter TEXT NOT NULL, item TEXT NOT NULL,{_VERSIONED})""",
        "CREATE INDEX idx_ideas_workbook ON ideas(workbook_id, step)",
        "CREATE INDEX idx_votes_workbook ON votes(workbook_id, voter)",
    ):
        db.execute(statement)


@migrations()
def m006_currency(db: Database) -> None:
    """The workbook's currency (ISO code, empty for none), for money shown the locale's way."""
    db.execute("ALTER TABLE workbooks ADD COLUMN currency TEXT NOT NULL DEFAULT ''")


@migrations()
def m012_history_by_record(db: Database) -> None:
    """History by record, so undoing a named change finds later edits of its records
    (and "who changed it since") without scanning the whole history."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_history_record ON history(table_name, record_id, id)")


@migrations()
def m021_access(db: Database) -> None:
    """Sign-in and roles: people's accounts, per-workbook grants, sign-in attempts (for
    throttling) and the server's signing secret (vote identities in cookies).

    Workbooks that exist already are shared with everyone signed in, as editors, so they
    stay usable when a server turns sign-in on; an instance admin can hand them to an owner.
    """
    for statement in (
        f"""CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL CHECK (source IN ('builtin', 'oidc', 'proxy')),
            password_hash TEXT,
            is_admin INTEGER NOT NULL DEFAULT 0,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT, last_sign_in TEXT,{_VERSIONED})""",
        f"""CREATE TABLE grants (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            principal TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),{_VERSIONED},
            UNIQUE (workbook_id, principal))""",
        f"""CREATE TABLE sign_in_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL COLLATE NOCASE, at TEXT NOT NULL, ok INTEGER NOT NULL,{_VERSIONED})""",
        "CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE INDEX idx_grants_principal ON grants(principal)",
        "CREATE INDEX idx_sign_in_attempts_login ON sign_in_attempts(login, at)",
        "INSERT INTO grants (workbook_id, principal, role, version) SELECT id, '*', 'editor', 1 FROM workbooks",
    ):
        db.execute(statement)
    db.execute("INSERT INTO server_secrets (name, value) VALUES ('signing', ?)", (secrets.token_hex(32),))


@migrations()
def m031_import_mappings(db: Database) -> None:
    """Column mappings remembered per workbook, kind of upload and file shape (its header),
    so the next export from the same tool is mapped as the last one was."""
    db.execute(
        f"""CREATE TABLE import_mappings (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            kind TEXT NOT NULL, shape TEXT NOT NULL, mapping TEXT NOT NULL,{_VERSIONED},
            UNIQUE (workbook_id, kind, shape))"""
    )


@migrations()
def m061_live_feedback(db: Database) -> None:
    """Step 9 in real time: public survey links, webhook tokens and sources, answers that
    carry their touchpoint, and the bookkeeping that stores an answer once.

    - ``surveys.slug`` is the survey's public link (random, not its id, so links cannot be
      guessed from one another); a trigger gives every new survey one, and a fresh one to a
      copy (duplicated workbook, imported workbook file), so two surveys never share a link.
    - ``survey_answers`` remembers which device answered which question of a survey on which
      day (one answer per device per survey per day); ``webhook_deliveries`` which delivery
      key of a source was stored as which answer (a retried delivery is stored once). Both go
      when their answer goes (undo), so a delivery undone can be sent again.
    - ``webhook_tokens`` keep only a SHA-256 of each token.
    """
    for statement in (
        "ALTER TABLE surveys ADD COLUMN touchpoint TEXT",
        "ALTER TABLE surveys ADD COLUMN persona TEXT",
        "ALTER TABLE surveys ADD COLUMN slug TEXT",
        "ALTER TABLE surveys ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE responses ADD COLUMN touchpoint TEXT",
        "ALTER TABLE responses ADD COLUMN source TEXT",
        "UPDATE surveys SET slug = lower(hex(randomblob(12)))",
        "CREATE INDEX idx_surveys_slug ON surveys(slug)",
        """CREATE TRIGGER surveys_slug AFTER INSERT ON surveys
           WHEN NEW.slug IS NULL OR EXISTS (SELECT 1 FROM surveys WHERE slug = NEW.slug AND id != NEW.id)
           BEGIN UPDATE surveys SET slug = lower(hex(randomblob(12))) WHERE id = NEW.id; END""",
        f"""CREATE TABLE survey_answers (
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            device TEXT NOT NULL, day TEXT NOT NULL, question TEXT NOT NULL,
            response_id INTEGER REFERENCES responses(id) ON DELETE CASCADE,
            PRIMARY KEY (survey_id, device, day, question))""",
        f"""CREATE TABLE webhook_tokens (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, hint TEXT,
            created_at TEXT, revoked_at TEXT,{_VERSIONED})""",
        f"""CREATE TABLE webhook_sources (
            id INTEGER PRIMARY KEY AUTOINCREMENT, {_WORKBOOK_FK},
            name TEXT NOT NULL, preset TEXT NOT NULL, mapping TEXT NOT NULL,
            metric TEXT CHECK (metric IS NULL OR metric IN ('nps', 'csat', 'ces')), scale INTEGER,{_VERSIONED},
            UNIQUE (workbook_id, name))""",
        f"""CREATE TABLE webhook_deliveries (
            {_WORKBOOK_FK}, source TEXT NOT NULL, key TEXT NOT NULL,
            response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
            PRIMARY KEY (workbook_id, source, key))""",
        "CREATE INDEX idx_survey_answers_response ON survey_answers(response_id)",
        "CREATE INDEX idx_webhook_deliveries_response ON webhook_deliveries(response_id)",
        "CREATE INDEX idx_webhook_tokens_workbook ON webhook_tokens(workbook_id)",
    ):
        db.execute(statement)


# The words that name a measured KPI in an existing goal's free-text KPI, whole words only
# ("ces" is inside "success", which once made a verification goal the CES target). Frozen
# here with the migration that uses them.
_GOAL_KPI_WORDS = {
    "nps": ("nps", "net promoter"),
    "csat": ("csat", "customer satisfaction"),
    "ces": ("ces", "customer effort"),
    "ttr": ("ttr", "time to resolution", "resolution time"),
    "churn": ("churn", "ریزش", "rezygnacji"),
}
# Targets that make sense in the KPI's own unit (NPS points, CSAT and churn in percent,
# CES on 1–7, TTR in hours). A CSAT target of 0.9 might be a share or a percentage: left
# unlinked, for the user to decide.
_GOAL_KPI_RANGE = {"nps": (-100, 100), "csat": (1.0000001, 100), "ces": (1, 7), "ttr": (0, 1e9),
                   "churn": (0, 100)}


def _goal_metric(kpi: str | None, target: float | None) -> str | None:
    """The one KPI an old goal names unambiguously, else None (left unlinked)."""
    text = " ".join(re.findall(r"\w+", (kpi or "").lower()))
    named = [metric for metric, words in _GOAL_KPI_WORDS.items()
             if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) for word in words)]
    if len(named) != 1:
        return None
    low, high = _GOAL_KPI_RANGE[named[0]]
    return named[0] if target is None or low <= target <= high else None


@migrations()
def m041_goal_metric(db: Database) -> None:
    """Step 2 goals name the measured KPI they hold to a target (a choice, no longer the
    free-text KPI matched by substring). Existing goals are linked only where the text
    names exactly one KPI as a whole word and the target fits its unit; the others stay
    unlinked, and the vision page lists them."""
    db.execute("ALTER TABLE team_goals ADD COLUMN metric TEXT")
    for goal_id, kpi, target in db.execute("SELECT id, kpi, target FROM team_goals").fetchall():
        metric = _goal_metric(kpi, target)
        if metric:
            db.execute("UPDATE team_goals SET metric = ? WHERE id = ?", (metric, goal_id))


# How many answers share each value of the keys step 10 groups by, kept up to date in the
# transaction that writes the answers. ``score`` null = unanswered. Every survey KPI with
# its interval (shares of promoters and detractors, top-2-box counts, sums and sums of
# squares) follows exactly from the count of each score. Two tables:
#
# - ``response_counts``: per metric × scale × segment × persona × stage × channel × score
#   (the headlines and every breakdown; no time key, so it stays small);
# - ``response_day_counts``: per metric × scale × day (``at``'s date as written) × score,
#   for the monthly trends, which group the days by the month of the user's calendar
#   (Gregorian or Solar Hijri: a Persian month does not start on the 1st).
#
# - Answers typed one at a time or arriving by survey link or webhook (no import) are
#   counted by row triggers on insert/delete.
# - Imported answers are counted in bulk by :func:`cxlib.storage.counts.count_imported`,
#   which every bulk insert calls in its transaction (a row trigger would triple the import
#   time), and uncounted in bulk when their import is deleted or undone (a trigger on
#   ``imports``).
# - A single imported answer deleted on its own (its import still there) is uncounted by
#   the row trigger; any update of an answer's keys or score is recounted by a trigger.
COUNT_TABLES: dict[str, tuple[str, ...]] = {
    "response_counts": ("metric", "scale", "segment", "persona", "stage", "channel", "score"),
    "response_day_counts": ("metric", "scale", "day", "score"),
}
RESPONSE_COUNT_KEYS = COUNT_TABLES["response_counts"]
_COUNT_KEY_SQL = {"day": "substr({row}.at, 1, 10)"}


def _count_key(key: str, row: str) -> str:
    return _COUNT_KEY_SQL.get(key, "{row}." + key).format(row=row)


def count_match(table: str, row: str, keyed: bool = True, postgres: bool = False) -> str:
    """``key IS row.key and …`` (IS: null segments are a group of their own, as in polars).
    ``keyed=False`` when ``row`` already carries the computed keys (a grouped delta);
    ``postgres`` says IS the way PostgreSQL does (``IS NOT DISTINCT FROM``)."""
    same = "IS NOT DISTINCT FROM" if postgres else "IS"
    return " AND ".join([f"{table}.workbook_id = {row}.workbook_id"] + [
        f"{table}.{key} {same} {_count_key(key, row) if keyed else row + '.' + key}" for key in COUNT_TABLES[table]])


def _count_values(table: str, row: str) -> str:
    return ", ".join([f"{row}.workbook_id"] + [_count_key(k, row) for k in COUNT_TABLES[table]])


def _count_add(row: str, postgres: bool = False) -> str:
    return " ".join(
        f"INSERT INTO {table} (workbook_id, {', '.join(keys)}, n) SELECT {_count_values(table, row)}, 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {count_match(table, row, postgres=postgres)}); "
        f"UPDATE {table} SET n = n + 1 WHERE {count_match(table, row, postgres=postgres)};"
        for table, keys in COUNT_TABLES.items())


def _count_remove(row: str, postgres: bool = False) -> str:
    return " ".join(f"UPDATE {table} SET n = n - 1 WHERE {count_match(table, row, postgres=postgres)}; "
                    f"DELETE FROM {table} WHERE n = 0 AND {count_match(table, row, postgres=postgres)};"
                    for table in COUNT_TABLES)


def _count_subtract_import(postgres: bool = False) -> str:
    return " ".join(
        f"UPDATE {table} SET n = {table}.n - d.n FROM ({grouped_import(table, 'OLD.id')}) AS d "
        f"WHERE {count_match(table, 'd', keyed=False, postgres=postgres)}; "
        f"DELETE FROM {table} WHERE workbook_id = OLD.workbook_id AND n = 0;"
        for table in COUNT_TABLES)


def grouped_import(table: str, import_id: str) -> str:
    """The answers of one import grouped by ``table``'s keys (a delta of counts)."""
    keys = COUNT_TABLES[table]
    sql = [_count_key(k, "r") for k in keys]
    return (f"SELECT r.workbook_id AS workbook_id, "
            + ", ".join(f"{expr} AS {key}" for expr, key in zip(sql, keys))
            + f", count(*) AS n FROM responses r WHERE r.import_id = {import_id} "
            f"GROUP BY r.workbook_id, {', '.join(sql)}")


def counted_trigger() -> str:
    """The row trigger that counts an answer written without an import. A bulk insert of
    imported rows drops it for its own transaction (:func:`cxlib.storage.counts.bulk`):
    SQLite runs a trigger's program for every row even when its WHEN is false, which
    cost more than half of an import's insert time."""
    return f"""CREATE TRIGGER IF NOT EXISTS responses_counted AFTER INSERT ON responses WHEN NEW.import_id IS NULL
        BEGIN {_count_add('NEW')} END"""


@migrations()
def m042_response_counts(db: Database) -> None:
    """Answer counts (see ``COUNT_TABLES``), so step 10 reads thousands of count rows
    instead of millions of answers."""
    types = {"metric": "TEXT NOT NULL", "scale": "INTEGER NOT NULL", "day": "TEXT NOT NULL", "segment": "TEXT",
             "persona": "TEXT", "stage": "TEXT", "channel": "TEXT", "score": "REAL"}
    for table, keys in COUNT_TABLES.items():
        db.execute(f"""CREATE TABLE {table} (
            workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            {', '.join(f'{key} {types[key]}' for key in keys)}, n INTEGER NOT NULL)""")
        # Covering (n last): step 10 reads a workbook's counts from the index alone.
        db.execute(f"CREATE INDEX idx_{table} ON {table} (workbook_id, {', '.join(keys)}, n)")
        db.execute(f"""INSERT INTO {table} (workbook_id, {', '.join(keys)}, n)
            SELECT {_count_values(table, 'r')}, count(*) FROM responses r
            GROUP BY r.workbook_id, {', '.join(_count_key(k, 'r') for k in keys)}""")
    db.execute(counted_trigger())
    # While an import is deleted, its rows go by the cascade after the import row: the
    # import trigger below has uncounted them all at once.
    db.execute(f"""CREATE TRIGGER responses_uncounted AFTER DELETE ON responses WHEN OLD.import_id IS NULL
        OR EXISTS (SELECT 1 FROM imports WHERE id = OLD.import_id) BEGIN {_count_remove('OLD')} END""")
    columns = sorted({k for keys in COUNT_TABLES.values() for k in keys if k not in _COUNT_KEY_SQL})
    db.execute(f"""CREATE TRIGGER responses_recounted AFTER UPDATE OF workbook_id, at, {', '.join(columns)}
        ON responses BEGIN {_count_remove('OLD')} {_count_add('NEW')} END""")
    db.execute(f"CREATE TRIGGER imports_uncounted BEFORE DELETE ON imports WHEN OLD.kind = 'responses' "
               f"BEGIN {_count_subtract_import()} END")


def _postgres_trigger(name: str, when: str, on: str, body: str, returns: str = "NULL",
                      condition: str = "", only_if: str = "") -> tuple[str, str]:
    """A PostgreSQL trigger function and its row trigger doing what a SQLite trigger does
    (SQLite's WHEN as ``only_if``, the trigger's own WHEN, checked before the function is
    called; or as ``condition``, checked in the body, where a subquery may stand)."""
    if condition:
        body = f"IF {condition} THEN {body} END IF;"
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN {returns}; END $$",
            f"CREATE TRIGGER {name} {when} ON {on} FOR EACH ROW "
            + (f"WHEN ({only_if}) " if only_if else "") + f"EXECUTE FUNCTION {name}()")


_COUNTED_COLUMNS = sorted({k for keys in COUNT_TABLES.values() for k in keys if k not in _COUNT_KEY_SQL})
POSTGRES_TRIGGERS.update({
    "responses_counted": _postgres_trigger(
        "responses_counted", "AFTER INSERT", "responses", _count_add("NEW", postgres=True),
        only_if="NEW.import_id IS NULL"),
    "responses_uncounted": _postgres_trigger(
        "responses_uncounted", "AFTER DELETE", "responses", _count_remove("OLD", postgres=True),
        condition="OLD.import_id IS NULL OR EXISTS (SELECT 1 FROM imports WHERE id = OLD.import_id)"),
    "responses_recounted": _postgres_trigger(
        "responses_recounted", f"AFTER UPDATE OF workbook_id, at, {', '.join(_COUNTED_COLUMNS)}", "responses",
        f"{_count_remove('OLD', postgres=True)} {_count_add('NEW', postgres=True)}"),
    "imports_uncounted": _postgres_trigger(
        "imports_uncounted", "BEFORE DELETE", "imports", _count_subtract_import(postgres=True), returns="OLD",
        only_if="OLD.kind = 'responses'"),
})


@migrations()
def m022_sign_in_sessions(db: Database) -> None:
    """Built-in accounts stay signed in across a refresh: the browser keeps a random token
    in an HttpOnly cookie and the server keeps only its SHA-256, when it was last used and
    whether it was ended (sign-out, idle time), so a stolen database gives no session.
    ``claim_hash`` is the one-time code that hands the token to the browser (until then
    ``token_hash`` is empty)."""
    for statement in (
        f"""CREATE TABLE sign_in_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash TEXT UNIQUE, claim_hash TEXT UNIQUE,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL, last_seen TEXT NOT NULL, ended_at TEXT,{_VERSIONED})""",
        "CREATE INDEX idx_sign_in_sessions_account ON sign_in_sessions(account_id)",
    ):
        db.execute(statement)


@migrations()
def m032_first_response_and_import_notes(db: Database) -> None:
    """Tickets carry the time of their first response (time to first response beside time
    to resolution), and an import keeps what it left out per metric (blank answers,
    answers off the scale) so the numbers built on it can say so."""
    db.execute("ALTER TABLE tickets ADD COLUMN first_response TEXT")
    db.execute("ALTER TABLE imports ADD COLUMN notes TEXT")
