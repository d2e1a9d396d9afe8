-- Every version of every field of an entry, so that none is lost: the
-- model's text of each summary and regeneration, and each editor's edit,
-- with who wrote it and when. The model's first text of an entry
-- summarised before this table existed is recorded the first time the
-- entry changes (see store.keepModel).

CREATE TABLE versions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    field         TEXT    NOT NULL CHECK (field IN ('title', 'summary', 'introduction', 'recommendation', 'caution')),
    value         TEXT    NOT NULL,
    -- model: Gemini wrote it (note: the editor's instruction of a
    -- regeneration); edit: an editor wrote or restored it.
    source        TEXT    NOT NULL CHECK (source IN ('model', 'edit')),
    actor         TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    at            TEXT    NOT NULL
);

CREATE INDEX versions_by_field ON versions (submission_id, field, id);

-- A link already published goes into another issue only when submitted
-- again on purpose; otherwise processing finds it a duplicate of the
-- published one (see SaveArticle).
ALTER TABLE submissions ADD COLUMN again INTEGER NOT NULL DEFAULT 0;

-- The last event of any submission when an issue was last published: the
-- entries' changes after it are what a publication again would send.
-- Issues published before are taken as up to date.
ALTER TABLE issues ADD COLUMN published_event INTEGER NOT NULL DEFAULT 0;
UPDATE issues SET published_event = (SELECT COALESCE(MAX(id), 0) FROM events) WHERE published_at IS NOT NULL;
