-- The SLA scan reads only what is due (issue #13): each unfinished ticket's next reminder or
-- escalation moment is kept here, so a scan is one range of an index however many tickets are
-- open. '' means "work it out again": a new ticket, or one whose phase or holder changed.
CREATE TABLE sla_due (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    due_at TEXT NOT NULL
);
CREATE INDEX sla_due_at ON sla_due (due_at);
-- The [sla] rules the moments above were worked out with: other rules, every moment again.
CREATE TABLE sla_rules (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rules TEXT NOT NULL
);
-- Kept by triggers, so every path that files or changes a ticket keeps the plan without one
-- more round trip. A migration that rebuilds `tickets` (as 015 did) must create them again.
CREATE TRIGGER sla_due_filed AFTER INSERT ON tickets
WHEN NEW.status NOT IN ('done', 'rejected')
BEGIN
    INSERT OR REPLACE INTO sla_due (ticket_id, due_at) VALUES (NEW.id, '');
END;
-- A new status (another phase, or finished), holder, priority, kind or filing time: another
-- deadline or another person to remind; a history note alone (an escalation) changes nothing.
CREATE TRIGGER sla_due_changed AFTER UPDATE OF status, handler_id, priority, kind, created_at ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.handler_id IS NOT NEW.handler_id
    OR OLD.priority IS NOT NEW.priority OR OLD.kind IS NOT NEW.kind
    OR OLD.created_at IS NOT NEW.created_at
BEGIN
    DELETE FROM sla_due WHERE ticket_id = NEW.id;
    INSERT INTO sla_due (ticket_id, due_at)
        SELECT NEW.id, '' WHERE NEW.status NOT IN ('done', 'rejected');
END;
-- Tickets already open when this arrives: the first scan works each out once (and finds in the
-- outbox what earlier scans told already, so nothing is told twice across the upgrade).
INSERT INTO sla_due (ticket_id, due_at)
    SELECT id, '' FROM tickets WHERE status NOT IN ('done', 'rejected');
