-- The editor's desk. An issue is frozen for review (its members fixed),
-- then published: its content decided in one transaction (publishing),
-- then written (published). Entries have an order and may be excluded;
-- editors' edits of their sections are kept beside the model's text.

ALTER TABLE issues ADD COLUMN state TEXT NOT NULL DEFAULT 'published'
    CHECK (state IN ('review', 'publishing', 'published'));
UPDATE issues SET state = 'publishing' WHERE published_at IS NULL;
ALTER TABLE issues ADD COLUMN intro TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN frozen_at TEXT;
ALTER TABLE issues ADD COLUMN publish_at TEXT;          -- in review: published on its own then
ALTER TABLE issues ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN kept_copy TEXT NOT NULL DEFAULT ''; -- a hand-edited file kept aside
-- The issue's post on Hashnode: its ids, a create whose answer was lost,
-- and the last failure.
ALTER TABLE issues ADD COLUMN hashnode_post_id TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN hashnode_draft_id TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN hashnode_url TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN hashnode_pending_since TEXT;
ALTER TABLE issues ADD COLUMN hashnode_pending_op TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN hashnode_error TEXT NOT NULL DEFAULT '';

ALTER TABLE submissions ADD COLUMN position INTEGER; -- place in its issue; NULL: by id
ALTER TABLE submissions ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;

-- The current edit of each field an editor changed; the history is in events.
CREATE TABLE edits (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    field         TEXT    NOT NULL CHECK (field IN ('title', 'summary', 'introduction', 'recommendation', 'caution')),
    value         TEXT    NOT NULL,
    editor        TEXT    NOT NULL,
    at            TEXT    NOT NULL,
    PRIMARY KEY (submission_id, field)
) WITHOUT ROWID;

-- Values of the service itself, e.g. the opening paragraph of the open draft.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
