-- Scheduled jobs and listings read only what they show (issue #13): open tickets are a small
-- slice of a year's million, so they get partial indexes the SLA scan, the digest and 待办 use.
CREATE INDEX tickets_open_created ON tickets (created_at)
    WHERE status NOT IN ('done', 'rejected');
CREATE INDEX tickets_open_group ON tickets (group_key, kind, priority, created_at)
    WHERE status NOT IN ('done', 'rejected');
-- 待办 pages through open tickets urgent first, then by id: a keyset range of this index.
CREATE INDEX tickets_open_order ON tickets ((priority != 'urgent'), id)
    WHERE status NOT IN ('done', 'rejected');
-- The digest's "done today" and "new in 24 hours": one index range each.
CREATE INDEX tickets_done_at ON tickets (updated_at, group_key) WHERE status = 'done';
CREATE INDEX tickets_created ON tickets (created_at);
