-- Every inbound message, stored before it is acted on.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    platform_message_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'text',
    text TEXT NOT NULL,
    is_group INTEGER NOT NULL,
    mentions_me INTEGER NOT NULL DEFAULT 0,
    tapped_message_id TEXT,
    sender_is_admin INTEGER NOT NULL DEFAULT 0,
    chat_title TEXT NOT NULL DEFAULT '',
    sent_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    handled_at TEXT,
    UNIQUE (platform, chat_id, platform_message_id)
);
CREATE INDEX messages_unhandled ON messages (handled_at) WHERE handled_at IS NULL;

CREATE TABLE ticket_seq (
    kind TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('errand', 'verification', 'rumor')),
    category TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
    status TEXT NOT NULL,
    group_key TEXT NOT NULL,
    group_name TEXT NOT NULL,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    text TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    assignee TEXT NOT NULL DEFAULT '',
    handler_id TEXT NOT NULL DEFAULT '',
    handler_name TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '',
    message_id INTEGER REFERENCES messages (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tickets_group_status ON tickets (group_key, status);
CREATE INDEX tickets_requester ON tickets (platform, requester_id);

-- Full status history: who, when, from -> to, note.
CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ratings (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    rater_id TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);

-- Everything the bot says, persisted before it is sent.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    text TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    buttons TEXT NOT NULL DEFAULT '[]',
    edit_message_id TEXT,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    platform_message_id TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (platform, status, next_attempt_at, id);
CREATE INDEX outbox_chat ON outbox (platform, chat_id, status, id);

-- Groups registered at run time with 绑定 (in addition to those in bot.toml).
CREATE TABLE bound_groups (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
