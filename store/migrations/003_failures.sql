-- The failure model: submissions waiting for a dependency that is
-- unavailable, the history of each submission, and the usage of every
-- Gemini call made for it.

-- The dependency a submission waits for ('' when none): it is not retried
-- until next_attempt_at, or until the dependency is back.
ALTER TABLE submissions ADD COLUMN waiting_for TEXT NOT NULL DEFAULT '';

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    at            TEXT    NOT NULL,
    kind          TEXT    NOT NULL, -- submitted, failed, retry, waiting, requeued, ...
    detail        TEXT    NOT NULL DEFAULT '',
    actor         TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX events_submission ON events (submission_id, id);

-- One row per Summarize call with requests, whether it succeeded or not.
CREATE TABLE gemini_usage (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    at            TEXT    NOT NULL,
    kind          TEXT    NOT NULL, -- summarize, regenerate
    model         TEXT    NOT NULL,
    requests      INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd      REAL    NOT NULL
);

CREATE INDEX gemini_usage_submission ON gemini_usage (submission_id);

CREATE INDEX articles_text_hash ON articles (text_hash);
