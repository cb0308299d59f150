"""FAQ entries in SQLite (the protocol: :mod:`bot.store.faq`)."""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from bot.store.faq import FaqData, FaqEntry
from bot.store.sqlite.base import Database, from_db, to_db

_BUMP = "UPDATE faq_version SET version = version + 1 WHERE one = 1"


def _entry(r: Any) -> FaqEntry:
    until = date.fromisoformat(r["valid_until"]) if r["valid_until"] else None
    data = FaqData(r["id"], r["question"], tuple(json.loads(r["variants"])), r["answer"], r["source"],
                   date.fromisoformat(r["published_at"]), until, r["scope"])
    return FaqEntry(data, from_db(r["added_at"]))


class SqliteFaqRepo:
    """The ``faq`` and ``faq_version`` tables."""

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
