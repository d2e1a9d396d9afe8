-- Suggestions: every article a configured source offered, one row per
-- canonical URL, so that a later poll finds it again (and adds its source)
-- instead of offering it twice; and what each source's last poll said.

CREATE TABLE candidates (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE, -- normalised (urlnorm)
    title         TEXT    NOT NULL,
    snippet       TEXT    NOT NULL DEFAULT '',
    -- sources: the names of the sources that offered it, comma-separated,
    -- the first one first.
    sources       TEXT    NOT NULL,
    points        INTEGER NOT NULL DEFAULT 0,
    comments      INTEGER NOT NULL DEFAULT 0,
    discussion    TEXT    NOT NULL DEFAULT '', -- e.g. the Hacker News thread
    published_at  TEXT,
    -- new: offered to editors; accepted: an editor made it a submission;
    -- dismissed: never offered again; duplicate: the same story as
    -- duplicate_of, or a link already queued or published (reason);
    -- expired: offered too long without a decision.
    state         TEXT    NOT NULL CHECK (state IN ('new', 'accepted', 'dismissed', 'duplicate', 'expired')),
    duplicate_of  INTEGER REFERENCES candidates (id),
    reason        TEXT    NOT NULL DEFAULT '',
    submission_id INTEGER REFERENCES submissions (id),
    decided_by    TEXT    NOT NULL DEFAULT '',
    decided_at    TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE INDEX candidates_state ON candidates (state, created_at);

CREATE TABLE source_polls (
    name          TEXT    PRIMARY KEY,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_poll_at  TEXT,
    last_ok_at    TEXT,
    next_poll_at  TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    items         INTEGER NOT NULL DEFAULT 0 -- items in the last answer
);
