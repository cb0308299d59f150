"""FAQ entries and open questions in SQLite (the protocol: :mod:`bot.store.faq`)."""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from bot.store.faq import FaqData, FaqEntry, NewQuestion, Question
from bot.store.sqlite.base import Database, from_db, to_db

_BUMP = "UPDATE faq_version SET version = version + 1 WHERE one = 1"


def _entry(r: Any) -> FaqEntry:
    until = date.fromisoformat(r["valid_until"]) if r["valid_until"] else None
    data = FaqData(r["id"], r["question"], tuple(json.loads(r["variants"])), r["answer"], r["source"],
                   date.fromisoformat(r["published_at"]), until, r["scope"])
    return FaqEntry(data, from_db(r["added_at"]))


def _question(r: Any) -> Question:
    asked = NewQuestion(r["platform"], r["chat_id"], r["group_key"], r["group_name"], r["asker_id"],
                        r["asker_name"], r["text"], from_db(r["asked_at"]))
    return Question(r["id"], asked, r["answer"], r["answered_by"],
                    from_db(r["answered_at"]) if r["answered_at"] else None, r["faq_id"])


class SqliteFaqRepo:
    """The ``faq``, ``faq_version`` and ``faq_questions`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def add_many(self, rows: Sequence[FaqData], now: datetime) -> builtins.list[str]:
        """Add entries in one transaction; returns the ids that were already there."""
        taken: builtins.list[str] = []
        async with self.db.tx():
            for d in rows:
                cur = await self.db.execute(
                    """INSERT INTO faq (id, question, variants, answer, source, published_at,
                           valid_until, scope, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (id) DO NOTHING""",
                    (d.id, d.question, json.dumps(list(d.variants), ensure_ascii=False), d.answer,
                     d.source, d.published_at.isoformat(),
                     d.valid_until.isoformat() if d.valid_until else None, d.scope, to_db(now)))
                if cur.rowcount != 1:
                    taken.append(d.id)
            if len(taken) < len(rows):
                await self.db.execute(_BUMP)
        return taken

    async def get(self, entry_id: str) -> FaqEntry | None:
        """One entry."""
        row = await self.db.fetchone("SELECT * FROM faq WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def scan(self, *, page: int = 1000) -> AsyncIterator[FaqEntry]:
        """Entries in the order they were added (keyset on ``seq``)."""
        after = 0
        while True:
            rows = await self.db.fetchall("SELECT * FROM faq WHERE seq > ? ORDER BY seq LIMIT ?",
                                          (after, page))
            for r in rows:
                yield _entry(r)
            if len(rows) < page:
                return
            after = rows[-1]["seq"]

    async def version(self) -> int:
        """A number that changes whenever the entries do (any process)."""
        row = await self.db.fetchone("SELECT version FROM faq_version WHERE one = 1")
        return int(row["version"]) if row else 0

    async def expire(self, entry_id: str, last_day: date) -> FaqEntry | None:
        """End an entry's validity after ``last_day``; the version moves, so indexes rebuild."""
        async with self.db.tx():
            cur = await self.db.execute("UPDATE faq SET valid_until = ? WHERE id = ?",
                                        (last_day.isoformat(), entry_id))
            if cur.rowcount == 0:
                return None
            await self.db.execute(_BUMP)
            return await self.get(entry_id)

    async def ask(self, q: NewQuestion) -> Question:
        """Record an unanswered question; returns it with its code."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO faq_questions (platform, chat_id, group_key, group_name, asker_id,
                       asker_name, text, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (q.platform, q.chat_id, q.group_key, q.group_name, q.asker_id, q.asker_name, q.text,
                 to_db(q.asked_at)))
        assert cur.lastrowid is not None
        return Question(int(cur.lastrowid), q, None, None, None, None)

    async def question(self, qid: int) -> Question | None:
        """One question by number."""
        row = await self.db.fetchone("SELECT * FROM faq_questions WHERE id = ?", (qid,))
        return _question(row) if row else None

    async def answer(self, qid: int, text: str, who: str, now: datetime) -> Question | None:
        """Record the answer of an open question; None when there is none or it was answered."""
        async with self.db.tx():
            cur = await self.db.execute(
                """UPDATE faq_questions SET answer = ?, answered_by = ?, answered_at = ?
                   WHERE id = ? AND answer IS NULL""", (text, who, to_db(now), qid))
            if cur.rowcount != 1:
                return None
            return await self.question(qid)

    async def saved(self, qid: int, faq_id: str) -> None:
        """Note that a question's answer became FAQ entry ``faq_id``."""
        async with self.db.tx():
            await self.db.execute("UPDATE faq_questions SET faq_id = ? WHERE id = ?", (faq_id, qid))

    async def open_questions(self, group_keys: Sequence[str], limit: int) -> builtins.list[Question]:
        """Unanswered questions of these groups, oldest first (the partial index)."""
        if not group_keys:
            return []
        marks = ",".join("?" * len(group_keys))
        rows = await self.db.fetchall(
            f"""SELECT * FROM faq_questions WHERE answer IS NULL AND group_key IN ({marks})
                ORDER BY id LIMIT ?""", (*group_keys, limit))
        return [_question(r) for r in rows]
