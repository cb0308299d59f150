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

-- When a resident was last told "您已登记过 <code>" for a ticket, and how many repeats since went
-- unanswered: the pointer is given at most once per window, not once per message.
CREATE TABLE repeat_answers (
    ticket_id INTEGER PRIMARY KEY,
    answered_at TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0
);
