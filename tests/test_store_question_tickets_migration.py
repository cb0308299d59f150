"""Migration 017 turns residents' open and answered questions (faq_questions) into tickets of
kind ``question``: codes, words, askers, answers and times survive; numbering goes on after them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.message import ChatRef, Incoming
from bot.store.sqlite import SqliteStore
from bot.tickets import NewTicket
from tests.old_schema import database_before

QUESTIONS = 17
ASKED, ANSWERED = "2026-11-20T01:00:00+00:00", "2026-11-20T02:00:00+00:00"


@dataclass(frozen=True)
class Group:
    key: str = "xingfu"
    name: str = "幸福小区居民群"


def _previous_version(path: Path) -> None:
    """A database as the release before 024 left it: three questions, two answered."""
    conn = database_before(path, QUESTIONS, ASKED)
    rows = ((3, "请问东门几点开", None, None, None), (4, "垃圾几点收", "早晚七点", "李书记", "FQ4"),
            (7, "核酸要钱吗", "免费", "李书记", "P5"))
    for qid, text, answer, who, faq_id in rows:
        conn.execute(
            "INSERT INTO faq_questions (id, platform, chat_id, group_key, group_name, asker_id, asker_name,"
            " text, asked_at, answer, answered_by, answered_at, faq_id) VALUES (?, 'console', 'g1', 'xingfu',"
            " '幸福小区居民群', 'u1', '张阿姨', ?, ?, ?, ?, ?, ?)",
            (qid, text, ASKED, answer, who, ANSWERED if answer else None, faq_id))
    conn.close()


async def test_questions_become_tickets_with_their_codes_answers_and_history(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _previous_version(path)
    store = SqliteStore(path)
    await store.open()
    try:
        waiting, saved, by_entry = [await store.tickets.get(c) for c in ("Q3", "Q4", "Q7")]
        assert waiting is not None and saved is not None and by_entry is not None
        assert (waiting.kind, waiting.category, waiting.status, waiting.text, waiting.requester_name) == (
            "question", "policy", "open", "请问东门几点开", "张阿姨")
        assert (saved.status, saved.handler_name, saved.status_label) == ("done", "李书记", "已答复")
        notes = {t.code: [(e.action, e.note) for e in await store.tickets.history(t)] for t in (saved, by_entry)}
        assert notes == {"Q4": [("create", ""), ("answer", "早晚七点")],
                         "Q7": [("create", ""), ("answer", "按问答库 P5：免费")]}
        assert [t.code for t in await store.tickets.list(kind="question", open_only=True)] == ["Q3"]
        # The next question is numbered after the last one the old table gave.
        msg = Incoming(ChatRef("console", "g1"), "u2", "王大爷", "请问", "m1", saved.created_at)
        new = await store.tickets.create(NewTicket("question", "policy", "normal", "请问", ""), Group(),
                                         msg, None, saved.created_at)
        assert new.code == "Q8"
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'faq_questions'").fetchall()
