-- Schema version 1 of the Signaalradar store. Only anonymised text is ever written here.

-- One ingest run: the counts of what it brought. Who ran it is in audit_log only.
CREATE TABLE batches (
    id              INTEGER PRIMARY KEY,
    ingested_at     TEXT    NOT NULL,
    sources         TEXT    NOT NULL, -- JSON array of file names
    sessions_added  INTEGER NOT NULL,
    items_added     INTEGER NOT NULL,
    rejected        INTEGER NOT NULL,
    redactions      TEXT    NOT NULL  -- JSON object: counts per kind of redaction, never values
);

CREATE TABLE sessions (
    id                   TEXT    PRIMARY KEY,
    date                 TEXT    NOT NULL, -- YYYY-MM-DD
    programme            TEXT    NOT NULL,
    group_id             TEXT    NOT NULL,
    mode                 TEXT    CHECK (mode IN ('fysiek', 'online')),
    moderated            INTEGER CHECK (moderated IN (0, 1)),
    participants         INTEGER,
    cases_submitted      INTEGER,
    cases_discussed      INTEGER,
    score                INTEGER CHECK (score BETWEEN 1 AND 5),
    next_meeting_planned INTEGER CHECK (next_meeting_planned IN (0, 1)),
    batch_id             INTEGER NOT NULL REFERENCES batches (id)
);
CREATE INDEX sessions_date ON sessions (date);

CREATE TABLE session_regions (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    region     TEXT NOT NULL,
    PRIMARY KEY (session_id, region)
) WITHOUT ROWID;

CREATE TABLE session_tags (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (session_id, tag)
) WITHOUT ROWID;

CREATE TABLE items (
    id         TEXT    PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES sessions (id),
    ordinal    INTEGER NOT NULL, -- position within its session in its batch (order by batch_id, ordinal)
    kind       TEXT    NOT NULL CHECK (kind IN ('casus', 'advies', 'signaal', 'evaluatie')),
    region     TEXT    NOT NULL,
    text       TEXT    NOT NULL, -- anonymised
    escalate   TEXT    CHECK (escalate IN ('ja', 'nee', 'twijfel')),
    batch_id   INTEGER NOT NULL REFERENCES batches (id)
) WITHOUT ROWID;
-- No index on session_id: readers load all items at once (analysis) and ingest speed matters
-- more; add one in a later migration when a query needs it.

-- Manual theme tags given on input.
CREATE TABLE item_tags (
    item_id TEXT NOT NULL REFERENCES items (id),
    theme   TEXT NOT NULL,
    PRIMARY KEY (item_id, theme)
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL -- JSON; never item text
);
