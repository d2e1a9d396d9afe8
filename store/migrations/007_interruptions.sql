-- An attempt at a submission is charged when it ends (answered or
-- failed), not when it starts, so a crash charges nothing. A page that
-- crashes the process every time must still stop being retried: stops
-- while it was being processed are counted apart.

ALTER TABLE submissions ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;
