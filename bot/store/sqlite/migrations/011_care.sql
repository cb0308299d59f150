-- The daily check-in of vulnerable households (每日平安问询, [care] in bot.toml), issue #11.

-- One row per linked member asked about one household on one local day; the answer, if any,
-- and the urgent errand a "需要帮助" opened. UNIQUE: asked once a day, across restarts.
CREATE TABLE care_checkins (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'ok', 'help')),
    answered_at TEXT,
    ticket_code TEXT NOT NULL DEFAULT '',
    UNIQUE (day, household_id, platform, user_id)
);
-- A private "1" looks up the sender's check-ins of today.
CREATE INDEX care_by_person ON care_checkins (platform, user_id, day);
