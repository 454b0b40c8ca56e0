-- The ledger, SQLite flavour. Keep in step with migrations/postgres/0001_ledger.sql: the same
-- tables and columns; only types and key generation differ.

CREATE TABLE regions (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES regions(id)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    -- What identifies a document across versions: the file it was read from.
    source       TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    kind         TEXT NOT NULL,
    title        TEXT,
    region_id    INTEGER REFERENCES regions(id),
    year         INTEGER,
    year_end     INTEGER,
    format       TEXT NOT NULL,
    encoding     TEXT NOT NULL,
    text         TEXT NOT NULL,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(content_hash);

CREATE TABLE sections (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    parent_seq   INTEGER,
    level        INTEGER NOT NULL,
    style        TEXT NOT NULL,
    marker       TEXT NOT NULL,
    title        TEXT NOT NULL,
    span_start   INTEGER NOT NULL,
    span_end     INTEGER NOT NULL,
    extent_start INTEGER NOT NULL,
    extent_end   INTEGER NOT NULL,
    part_role    TEXT,
    part_year    INTEGER
);
CREATE INDEX sections_document ON sections(document_id);

CREATE TABLE indicators (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq                INTEGER NOT NULL,
    name               TEXT NOT NULL,
    unit               TEXT,
    category           TEXT,
    baseline_year      INTEGER,
    baseline_value     REAL,
    baseline_text      TEXT,
    target_year        INTEGER,
    target_value       REAL,
    target_qualifier   TEXT,
    target_upper       REAL,
    target_text        TEXT,
    attribute          TEXT,
    aggregation        TEXT,
    span_start         INTEGER NOT NULL,
    span_end           INTEGER NOT NULL
);
CREATE INDEX indicators_document ON indicators(document_id);

CREATE TABLE quantities (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role           TEXT NOT NULL,
    year           INTEGER,
    region_id      INTEGER REFERENCES regions(id),
    metric         TEXT NOT NULL,
    value          REAL NOT NULL,
    unit           TEXT,
    normalized     REAL NOT NULL,
    base_unit      TEXT,
    qualifier      TEXT,
    upper          REAL,
    direction      TEXT,
    measure        TEXT NOT NULL,
    action         TEXT,
    estimated      INTEGER NOT NULL,
    aggregation    TEXT,
    sentence       TEXT NOT NULL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL
);
CREATE INDEX quantities_document ON quantities(document_id);
CREATE INDEX quantities_lookup ON quantities(year, role, metric);

CREATE TABLE milestones (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role           TEXT NOT NULL,
    year           INTEGER,
    region_id      INTEGER REFERENCES regions(id),
    subject        TEXT NOT NULL,
    event          TEXT NOT NULL,
    status         TEXT,
    due            TEXT,
    sentence       TEXT NOT NULL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL
);
CREATE INDEX milestones_document ON milestones(document_id);

CREATE TABLE units (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    -- 'unit' (a department), 'group' (各区人民政府), 'government' (a district government).
    kind      TEXT NOT NULL,
    region_id INTEGER REFERENCES regions(id)
);

CREATE TABLE unit_aliases (
    alias   TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE
);

CREATE TABLE leaders (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    category    TEXT,
    text        TEXT NOT NULL,
    deadline    TEXT,
    joint       INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    UNIQUE (document_id, seq)
);

CREATE TABLE task_units (
    task_id  INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    position INTEGER NOT NULL,
    -- 'lead', 'cooperating' or 'joint'.
    role     TEXT NOT NULL,
    PRIMARY KEY (task_id, unit_id)
);

CREATE TABLE task_leaders (
    task_id   INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    leader_id INTEGER NOT NULL REFERENCES leaders(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (task_id, leader_id)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Progress is attached to a task by its document's source and its number, not by row id, so
-- that it survives the re-extraction of a changed document (and is then flagged for review).
CREATE TABLE progress_reports (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    task_seq     INTEGER NOT NULL,
    unit_id      INTEGER REFERENCES units(id),
    user_id      INTEGER REFERENCES users(id),
    reported_at  TEXT NOT NULL,
    status       TEXT NOT NULL,
    percent      REAL,
    value        REAL,
    narrative    TEXT NOT NULL,
    needs_review INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX progress_reports_task ON progress_reports(source, task_seq);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
