-- Evidence files attached to progress reports, kept in the database itself: nothing on disk to
-- traverse, and a backup of the database is a backup of the evidence.
CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES progress_reports(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX evidence_report ON evidence(report_id);
