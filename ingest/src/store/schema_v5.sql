-- Schema version 5: the report archive. Every generated trend report is kept with all its files
-- (PDF, HTML, Markdown with its chart images, CSV tables, the XLSX workbook), so what was sent
-- to the national level can be fetched again later. Reports hold only what their audience may
-- see: a programme leader's version is made with disclosure control applied.

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL,      -- e.g. 2026-Q3
    audience     TEXT NOT NULL CHECK (audience IN ('landelijk', 'programmaleider')),
    region       TEXT,               -- the programme leader's region; NULL for the national version
    programme    TEXT,               -- NULL: all programmes
    lang         TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    partial      INTEGER NOT NULL CHECK (partial IN (0, 1)), -- made while the period was running
    generated_at TEXT NOT NULL,      -- UTC, RFC 3339
    generated_by TEXT NOT NULL,      -- a user name, or "planner" for the scheduled task
    CHECK ((audience = 'programmaleider') = (region IS NOT NULL))
);
CREATE INDEX reports_period ON reports (period, audience, region);

CREATE TABLE report_files (
    report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,        -- a relative path, e.g. "grafieken/thema-corona.png"
    media_type TEXT NOT NULL,
    content    BLOB NOT NULL,
    PRIMARY KEY (report_id, name)
) WITHOUT ROWID;
