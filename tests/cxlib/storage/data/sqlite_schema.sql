-- index idx__sqlite_migrations_migration_set_name on _sqlite_migrations
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
-- index idx_automations_workbook on automations
CREATE INDEX idx_automations_workbook ON automations(workbook_id);
-- index idx_competitors_workbook on competitors
CREATE INDEX idx_competitors_workbook ON competitors(workbook_id);
-- index idx_events_import on events
CREATE INDEX idx_events_import ON events(import_id);
-- index idx_events_workbook on events
CREATE INDEX idx_events_workbook ON events(workbook_id, at);
-- index idx_followups_workbook on followups
CREATE INDEX idx_followups_workbook ON followups(workbook_id);
-- index idx_grants_principal on grants
CREATE INDEX idx_grants_principal ON grants(principal);
-- index idx_history_change on history
CREATE INDEX idx_history_change ON history(change_id);
-- index idx_history_record on history
CREATE INDEX idx_history_record ON history(table_name, record_id, id);
-- index idx_history_workbook on history
CREATE INDEX idx_history_workbook ON history(workbook_id, id);
-- index idx_ideas_workbook on ideas
CREATE INDEX idx_ideas_workbook ON ideas(workbook_id, step);
-- index idx_journeys_workbook on journeys
CREATE INDEX idx_journeys_workbook ON journeys(workbook_id);
-- index idx_mentions_workbook on mentions
CREATE INDEX idx_mentions_workbook ON mentions(workbook_id, date);
-- index idx_personalisation_persona on personalisation
CREATE INDEX idx_personalisation_persona ON personalisation(persona_id);
-- index idx_personas_workbook on personas
CREATE INDEX idx_personas_workbook ON personas(workbook_id);
-- index idx_response_counts on response_counts
CREATE INDEX idx_response_counts ON response_counts (workbook_id, metric, scale, segment, persona, stage, channel, score, n);
-- index idx_response_day_counts on response_day_counts
CREATE INDEX idx_response_day_counts ON response_day_counts (workbook_id, metric, scale, day, score, n);
-- index idx_responses_import on responses
CREATE INDEX idx_responses_import ON responses(import_id);
-- index idx_responses_low on responses
CREATE INDEX idx_responses_low ON responses(workbook_id, at) WHERE (metric = 'nps' AND score <= 6) OR (metric = 'csat' AND score <= 2) OR (metric = 'ces' AND scale = 7 AND score <= 3) OR (metric = 'ces' AND scale = 5 AND score >= 4);
-- index idx_responses_workbook on responses
CREATE INDEX idx_responses_workbook ON responses(workbook_id);
-- index idx_scenarios_workbook on scenarios
CREATE INDEX idx_scenarios_workbook ON scenarios(workbook_id);
-- index idx_sign_in_attempts_login on sign_in_attempts
CREATE INDEX idx_sign_in_attempts_login ON sign_in_attempts(login, at);
-- index idx_sign_in_sessions_account on sign_in_sessions
CREATE INDEX idx_sign_in_sessions_account ON sign_in_sessions(account_id);
-- index idx_stages_journey on stages
CREATE INDEX idx_stages_journey ON stages(journey_id, position);
-- index idx_survey_answers_response on survey_answers
CREATE INDEX idx_survey_answers_response ON survey_answers(response_id);
-- index idx_surveys_slug on surveys
CREATE INDEX idx_surveys_slug ON surveys(slug);
-- index idx_team_goals_workbook on team_goals
CREATE INDEX idx_team_goals_workbook ON team_goals(workbook_id);
-- index idx_team_members_workbook on team_members
CREATE INDEX idx_team_members_workbook ON team_members(workbook_id);
-- index idx_tickets_import on tickets
CREATE INDEX idx_tickets_import ON tickets(import_id);
-- index idx_tickets_workbook on tickets
CREATE INDEX idx_tickets_workbook ON tickets(workbook_id);
-- index idx_votes_workbook on votes
CREATE INDEX idx_votes_workbook ON votes(workbook_id, voter);
-- index idx_webhook_deliveries_response on webhook_deliveries
CREATE INDEX idx_webhook_deliveries_response ON webhook_deliveries(response_id);
-- index idx_webhook_tokens_workbook on webhook_tokens
CREATE INDEX idx_webhook_tokens_workbook ON webhook_tokens(workbook_id);
-- table _sqlite_migrations on _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
-- table accounts on accounts
CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL CHECK (source IN ('builtin', 'oidc', 'proxy')),
            password_hash TEXT,
            is_admin INTEGER NOT NULL DEFAULT 0,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT, last_sign_in TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table automations on automations
