-- Volunteers who signed up for a team ([[teams]] in bot.toml), one sign-up per person.
CREATE TABLE volunteers (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    team_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (platform, user_id)
);
CREATE INDEX volunteers_team ON volunteers (team_key, status, name);
CREATE INDEX volunteers_name ON volunteers (name);

-- Who holds which ticket: taken by a claim (抢单) or handed over (指派); given back: returned_at.
CREATE TABLE volunteer_tasks (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id),
    how TEXT NOT NULL CHECK (how IN ('claim', 'assign')),
    taken_at TEXT NOT NULL,
    returned_at TEXT,
    reason TEXT NOT NULL DEFAULT ''
);
-- At most one volunteer holds a ticket at a time, whatever process writes.
CREATE UNIQUE INDEX volunteer_tasks_holder ON volunteer_tasks (ticket_id) WHERE returned_at IS NULL;
CREATE INDEX volunteer_tasks_by_volunteer ON volunteer_tasks (volunteer_id, taken_at);
CREATE INDEX volunteer_tasks_taken ON volunteer_tasks (taken_at);

-- Errands posted to a team's group; escalated_at once reposted and the owners told.
CREATE TABLE dispatches (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
    team_key TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    escalated_at TEXT
);
CREATE INDEX dispatches_waiting ON dispatches (posted_at) WHERE escalated_at IS NULL;
