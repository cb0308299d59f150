-- Ticket kinds are declared in bot/kinds.py and checked there (NewTicket refuses an undeclared
-- kind): the CHECK (kind IN ('errand', 'verification', 'rumor')) of 001 would refuse every new
-- kind. SQLite cannot drop a CHECK, so tickets is made again with the same columns, in the same
-- order, and every index. Migrations run in a transaction with foreign keys on, where
-- PRAGMA foreign_keys cannot be turned off: the checks are deferred to the commit instead.
-- Dropping tickets counts a violation for each event and rating row; inserting each row back
-- into the table named tickets (not renaming a copy, which SQLite does not count as a fix)
-- resolves them, so the commit finds none.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE tickets_old AS SELECT * FROM tickets;
DROP TABLE tickets;

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
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
    updated_at TEXT NOT NULL,
    anonymised_at TEXT,
    household_id INTEGER REFERENCES households (id) ON DELETE SET NULL,
    grid_key TEXT NOT NULL DEFAULT ''
);

INSERT INTO tickets (id, code, kind, category, priority, status, group_key, group_name,
    platform, chat_id, requester_id, requester_name, text, address, assignee, handler_id,
    handler_name, verdict, message_id, created_at, updated_at, anonymised_at, household_id,
    grid_key)
SELECT id, code, kind, category, priority, status, group_key, group_name,
    platform, chat_id, requester_id, requester_name, text, address, assignee, handler_id,
    handler_name, verdict, message_id, created_at, updated_at, anonymised_at, household_id,
    grid_key
FROM tickets_old;
DROP TABLE tickets_old;

CREATE INDEX tickets_group_status ON tickets (group_key, status);
CREATE INDEX tickets_requester ON tickets (platform, requester_id);
CREATE INDEX tickets_requester_group_time ON tickets (platform, requester_id, group_key, created_at);
CREATE INDEX tickets_to_anonymise ON tickets (updated_at)
    WHERE anonymised_at IS NULL AND status IN ('done', 'rejected');
CREATE INDEX tickets_by_grid ON tickets (grid_key, status) WHERE grid_key != '';
-- Made first by the rumour library's migration (012), dropped with the old table above.
CREATE INDEX tickets_open_rumors ON tickets (created_at)
    WHERE kind = 'rumor' AND status NOT IN ('done', 'rejected');
