"""The SLA scan's plan in SQLite (the protocol: :mod:`bot.store.sla`).

Migration 018 keeps ``sla_due`` in step with ``tickets`` by triggers; the scan reads one range
of its ``due_at`` index and writes the next moments back.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.store.sqlite.base import Database, to_db
from bot.store.sqlite.tickets import ticket_row
from bot.tickets import Ticket


def _ceil(ts: datetime) -> str:
    """A moment at the store's one-second precision, never before it (a moment written early
    would be read as due, worked out as not yet, and read again on the next scan)."""
    return to_db(ts + timedelta(microseconds=1_000_000 - ts.microsecond) if ts.microsecond else ts)


class SqliteSlaRepo:
    """The ``sla_due`` and ``sla_rules`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def due(self, now: datetime, limit: int) -> builtins.list[Ticket]:
        """Up to ``limit`` unfinished tickets whose moment has come, earliest first."""
        rows = await self.db.fetchall(
            """SELECT t.* FROM sla_due s JOIN tickets t ON t.id = s.ticket_id
               WHERE s.due_at <= ? ORDER BY s.due_at, s.ticket_id LIMIT ?""", (to_db(now), limit))
        return [ticket_row(r) for r in rows]

    async def plan(self, moments: Mapping[int, datetime | None]) -> None:
        """When to look at each of these tickets next; None: take it out of the plan."""
        async with self.db.tx():
            await self.db.executemany("UPDATE sla_due SET due_at = ? WHERE ticket_id = ?",
                                      [(_ceil(at), i) for i, at in moments.items() if at is not None])
            await self.db.executemany("DELETE FROM sla_due WHERE ticket_id = ?",
                                      [(i,) for i, at in moments.items() if at is None])

    async def replan(self, rules: str) -> int:
        """Every unfinished ticket due at once if the rules changed; how many."""
        row = await self.db.fetchone("SELECT rules FROM sla_rules WHERE id = 1")
        if row is not None and row["rules"] == rules:
            return 0
        async with self.db.tx():
            cur = await self.db.execute("UPDATE sla_due SET due_at = '' WHERE due_at != ''")
            await self.db.execute(
                """INSERT INTO sla_rules (id, rules) VALUES (1, ?)
                   ON CONFLICT (id) DO UPDATE SET rules = excluded.rules""", (rules,))
            return cur.rowcount
