-- When an issue's content last changed, for the feed's updated and the
-- archive's Last-Modified: updated_at also moves when only its Hashnode
-- record does.

ALTER TABLE issues ADD COLUMN content_at TEXT;
UPDATE issues SET content_at = updated_at WHERE content_hash <> '';
