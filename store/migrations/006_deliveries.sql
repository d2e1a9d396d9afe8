-- The outbox: every side effect after a publication (a Hashnode post, a
-- chat message, an email campaign) is a row written in the transaction
-- that records the issue published, delivered by a worker that resumes it
-- after any restart. A row being sent when the process stopped is pending
-- again at the next start, without an attempt charged: its outlet settles
-- the unknown outcome by looking before it sends again.

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    issue_id        INTEGER REFERENCES issues (id), -- NULL for an event of no issue
    outlet          TEXT    NOT NULL,               -- hashnode, chat:N, listmonk
    kind            TEXT    NOT NULL,               -- published, corrected, draft_ready, ...
    payload         TEXT    NOT NULL DEFAULT '',
    -- At most one undelivered row per key: a second publication of an
    -- issue whose post is still pending adds nothing (the delivery reads
    -- the issue as it is when it is sent). NULL keys never collide.
    dedupe_key      TEXT,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,     -- attempts that ended
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    done_at         TEXT
);

CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);
CREATE INDEX deliveries_issue ON deliveries (issue_id, id);
CREATE UNIQUE INDEX deliveries_undelivered ON deliveries (dedupe_key)
    WHERE state IN ('pending', 'sending');
