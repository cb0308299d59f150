-- The web dashboard (issue #15): one-time login links and sessions. Only SHA-256 hashes of
-- the secrets are kept, so a copy of the database opens no one's dashboard.
CREATE TABLE web_logins (
    token_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
-- Links are rate-limited per person: one index range per 登录.
CREATE INDEX web_logins_person ON web_logins (platform, user_id, created_at);
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);
-- 退出登录 ends every live session of one person.
CREATE INDEX web_sessions_person ON web_sessions (platform, user_id) WHERE ended_at IS NULL;
