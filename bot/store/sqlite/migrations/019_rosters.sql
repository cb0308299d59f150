-- Checkpoint duty rosters (卡点排班) and grocery pick lists (配菜单), issue #14.

-- One shift of one checkpoint on one local day. Times are UTC ISO text (they sort);
-- start_hm/end_hm are the local times as written. source: 'config' (a daily shift of
-- bot.toml, made for each day by the roster job) or 'import' (gridbot roster import).
CREATE TABLE roster_shifts (
    id INTEGER PRIMARY KEY,
    checkpoint TEXT NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    start_hm TEXT NOT NULL,
    end_hm TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('config', 'import')),
    UNIQUE (checkpoint, day, start_hm, end_hm)
);
CREATE INDEX roster_shifts_day ON roster_shifts (day, checkpoint);
CREATE INDEX roster_shifts_start ON roster_shifts (start_at);

-- One person on one shift. user_id is their platform id: given by the import, or learnt
-- once from 到岗 (roster_people). reminded_at / alerted_at: said once, across restarts.
CREATE TABLE roster_duties (
    id INTEGER PRIMARY KEY,
    shift_id INTEGER NOT NULL REFERENCES roster_shifts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    checked_in_at TEXT,
    reminded_at TEXT,
    alerted_at TEXT,
    UNIQUE (shift_id, name)
);
CREATE INDEX roster_duties_person ON roster_duties (platform, user_id);
CREATE INDEX roster_duties_name ON roster_duties (platform, name);

-- Who a roster name is on a platform, learnt once ("到岗 北门卡点 王小明") or from an import.
CREATE TABLE roster_people (
    platform TEXT NOT NULL,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (platform, name)
);

-- 换班: a person hands their duty to another rostered person, who accepts with one tap.
CREATE TABLE roster_swaps (
    id INTEGER PRIMARY KEY,
    duty_id INTEGER NOT NULL REFERENCES roster_duties (id) ON DELETE CASCADE,
    from_name TEXT NOT NULL,
    from_user TEXT NOT NULL,
    to_name TEXT NOT NULL,
    to_user TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'void')),
    asked_at TEXT NOT NULL,
    decided_at TEXT
);
