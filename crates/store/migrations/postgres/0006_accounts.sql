-- Accounts bound to units, sessions kept in the database, and the review of progress reports.
CREATE TABLE user_units (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, unit_id)
);

CREATE TABLE sessions (
    -- 32 random bytes, hex: the cookie's value.
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The token every form of the session carries (CSRF).
    csrf        TEXT NOT NULL,
    -- Seconds since the epoch.
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- 'submitted', 'accepted' (published) or 'returned', with the supervisor's word.
ALTER TABLE progress_reports ADD COLUMN review TEXT NOT NULL DEFAULT 'submitted';
ALTER TABLE progress_reports ADD COLUMN review_comment TEXT;
ALTER TABLE progress_reports ADD COLUMN reviewed_by BIGINT REFERENCES users(id);
ALTER TABLE progress_reports ADD COLUMN reviewed_at TEXT;
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id);
