-- 催办: a supervisor urges a unit on a task; the unit sees it in its work queue.
CREATE TABLE urges (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    task_seq  INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    user_id   INTEGER REFERENCES users(id),
    message   TEXT NOT NULL,
    urged_at  TEXT NOT NULL
);
CREATE INDEX urges_task ON urges(source, task_seq);

-- 延期申请: a lead unit asks for a new deadline with a reason; a supervisor approves or refuses.
-- An approved deadline (YYYY-MM-DD) is the task's deadline from then on.
CREATE TABLE extension_requests (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    task_seq     INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    user_id      INTEGER REFERENCES users(id),
    requested_at TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    -- 'pending', 'approved' or 'refused'.
    decision     TEXT NOT NULL DEFAULT 'pending',
    decided_by   INTEGER REFERENCES users(id),
    decided_at   TEXT,
    comment      TEXT
);
CREATE INDEX extension_requests_task ON extension_requests(source, task_seq);
