-- Who did what, when: exports, purges, notice approvals, role changes. Newest first by `at`.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_platform TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);

-- Retention ([privacy] in bot.toml). A purged message keeps only its dedup key and handled_at,
-- so a redelivered old update is still recognised as seen.
ALTER TABLE messages ADD COLUMN purged_at TEXT;
CREATE INDEX messages_to_purge ON messages (received_at) WHERE purged_at IS NULL;
-- What the bot sent (owner pushes repeat phones and ID numbers) goes on the same schedule.
CREATE INDEX outbox_to_purge ON outbox (created_at) WHERE text != '';

-- Closed tickets whose phone, ID and address were masked; never reprocessed.
ALTER TABLE tickets ADD COLUMN anonymised_at TEXT;
CREATE INDEX tickets_to_anonymise ON tickets (updated_at)
    WHERE anonymised_at IS NULL AND status IN ('done', 'rejected');
