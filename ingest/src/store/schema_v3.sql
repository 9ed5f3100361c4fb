-- Schema version 3: the escalation lifecycle. A theme has at most one current state; every
-- change (by a person or by the escalation rule) is kept in the history with its reason.

CREATE TABLE escalations (
    theme      TEXT PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('kandidaat', 'voorgesteld', 'geescaleerd',
                   'in_behandeling', 'opgelost', 'geparkeerd', 'teruggekeerd')),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE escalation_history (
    id         INTEGER PRIMARY KEY,
    theme      TEXT NOT NULL,
    from_state TEXT, -- NULL when the theme had no state yet
    to_state   TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL, -- a user name, or "regel" for the escalation rule
    note       TEXT NOT NULL  -- why; written by a national supporter, never item text
);
CREATE INDEX escalation_history_theme ON escalation_history (theme, id);
