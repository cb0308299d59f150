-- Policy Q&A (政策问答), issue #12: the FAQ entries and residents' questions no entry answered.

-- One entry per question with its phrasings; ``id`` is the one given on import (F12) or FQ +
-- the question's number when an owner's answer was saved (FQ3). ``variants`` is a JSON array.
-- ``valid_until`` (a date, inclusive) NULL = no end; ``scope`` '' = every group, else a group
-- key: that group and the groups below it. ``seq`` orders entries and pages through them.
CREATE TABLE faq (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL CHECK (question != ''),
    variants TEXT NOT NULL DEFAULT '[]',
    answer TEXT NOT NULL CHECK (answer != ''),
    source TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    valid_until TEXT,
    scope TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);

-- Bumped by every change to ``faq``: a running bot rebuilds its index only when it moved.
CREATE TABLE faq_version (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    version INTEGER NOT NULL
);
INSERT INTO faq_version (one, version) VALUES (1, 0);

-- A resident's question in a group that no entry answered, for the group's owners (code Q<id>).
-- ``answer`` set = answered in the group; ``faq_id`` set = saved as that FAQ entry.
CREATE TABLE faq_questions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    group_name TEXT NOT NULL,
    asker_id TEXT NOT NULL,
    asker_name TEXT NOT NULL,
    text TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT,
    faq_id TEXT
);
-- The owner's list of open questions of a group.
CREATE INDEX faq_questions_open ON faq_questions (group_key, id) WHERE answer IS NULL;