CREATE TABLE automations (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, kind TEXT, stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,
            touchpoint TEXT,
            volume INTEGER CHECK (volume BETWEEN 1 AND 5), pain INTEGER CHECK (pain BETWEEN 1 AND 5),
            feasibility INTEGER CHECK (feasibility BETWEEN 1 AND 5),
            effort INTEGER CHECK (effort BETWEEN 1 AND 5),
            response_hours_now REAL, response_hours_after REAL,
            resolution_hours_now REAL, resolution_hours_after REAL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table brand_story on brand_story
CREATE TABLE brand_story (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE UNIQUE,
            story TEXT, transparency TEXT, people TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table competitors on competitors
CREATE TABLE competitors (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, is_us INTEGER NOT NULL DEFAULT 0,
            positioning TEXT, strengths TEXT, weaknesses TEXT, channels TEXT,
            product_quality INTEGER CHECK (product_quality IS NULL OR product_quality BETWEEN 1 AND 5), support_quality INTEGER CHECK (support_quality IS NULL OR support_quality BETWEEN 1 AND 5), brand_positioning INTEGER CHECK (brand_positioning IS NULL OR brand_positioning BETWEEN 1 AND 5), price INTEGER CHECK (price IS NULL OR price BETWEEN 1 AND 5), reputation INTEGER CHECK (reputation IS NULL OR reputation BETWEEN 1 AND 5), omnichannel INTEGER CHECK (omnichannel IS NULL OR omnichannel BETWEEN 1 AND 5), response_time INTEGER CHECK (response_time IS NULL OR response_time BETWEEN 1 AND 5), self_service INTEGER CHECK (self_service IS NULL OR self_service BETWEEN 1 AND 5), chat_24_7 INTEGER CHECK (chat_24_7 IS NULL OR chat_24_7 BETWEEN 1 AND 5), personalisation INTEGER CHECK (personalisation IS NULL OR personalisation BETWEEN 1 AND 5),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table events on events
CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            at TEXT NOT NULL, user TEXT NOT NULL, page TEXT, feature TEXT, key_event INTEGER);
-- table followups on followups
CREATE TABLE followups (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id) ON DELETE CASCADE,
            owner TEXT, status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'contacted', 'resolved', 'no_action')),
            note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table gap_actions on gap_actions
CREATE TABLE gap_actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            factor TEXT NOT NULL, action TEXT NOT NULL,
            stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table grants on grants
CREATE TABLE grants (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            principal TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
            UNIQUE (workbook_id, principal));
-- table history on history
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
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
-- table ideas on ideas
CREATE TABLE ideas (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            step TEXT NOT NULL, text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table import_mappings on import_mappings
CREATE TABLE import_mappings (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            kind TEXT NOT NULL, shape TEXT NOT NULL, mapping TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
            UNIQUE (workbook_id, kind, shape));
-- table imports on imports
CREATE TABLE imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('responses', 'tickets', 'events')),
            name TEXT, rows INTEGER, metric TEXT, created_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT, notes TEXT);
-- table journeys on journeys
CREATE TABLE journeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
    persona_id INTEGER REFERENCES personas(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('as_is', 'to_be')),
    description TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
-- table mentions on mentions
CREATE TABLE mentions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            date TEXT NOT NULL, platform TEXT, author TEXT, text TEXT NOT NULL, brand TEXT NOT NULL,
            sentiment REAL, stage TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table personalisation on personalisation
CREATE TABLE personalisation (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
            plan TEXT, moments TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table personas on personas
CREATE TABLE personas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT, demographics TEXT, identifiers TEXT,
    goals TEXT, pain_points TEXT, preferences TEXT, values_text TEXT,
    looks_for TEXT, objections TEXT, channels TEXT, quote TEXT,
    segment TEXT, segment_size INTEGER, segment_value REAL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
-- table response_counts on response_counts
CREATE TABLE response_counts (
            workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            metric TEXT NOT NULL, scale INTEGER NOT NULL, segment TEXT, persona TEXT, stage TEXT, channel TEXT, score REAL, n INTEGER NOT NULL);
-- table response_day_counts on response_day_counts
CREATE TABLE response_day_counts (
            workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            metric TEXT NOT NULL, scale INTEGER NOT NULL, day TEXT NOT NULL, score REAL, n INTEGER NOT NULL);
-- table responses on responses
CREATE TABLE responses (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            at TEXT NOT NULL, metric TEXT NOT NULL CHECK (metric IN ('nps', 'csat', 'ces')),
            scale INTEGER NOT NULL, score REAL, customer TEXT, segment TEXT, persona TEXT, stage TEXT,
            channel TEXT, comment TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT, touchpoint TEXT, source TEXT);
-- table scenarios on scenarios
CREATE TABLE scenarios (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('simple', 'subscription', 'chain')),
            inputs TEXT NOT NULL,
            notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
        );
