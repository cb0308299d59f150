"""The rumour library and joined reports in SQLite (the protocol: :mod:`bot.store.rumors`)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any, cast

from bot.store.rumors import OpenClaim, ReportTally, RumorData, RumorEntry, RumorReport, Verdict
from bot.store.sqlite.base import Database, from_db, to_db
from bot.tickets import Ticket

_BUMP = "UPDATE rumor_library_version SET version = version + 1 WHERE one = 1"


def _entry(r: Any) -> RumorEntry:
    data = RumorData(r["id"], r["claim"], cast(Verdict, r["verdict"]), r["refutation"], r["source"],
                     date.fromisoformat(r["published_at"]), r["ticket_code"])
    return RumorEntry(data, from_db(r["added_at"]), from_db(r["retired_at"]) if r["retired_at"] else None)


class SqliteRumorRepo:
    """The ``rumors``, ``rumor_library_version`` and ``rumor_reports`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def add_many(self, rows: Sequence[RumorData], now: datetime) -> builtins.list[str]:
        """Add entries in one transaction; returns the ids that were already there."""
        taken: builtins.list[str] = []
        async with self.db.tx():
            for d in rows:
                cur = await self.db.execute(
                    """INSERT INTO rumors (id, claim, verdict, refutation, source, published_at,
                           ticket_code, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (id) DO NOTHING""",
                    (d.id, d.claim, d.verdict, d.refutation, d.source, d.published_at.isoformat(),
                     d.ticket_code, to_db(now)))
                if cur.rowcount != 1:
                    taken.append(d.id)
            if len(taken) < len(rows):
                await self.db.execute(_BUMP)
        return taken

    async def get(self, entry_id: str) -> RumorEntry | None:
        """One entry, retired or not."""
        row = await self.db.fetchone("SELECT * FROM rumors WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def scan(self, *, include_retired: bool = False, page: int = 1000,
                   ) -> AsyncIterator[RumorEntry]:
        """Entries in the order they were added, page by page (keyset on ``seq``)."""
        active = "" if include_retired else "AND retired_at IS NULL"
        after = 0
        while True:
            rows = await self.db.fetchall(
                f"SELECT * FROM rumors WHERE seq > ? {active} ORDER BY seq LIMIT ?", (after, page))
            for r in rows:
                yield _entry(r)
            if len(rows) < page:
                return
            after = rows[-1]["seq"]

    async def retire(self, entry_id: str, now: datetime) -> RumorEntry | None:
        """Retire an entry; returns it, or None when there is no such id."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE rumors SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                (to_db(now), entry_id))
            if cur.rowcount == 1:
                await self.db.execute(_BUMP)
            return await self.get(entry_id)

    async def version(self) -> int:
        """A number that changes whenever the library does (any process)."""
        row = await self.db.fetchone("SELECT version FROM rumor_library_version WHERE one = 1")
        return int(row["version"]) if row else 0

    async def open_claims(self, since: datetime, limit: int) -> builtins.list[OpenClaim]:
        """Open rumour tickets' claims filed after ``since``, newest first (the partial index).

        Three columns, not whole tickets: a report compares up to ``limit`` of them, and
        building that many tickets cost more than the rest of filing it.
        """
        rows = await self.db.fetchall(
            # Named: with no statistics SQLite may take the index of every open ticket, and
            # then reads all of them whenever fewer than ``limit`` rumours are open.
            """SELECT code, text FROM tickets INDEXED BY tickets_open_rumors WHERE kind = 'rumor'
               AND status NOT IN ('done', 'rejected') AND created_at > ?
               ORDER BY created_at DESC LIMIT ?""", (to_db(since), limit))
        return [OpenClaim(r[0], r[1]) for r in rows]

    async def add_report(self, ticket: Ticket, report: RumorReport) -> None:
        """Record one more report of a ticket's claim: it goes to the database thread with the
        transaction's next statement or its commit, no trip of its own."""
        async with self.db.tx():
            self.db.defer(
                """INSERT INTO rumor_reports (ticket_id, platform, chat_id, group_key, group_name,
                       requester_id, requester_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (ticket.id, report.platform, report.chat_id, report.group_key, report.group_name,
                 report.requester_id, report.requester_name, to_db(report.at)))

    async def tally(self, ticket: Ticket, group_key: str, names: int) -> ReportTally:
        """Counted in SQL on the ticket's index: a claim reported thousands of times costs a
        count, not thousands of rows."""
        [[counts], first] = await self.db.fetch_many([
            ("""SELECT COUNT(*), COUNT(DISTINCT group_key), COALESCE(SUM(group_key = ?), 0)
                FROM rumor_reports WHERE ticket_id = ?""", (group_key, ticket.id)),
            ("""SELECT group_name FROM rumor_reports WHERE ticket_id = ?
                GROUP BY group_key ORDER BY MIN(id) LIMIT ?""", (ticket.id, names))])
        return ReportTally(counts[0], counts[1], tuple(r[0] for r in first), counts[2])

    async def reports(self, ticket: Ticket) -> builtins.list[RumorReport]:
        """Every report of a ticket's claim, first first."""
        rows = await self.db.fetchall(
            "SELECT * FROM rumor_reports WHERE ticket_id = ? ORDER BY id", (ticket.id,))
        return [RumorReport(r["ticket_id"], r["platform"], r["chat_id"], r["group_key"],
                            r["group_name"], r["requester_id"], r["requester_name"], from_db(r["at"]))
                for r in rows]
