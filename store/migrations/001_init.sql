-- Submitted links, what was fetched for them, the summariser cache, the
-- rendered sections of each summarised submission, and the issues.
-- Timestamps are UTC text in a fixed-width RFC 3339 form, so they sort.

CREATE TABLE issues (
    id           INTEGER PRIMARY KEY,
    week         TEXT    NOT NULL UNIQUE, -- ISO week of the issue date, e.g. 2024-W36
    title        TEXT    NOT NULL,
    slug         TEXT    NOT NULL,        -- repeats yearly; the file name adds the date
    cuid         TEXT    NOT NULL,
    issue_date   TEXT    NOT NULL,        -- the date the title and front matter carry
    location     TEXT    NOT NULL DEFAULT '',
    content      TEXT    NOT NULL DEFAULT '',
    content_hash TEXT    NOT NULL DEFAULT '',
    published_at TEXT,                    -- NULL until the file is written
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE submissions (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL,     -- normalised submitted URL
    canonical_url   TEXT    NOT NULL,     -- normalised canonical URL, the page's once fetched
    submitted_by    TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL CHECK (state IN
                        ('new', 'processing', 'summarized', 'failed', 'duplicate', 'published', 'deleted')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at TEXT,
    issue_id        INTEGER REFERENCES issues (id),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE INDEX submissions_state ON submissions (state, next_attempt_at);
CREATE INDEX submissions_url ON submissions (url);
CREATE INDEX submissions_canonical_url ON submissions (canonical_url);
CREATE INDEX submissions_issue ON submissions (issue_id);

CREATE TABLE articles (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    final_url     TEXT    NOT NULL,
    canonical_url TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    site_name     TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL DEFAULT '',
    published     TEXT,
    language      TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL,
    text_hash     TEXT    NOT NULL,
    word_count    INTEGER NOT NULL,
    fetched_at    TEXT    NOT NULL
);

-- The summariser's cache: one model answer per text, prompt version and model.
CREATE TABLE summaries (
    text_hash      TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    model          TEXT NOT NULL,
    value          BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (text_hash, prompt_version, model)
) WITHOUT ROWID;

-- The sections a submission goes into its issue with, and the cache key they
-- came from.
CREATE TABLE article_summaries (
    submission_id  INTEGER PRIMARY KEY REFERENCES submissions (id),
    text_hash      TEXT    NOT NULL,
    prompt_version TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    title_ko       TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    introduction   TEXT    NOT NULL,
    recommendation TEXT    NOT NULL DEFAULT '',
    caution        TEXT    NOT NULL DEFAULT '',
    requests       INTEGER NOT NULL DEFAULT 0,
    prompt_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    cached         INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL
);
