-- Reports and the monthly ranking (issue #13): every figure is an aggregate over one period,
-- read through an index range of that period instead of a year of history.
-- Tickets filed in a period, with what the counts group by (covering: no table reads).
CREATE INDEX tickets_created_cover ON tickets (created_at, group_key, kind, category, priority, status, updated_at);
-- Tickets closed in a period: a closed ticket never moves again, so updated_at is when it closed.
CREATE INDEX tickets_closed_at ON tickets (updated_at, group_key, kind, category, status, handler_id, created_at)
    WHERE status IN ('done', 'rejected');
-- Ratings given in a period, and notices delivered in one.
CREATE INDEX ratings_at ON ratings (at);
CREATE INDEX notice_deliveries_queued ON notice_deliveries (queued_at) WHERE state = 'queued';
-- Time to accept: a ticket's first move out of 待处理 by a person is the first entry here.
CREATE INDEX ticket_events_first_move ON ticket_events (ticket_id, at)
    WHERE from_status = 'open' AND to_status IN ('accepted', 'assigned', 'done') AND actor_id != 'bot';
