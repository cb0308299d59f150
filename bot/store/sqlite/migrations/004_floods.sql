-- Per-person flood limit on new tickets (issue 9 §5). The count "tickets this person filed in
-- this group since <time>" and the repeat check are one range scan on this index.
CREATE INDEX tickets_requester_group_time ON tickets (platform, requester_id, group_key, created_at);

-- One row per person and group once they went over the limit: when the burst began, the last
-- message held back, and how many were held. The row is the "already warned, owners told" mark,
-- kept in the database so it survives a restart and holds across processes.
CREATE TABLE flood_bursts (
    platform TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    started_at TEXT NOT NULL,
    last_held_at TEXT NOT NULL,
    held INTEGER NOT NULL,
    PRIMARY KEY (platform, requester_id, group_key)
);

-- Replies given to a person at most once per window ("您已登记过 E3", "「代买」后面请写上…"):
-- when each was last given, and how many times since it was held back.
CREATE TABLE said_once (
    platform TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    topic TEXT NOT NULL,
    said_at TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, requester_id, group_key, topic)
);
