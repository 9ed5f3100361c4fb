-- Schema version 4: accounts for the web dashboard and the API. Passwords and tokens are kept
-- only as hashes (argon2id for passwords, BLAKE3 for random session and API tokens), so a copy
-- of the database gives no way in.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('beheerder', 'landelijk', 'programmaleider', 'invoerder')),
    region        TEXT,    -- the one region a programme leader is bound to; NULL for the others
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'programmaleider') = (region IS NOT NULL))
);

CREATE TABLE web_sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,    -- the synchronizer token every form of this session carries
    expires_at INTEGER NOT NULL  -- Unix seconds
) WITHOUT ROWID;
CREATE INDEX web_sessions_user ON web_sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
