-- The rumour library (谣言库) and reports of one claim joined on one ticket, issue #12.

-- One entry per claim with its official verdict; ``id`` is the one given on import (L12) or
-- the ticket's code behind "L" when a verdict on a rumour ticket added it (LR7).
-- ``seq`` orders entries (and pages through them); ``retired_at`` set = no longer matched.
CREATE TABLE rumors (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    claim TEXT NOT NULL CHECK (claim != ''),
    verdict TEXT NOT NULL CHECK (verdict IN ('false', 'true', 'misleading', 'unverified')),
    refutation TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    ticket_code TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    retired_at TEXT
);

-- Bumped by every change to ``rumors``: a running bot reloads its in-memory index when another
-- process (gridbot rumors import) changed the library, and only then.
CREATE TABLE rumor_library_version (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    version INTEGER NOT NULL
);
INSERT INTO rumor_library_version (one, version) VALUES (1, 0);

-- Everyone who reported the claim of one rumour ticket (the first reporter too), and where:
-- when the verdict comes, every reporter's group hears it once.
CREATE TABLE rumor_reports (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    group_name TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX rumor_reports_ticket ON rumor_reports (ticket_id, id);

-- Open rumour tickets of the last hours, where a new report of the same claim joins one.
CREATE INDEX tickets_open_rumors ON tickets (created_at)
    WHERE kind = 'rumor' AND status NOT IN ('done', 'rejected');
