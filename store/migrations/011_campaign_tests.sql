-- The listmonk client's ledger and the test sends, apart from the
-- publication's outcome: create_sent_at is when a create was sent whose
-- outcome is unknown (none is sent again until it can no longer commit),
-- and test_error why the last test send failed, so that a test never
-- clears or sets the publication's error.

ALTER TABLE campaigns ADD COLUMN create_sent_at TEXT;
ALTER TABLE campaigns ADD COLUMN test_error TEXT NOT NULL DEFAULT '';
