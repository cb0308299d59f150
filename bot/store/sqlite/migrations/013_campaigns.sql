-- Campaigns (接龙 / 报名 / 投票), issue #11: an owner asks, residents answer in the group.

-- One campaign, posted to one or more groups; the code is C<id>.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rollcall', 'signup', 'vote')),
    title TEXT NOT NULL,
    -- The options, one per line (normalised to Simplified, as answers are).
    options TEXT NOT NULL,
    -- Sign-ups: how many people may sign up; NULL for no limit.
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1),
    -- Votes: 1 when nobody (not even the owner) sees who chose what.
    secret INTEGER NOT NULL DEFAULT 0,
    origin_key TEXT NOT NULL,
    author_platform TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    deadline TEXT,
    reminded_at TEXT,
    closed_at TEXT,
    -- When the closing went into the digests (each closed campaign once).
    digested_at TEXT
);
-- The jobs look for campaigns still open (to remind and close) and closed ones not digested.
CREATE INDEX campaigns_open ON campaigns (deadline) WHERE closed_at IS NULL;
CREATE INDEX campaigns_undigested ON campaigns (closed_at) WHERE closed_at IS NOT NULL AND digested_at IS NULL;

-- The groups a campaign was posted to, and when each last saw a progress line.
CREATE TABLE campaign_groups (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    group_key TEXT NOT NULL,
    progress_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, group_key)
);
CREATE INDEX campaign_groups_by_group ON campaign_groups (group_key);

-- One answer per voter: 'h:<household id>' (a household of the register), 'a:<address key>'
-- (a group with no register) or 'm:<platform>:<user id>' (a vote: one per linked member).
-- The latest answer wins; ``answers`` counts how often it was given, ``previous`` the option
-- it replaced.
CREATE TABLE campaign_answers (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    group_key TEXT NOT NULL,
    voter TEXT NOT NULL,
    household_id INTEGER REFERENCES households (id) ON DELETE SET NULL,
    address TEXT NOT NULL DEFAULT '',
    option TEXT NOT NULL,
    people INTEGER NOT NULL DEFAULT 1 CHECK (people >= 1),
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    first_at TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    answers INTEGER NOT NULL DEFAULT 1,
    previous TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, voter)
) WITHOUT ROWID;
-- Stored by (campaign, voter) alone (WITHOUT ROWID) and two indexes: each answer in a burst
-- touches three B-trees. Missing households: NOT EXISTS on (campaign, household); counts per
-- group: (campaign, group).
CREATE INDEX campaign_answers_by_household ON campaign_answers (campaign_id, household_id);
CREATE INDEX campaign_answers_by_group ON campaign_answers (campaign_id, group_key);
