-- Scorecards as evaluated on a date: one row per unit, leader or region, so that a planning
-- office can query and compare them in SQL. A new evaluation of the same year and kind replaces
-- the rows of the same date.
CREATE TABLE scorecards (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    as_of         TEXT NOT NULL,
    -- 'unit', 'leader' or 'region'.
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    led           INTEGER NOT NULL,
    cooperating   INTEGER NOT NULL,
    completed     INTEGER NOT NULL,
    overdue       INTEGER NOT NULL,
    at_risk       INTEGER NOT NULL,
    achieved      INTEGER NOT NULL,
    not_achieved  INTEGER NOT NULL,
    no_data       INTEGER NOT NULL,
    completion    REAL NOT NULL,
    achievement   REAL,
    evaluated_at  TEXT NOT NULL,
    UNIQUE (year, as_of, kind, name)
);
CREATE INDEX scorecards_lookup ON scorecards(year, kind);