-- table server_secrets on server_secrets
CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table sign_in_attempts on sign_in_attempts
CREATE TABLE sign_in_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL COLLATE NOCASE, at TEXT NOT NULL, ok INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table sign_in_sessions on sign_in_sessions
CREATE TABLE sign_in_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash TEXT UNIQUE, claim_hash TEXT UNIQUE,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL, last_seen TEXT NOT NULL, ended_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table stages on stages
CREATE TABLE stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
    journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    customer_goal TEXT, touchpoints TEXT, channels TEXT, actions TEXT, thoughts TEXT,
    emotion INTEGER CHECK (emotion IS NULL OR emotion BETWEEN -2 AND 2),
    pain_points TEXT, opportunities TEXT, owner_team TEXT, kpi TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
, target_emotion INTEGER CHECK (target_emotion IS NULL OR target_emotion BETWEEN -2 AND 2), moment_that_matters TEXT);
-- table survey_answers on survey_answers
CREATE TABLE survey_answers (
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            device TEXT NOT NULL, day TEXT NOT NULL, question TEXT NOT NULL,
            response_id INTEGER REFERENCES responses(id) ON DELETE CASCADE,
            PRIMARY KEY (survey_id, device, day, question));
-- table surveys on surveys
CREATE TABLE surveys (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, stage TEXT, channel TEXT, questions TEXT, trigger TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT, touchpoint TEXT, persona TEXT, slug TEXT, is_open INTEGER NOT NULL DEFAULT 1);
-- table team_goals on team_goals
CREATE TABLE team_goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
    team TEXT, goal TEXT, kpi TEXT, target REAL, unit TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
