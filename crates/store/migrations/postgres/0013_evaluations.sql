-- The evaluations kept in the store, computed when what they depend on changes and read by the
-- web app instead of evaluating on each request: one row per kind ('year': a region's targets,
-- verdicts and task statuses of one plan year; 'plan': its five-year plans' indicators, year 0)
-- and region. `body` is the evaluation as JSON beside the part of the ledger it was computed
-- from; NULL when something it depends on changed and it waits to be computed again.
-- `generation` counts those changes: a computation started before one is not written over it.
-- `basis` names what else the body depends on (the program's version, the lexicon, the office's
-- rules); `as_of` the day its task statuses are for.
CREATE TABLE evaluations (
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    region      TEXT NOT NULL,
    generation  BIGINT NOT NULL DEFAULT 1,
    basis       TEXT NOT NULL DEFAULT '',
    as_of       TEXT NOT NULL DEFAULT '',
    body        TEXT,
    PRIMARY KEY (kind, year, region)
);
CREATE INDEX evaluations_waiting ON evaluations(kind) WHERE body IS NULL;
