-- Notices that cascade down the group hierarchy, with one delivery row per receiving group.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    origin_key TEXT NOT NULL,
    author_platform TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    text TEXT NOT NULL,
    -- Set for notices fired by a schedule: "<schedule id>@<fire time>", so a fire posts once.
    fire_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    sender_reminded_at TEXT
);

CREATE TABLE notice_deliveries (
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    group_key TEXT NOT NULL,
    group_name TEXT NOT NULL,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    depth INTEGER NOT NULL,
    -- held: waiting for a reviewing level's approval; queued: in the outbox.
    state TEXT NOT NULL CHECK (state IN ('held', 'queued')),
    outbox_key TEXT NOT NULL UNIQUE,
    queued_at TEXT,
    confirmed_at TEXT,
    confirmed_by TEXT NOT NULL DEFAULT '',
    reminded_at TEXT,
    PRIMARY KEY (notice_id, group_key)
);

CREATE TABLE notice_approvals (
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    group_key TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    PRIMARY KEY (notice_id, group_key)
);

-- Scheduled notices made by command or read from bot.toml; APScheduler keeps the timing.
CREATE TABLE notice_schedules (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    group_key TEXT NOT NULL,
    subtree INTEGER NOT NULL,
    spec TEXT NOT NULL,
    text TEXT NOT NULL,
    author_platform TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    config_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);