, metric TEXT);
-- table team_members on team_members
CREATE TABLE team_members (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, role TEXT, skills TEXT, training_needs TEXT, goals TEXT,
            raci TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table team_review on team_review
CREATE TABLE team_review (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE UNIQUE,
            goals TEXT, cadence_days INTEGER, last_review TEXT, progress TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table tickets on tickets
CREATE TABLE tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
            created TEXT NOT NULL, resolved TEXT, customer TEXT, channel TEXT, stage TEXT, segment TEXT, first_response TEXT);
-- table vision on vision
CREATE TABLE vision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE UNIQUE,
    statement TEXT, principles TEXT, feelings TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
-- table votes on votes
CREATE TABLE votes (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            voter TEXT NOT NULL, item TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table webhook_deliveries on webhook_deliveries
CREATE TABLE webhook_deliveries (
            workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE, source TEXT NOT NULL, key TEXT NOT NULL,
            response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
            PRIMARY KEY (workbook_id, source, key));
-- table webhook_sources on webhook_sources
CREATE TABLE webhook_sources (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, preset TEXT NOT NULL, mapping TEXT NOT NULL,
            metric TEXT CHECK (metric IS NULL OR metric IN ('nps', 'csat', 'ces')), scale INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
            UNIQUE (workbook_id, name));
-- table webhook_tokens on webhook_tokens
CREATE TABLE webhook_tokens (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE,
            name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, hint TEXT,
            created_at TEXT, revoked_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- table workbooks on workbooks
CREATE TABLE workbooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    created_at TEXT,
    data_version INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
, currency TEXT NOT NULL DEFAULT '');
-- table workshops on workshops
CREATE TABLE workshops (
            id INTEGER PRIMARY KEY AUTOINCREMENT, workbook_id INTEGER NOT NULL REFERENCES workbooks(id) ON DELETE CASCADE UNIQUE,
            agenda TEXT, current_step TEXT, step_started_at TEXT,
            dots INTEGER NOT NULL DEFAULT 3, voting_open INTEGER NOT NULL DEFAULT 0,
            vote_token TEXT, ranking TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT);
-- trigger imports_uncounted on imports
CREATE TRIGGER imports_uncounted BEFORE DELETE ON imports WHEN OLD.kind = 'responses' BEGIN UPDATE response_counts SET n = response_counts.n - d.n FROM (SELECT r.workbook_id AS workbook_id, r.metric AS metric, r.scale AS scale, r.segment AS segment, r.persona AS persona, r.stage AS stage, r.channel AS channel, r.score AS score, count(*) AS n FROM responses r WHERE r.import_id = OLD.id GROUP BY r.workbook_id, r.metric, r.scale, r.segment, r.persona, r.stage, r.channel, r.score) AS d WHERE response_counts.workbook_id = d.workbook_id AND response_counts.metric IS d.metric AND response_counts.scale IS d.scale AND response_counts.segment IS d.segment AND response_counts.persona IS d.persona AND response_counts.stage IS d.stage AND response_counts.channel IS d.channel AND response_counts.score IS d.score; DELETE FROM response_counts WHERE workbook_id = OLD.workbook_id AND n = 0; UPDATE response_day_counts SET n = response_day_counts.n - d.n FROM (SELECT r.workbook_id AS workbook_id, r.metric AS metric, r.scale AS scale, substr(r.at, 1, 10) AS day, r.score AS score, count(*) AS n FROM responses r WHERE r.import_id = OLD.id GROUP BY r.workbook_id, r.metric, r.scale, substr(r.at, 1, 10), r.score) AS d WHERE response_day_counts.workbook_id = d.workbook_id AND response_day_counts.metric IS d.metric AND response_day_counts.scale IS d.scale AND response_day_counts.day IS d.day AND response_day_counts.score IS d.score; DELETE FROM response_day_counts WHERE workbook_id = OLD.workbook_id AND n = 0; END;
-- trigger responses_counted on responses
CREATE TRIGGER responses_counted AFTER INSERT ON responses WHEN NEW.import_id IS NULL
        BEGIN INSERT INTO response_counts (workbook_id, metric, scale, segment, persona, stage, channel, score, n) SELECT NEW.workbook_id, NEW.metric, NEW.scale, NEW.segment, NEW.persona, NEW.stage, NEW.channel, NEW.score, 0 WHERE NOT EXISTS (SELECT 1 FROM response_counts WHERE response_counts.workbook_id = NEW.workbook_id AND response_counts.metric IS NEW.metric AND response_counts.scale IS NEW.scale AND response_counts.segment IS NEW.segment AND response_counts.persona IS NEW.persona AND response_counts.stage IS NEW.stage AND response_counts.channel IS NEW.channel AND response_counts.score IS NEW.score); UPDATE response_counts SET n = n + 1 WHERE response_counts.workbook_id = NEW.workbook_id AND response_counts.metric IS NEW.metric AND response_counts.scale IS NEW.scale AND response_counts.segment IS NEW.segment AND response_counts.persona IS NEW.persona AND response_counts.stage IS NEW.stage AND response_counts.channel IS NEW.channel AND response_counts.score IS NEW.score; INSERT INTO response_day_counts (workbook_id, metric, scale, day, score, n) SELECT NEW.workbook_id, NEW.metric, NEW.scale, substr(NEW.at, 1, 10), NEW.score, 0 WHERE NOT EXISTS (SELECT 1 FROM response_day_counts WHERE response_day_counts.workbook_id = NEW.workbook_id AND response_day_counts.metric IS NEW.metric AND response_day_counts.scale IS NEW.scale AND response_day_counts.day IS substr(NEW.at, 1, 10) AND response_day_counts.score IS NEW.score); UPDATE response_day_counts SET n = n + 1 WHERE response_day_counts.workbook_id = NEW.workbook_id AND response_day_counts.metric IS NEW.metric AND response_day_counts.scale IS NEW.scale AND response_day_counts.day IS substr(NEW.at, 1, 10) AND response_day_counts.score IS NEW.score; END;
-- trigger responses_recounted on responses
CREATE TRIGGER responses_recounted AFTER UPDATE OF workbook_id, at, channel, metric, persona, scale, score, segment, stage
        ON responses BEGIN UPDATE response_counts SET n = n - 1 WHERE response_counts.workbook_id = OLD.workbook_id AND response_counts.metric IS OLD.metric AND response_counts.scale IS OLD.scale AND response_counts.segment IS OLD.segment AND response_counts.persona IS OLD.persona AND response_counts.stage IS OLD.stage AND response_counts.channel IS OLD.channel AND response_counts.score IS OLD.score; DELETE FROM response_counts WHERE n = 0 AND response_counts.workbook_id = OLD.workbook_id AND response_counts.metric IS OLD.metric AND response_counts.scale IS OLD.scale AND response_counts.segment IS OLD.segment AND response_counts.persona IS OLD.persona AND response_counts.stage IS OLD.stage AND response_counts.channel IS OLD.channel AND response_counts.score IS OLD.score; UPDATE response_day_counts SET n = n - 1 WHERE response_day_counts.workbook_id = OLD.workbook_id AND response_day_counts.metric IS OLD.metric AND response_day_counts.scale IS OLD.scale AND response_day_counts.day IS substr(OLD.at, 1, 10) AND response_day_counts.score IS OLD.score; DELETE FROM response_day_counts WHERE n = 0 AND response_day_counts.workbook_id = OLD.workbook_id AND response_day_counts.metric IS OLD.metric AND response_day_counts.scale IS OLD.scale AND response_day_counts.day IS substr(OLD.at, 1, 10) AND response_day_counts.score IS OLD.score; INSERT INTO response_counts (workbook_id, metric, scale, segment, persona, stage, channel, score, n) SELECT NEW.workbook_id, NEW.metric, NEW.scale, NEW.segment, NEW.persona, NEW.stage, NEW.channel, NEW.score, 0 WHERE NOT EXISTS (SELECT 1 FROM response_counts WHERE response_counts.workbook_id = NEW.workbook_id AND response_counts.metric IS NEW.metric AND response_counts.scale IS NEW.scale AND response_counts.segment IS NEW.segment AND response_counts.persona IS NEW.persona AND response_counts.stage IS NEW.stage AND response_counts.channel IS NEW.channel AND response_counts.score IS NEW.score); UPDATE response_counts SET n = n + 1 WHERE response_counts.workbook_id = NEW.workbook_id AND response_counts.metric IS NEW.metric AND response_counts.scale IS NEW.scale AND response_counts.segment IS NEW.segment AND response_counts.persona IS NEW.persona AND response_counts.stage IS NEW.stage AND response_counts.channel IS NEW.channel AND response_counts.score IS NEW.score; INSERT INTO response_day_counts (workbook_id, metric, scale, day, score, n) SELECT NEW.workbook_id, NEW.metric, NEW.scale, substr(NEW.at, 1, 10), NEW.score, 0 WHERE NOT EXISTS (SELECT 1 FROM response_day_counts WHERE response_day_counts.workbook_id = NEW.workbook_id AND response_day_counts.metric IS NEW.metric AND response_day_counts.scale IS NEW.scale AND response_day_counts.day IS substr(NEW.at, 1, 10) AND response_day_counts.score IS NEW.score); UPDATE response_day_counts SET n = n + 1 WHERE response_day_counts.workbook_id = NEW.workbook_id AND response_day_counts.metric IS NEW.metric AND response_day_counts.scale IS NEW.scale AND response_day_counts.day IS substr(NEW.at, 1, 10) AND response_day_counts.score IS NEW.score; END;
-- trigger responses_uncounted on responses
CREATE TRIGGER responses_uncounted AFTER DELETE ON responses WHEN OLD.import_id IS NULL
        OR EXISTS (SELECT 1 FROM imports WHERE id = OLD.import_id) BEGIN UPDATE response_counts SET n = n - 1 WHERE response_counts.workbook_id = OLD.workbook_id AND response_counts.metric IS OLD.metric AND response_counts.scale IS OLD.scale AND response_counts.segment IS OLD.segment AND response_counts.persona IS OLD.persona AND response_counts.stage IS OLD.stage AND response_counts.channel IS OLD.channel AND response_counts.score IS OLD.score; DELETE FROM response_counts WHERE n = 0 AND response_counts.workbook_id = OLD.workbook_id AND response_counts.metric IS OLD.metric AND response_counts.scale IS OLD.scale AND response_counts.segment IS OLD.segment AND response_counts.persona IS OLD.persona AND response_counts.stage IS OLD.stage AND response_counts.channel IS OLD.channel AND response_counts.score IS OLD.score; UPDATE response_day_counts SET n = n - 1 WHERE response_day_counts.workbook_id = OLD.workbook_id AND response_day_counts.metric IS OLD.metric AND response_day_counts.scale IS OLD.scale AND response_day_counts.day IS substr(OLD.at, 1, 10) AND response_day_counts.score IS OLD.score; DELETE FROM response_day_counts WHERE n = 0 AND response_day_counts.workbook_id = OLD.workbook_id AND response_day_counts.metric IS OLD.metric AND response_day_counts.scale IS OLD.scale AND response_day_counts.day IS substr(OLD.at, 1, 10) AND response_day_counts.score IS OLD.score; END;
-- trigger surveys_slug on surveys
CREATE TRIGGER surveys_slug AFTER INSERT ON surveys
           WHEN NEW.slug IS NULL OR EXISTS (SELECT 1 FROM surveys WHERE slug = NEW.slug AND id != NEW.id)
           BEGIN UPDATE surveys SET slug = lower(hex(randomblob(12))) WHERE id = NEW.id; END;
