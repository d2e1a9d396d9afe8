-- What is known of each issue's email campaign on listmonk: its id and
-- status as listmonk last answered, when it is scheduled, a note (a
-- correction that came after it was sent, and so changed nothing), why the
-- last attempt failed, and the last test send. The campaign itself is
-- found again by its name (it carries the issue's slug), so this row only
-- shows the editors where it is.

CREATE TABLE campaigns (
    issue_id    INTEGER PRIMARY KEY REFERENCES issues (id),
    campaign_id INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL DEFAULT '',
    send_at     TEXT,
    note        TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    tested_at   TEXT,
    tested_to   TEXT    NOT NULL DEFAULT '',
    updated_at  TEXT    NOT NULL
);
