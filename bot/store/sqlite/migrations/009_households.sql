-- The household register (住户) and the people in the groups (入群成员, 实名登记), issue #11.

-- One household per normalised address within a group ("3-2-501"); re-imports update it.
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    group_key TEXT NOT NULL,
    address_key TEXT NOT NULL,
    address TEXT NOT NULL,
    head TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    members INTEGER NOT NULL DEFAULT 1 CHECK (members >= 1),
    -- Tags joined with '、' (独居老人、慢病 …); never shown in a group.
    tags TEXT NOT NULL DEFAULT '',
    grid_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (group_key, address_key)
);
CREATE INDEX households_by_grid ON households (grid_key) WHERE grid_key != '';

-- A person in a group: joined, asked to be registered (pending), approved (linked to a
-- household) or rejected. The id is the number of the registration code (J12).
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    real_name TEXT NOT NULL DEFAULT '',
    address_key TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    household_id INTEGER REFERENCES households (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('joined', 'pending', 'approved', 'rejected')),
    -- A Telegram join request: not in the group until approved; reply_chat is where the
    -- bot may write to the person meanwhile.
    via_request INTEGER NOT NULL DEFAULT 0,
    reply_chat TEXT NOT NULL DEFAULT '',
    joined_at TEXT NOT NULL,
    registered_at TEXT,
    decided_at TEXT,
    decided_by TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    reminded_at TEXT,
    UNIQUE (platform, user_id, group_key)
);
CREATE INDEX members_by_household ON members (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX members_by_group_status ON members (group_key, status);

-- Which household (and so which grid) a ticket came from.
ALTER TABLE tickets ADD COLUMN household_id INTEGER REFERENCES households (id) ON DELETE SET NULL;
ALTER TABLE tickets ADD COLUMN grid_key TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_by_grid ON tickets (grid_key, status) WHERE grid_key != '';
