-- Issue runs with their reports, and the submission a duplicate repeats.

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('manual', 'scheduled')),
    state         TEXT    NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'interrupted')),
    scheduled_for TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    finished_at   TEXT,
    issue_id      INTEGER REFERENCES issues (id),
    report        TEXT    NOT NULL DEFAULT '{}',
    error         TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX runs_state ON runs (state, started_at);

ALTER TABLE submissions ADD COLUMN duplicate_of INTEGER REFERENCES submissions (id);
