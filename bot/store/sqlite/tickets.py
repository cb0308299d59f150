"""Tickets, their history and ratings, in SQLite (the protocol: :mod:`bot.store.tickets`)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.floodgate import Burst
from bot.kinds import kind_of
from bot.message import Incoming
from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.tickets import NamedGroup, OpenCount, Reserved
from bot.tickets import FINAL, Closing, NewTicket, Rating, Ticket, TicketEvent

#: Open tickets, written out: SQLite uses a partial index only when the query repeats its WHERE.
OPEN_SQL = "status NOT IN ('done', 'rejected')"
assert frozenset(("done", "rejected")) == FINAL
#: How many tickets a person filed in a group lately (one index range).
_FILED_SINCE = """SELECT COUNT(*) AS n FROM tickets
                  WHERE platform = ? AND requester_id = ? AND group_key = ? AND created_at > ?"""
#: A person's latest open tickets of one kind in a group, newest first.
_RECENT_OPEN = f"""SELECT * FROM tickets
                   WHERE platform = ? AND requester_id = ? AND group_key = ? AND created_at > ?
                     AND kind = ? AND status NOT IN ({','.join('?' * len(FINAL))})
                   ORDER BY created_at DESC, id DESC LIMIT ?"""


class SqliteTicketRepo:
    """The ``tickets``, ``ticket_events`` and ``ratings`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def create(
        self, new: NewTicket, group: NamedGroup, msg: Incoming, message_row: int | None,
        now: datetime, *, household_id: int | None = None, grid_key: str = "",
        reserved: Reserved | None = None,
    ) -> Ticket:
        """Number and store a ticket, with its first history line."""
        if reserved is not None:
            return self._create_reserved(new, group, msg, message_row, now, household_id, grid_key, reserved)
        async with self.db.tx():
            # The counter moves, the ticket takes its code from it in SQL and comes back with
            # its write (RETURNING), both in one trip to the thread; the history line goes
            # with the next statement: one trip, not five.
            ts = to_db(now)
            [_, [stored]] = await self.db.fetch_many([
                ("""INSERT INTO ticket_seq (kind, last) VALUES (?, 1)
                    ON CONFLICT (kind) DO UPDATE SET last = last + 1""", (new.kind,)),
                ("""INSERT INTO tickets (code, kind, category, priority, status, group_key,
                        group_name, platform, chat_id, requester_id, requester_name, text,
                        address, message_id, created_at, updated_at, household_id, grid_key)
                    VALUES ((SELECT ? || last FROM ticket_seq WHERE kind = ?), ?, ?, ?, 'open',
                            ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                 (kind_of(new.kind).prefix, new.kind,
                  new.kind, new.category, new.priority, group.key, group.name,
                  msg.chat.platform, msg.chat.chat_id, msg.sender_id, msg.sender_name,
                  new.text, new.address, message_row, ts, ts, household_id, grid_key)),
            ])
            ticket = ticket_row(stored)
            self._event(ticket.id, now, msg.sender_id, msg.sender_name, "create", None, "open", "")
            return ticket

    async def reserve(self, kind: str) -> Reserved:
        """Read under the transaction's write lock (BEGIN IMMEDIATE goes first in its first
        trip), so no other connection can take these numbers before it commits; a ticket
        written meanwhile in this transaction is flushed before the read, and counted."""
        if not self.db.in_transaction:
            raise RuntimeError("reserve() outside a transaction")
        [[row]] = await self.db.fetch_many([(
            """SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM tickets),
                      COALESCE((SELECT last FROM ticket_seq WHERE kind = ?), 0) + 1""", (kind,))])
        return Reserved(kind, int(row[0]), int(row[1]))

    def _create_reserved(
        self, new: NewTicket, group: NamedGroup, msg: Incoming, message_row: int | None,
        now: datetime, household_id: int | None, grid_key: str, reserved: Reserved,
    ) -> Ticket:
        """The ticket as its row will read, written with the transaction's next statement.

        A number taken meanwhile (a bug) makes the insert fail: the transaction is spoiled
        and rolls back, so no ticket is ever filed under the wrong number.
        """
        if reserved.kind != new.kind:
            raise ValueError(f"numbers reserved for {reserved.kind}, not {new.kind}")
        ts = to_db(now)
        at = from_db(ts)  # as the row stores it: to the second
        ticket = Ticket(
            id=reserved.id, code=f"{kind_of(new.kind).prefix}{reserved.number}", kind=new.kind,
            category=new.category, priority=new.priority, status="open", group_key=group.key,
            group_name=group.name, platform=msg.chat.platform, chat_id=msg.chat.chat_id,
            requester_id=msg.sender_id, requester_name=msg.sender_name, text=new.text,
            address=new.address, assignee="", handler_id="", handler_name="", verdict="",
            created_at=at, updated_at=at, household_id=household_id, grid_key=grid_key)
        self.db.defer("""INSERT INTO ticket_seq (kind, last) VALUES (?, ?)
                         ON CONFLICT (kind) DO UPDATE SET last = excluded.last""",
                      (new.kind, reserved.number))
        self.db.defer(
            """INSERT INTO tickets (id, code, kind, category, priority, status, group_key,
                   group_name, platform, chat_id, requester_id, requester_name, text, address,
                   message_id, created_at, updated_at, household_id, grid_key)
               VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (ticket.id, ticket.code, new.kind, new.category, new.priority, group.key, group.name,
             msg.chat.platform, msg.chat.chat_id, msg.sender_id, msg.sender_name, new.text,
             new.address, message_row, ts, ts, household_id, grid_key))
        self._event(ticket.id, now, msg.sender_id, msg.sender_name, "create", None, "open", "")
        return ticket

    async def get(self, code: str) -> Ticket | None:
        """The ticket with this code, or None."""
        row = await self.db.fetchone("SELECT * FROM tickets WHERE code = ?", (code,))
        return ticket_row(row) if row else None

    async def update(
        self, ticket: Ticket, *, now: datetime, actor_id: str, actor_name: str, action: str,
        to_status: str | None = None, note: str = "", **fields: str,
    ) -> Ticket:
        """Change a ticket's status and/or fields and record who did it."""
        allowed = {"assignee", "handler_id", "handler_name", "verdict"}
        if set(fields) - allowed:
            raise ValueError(f"cannot update {set(fields) - allowed}")
        status = to_status or ticket.status
        sets = ", ".join(["status = ?", "updated_at = ?", *(f"{k} = ?" for k in fields)])
        async with self.db.tx():
            row = await self.db.fetchone(
                f"UPDATE tickets SET {sets} WHERE id = ? RETURNING *",
                (status, to_db(now), *fields.values(), ticket.id),
            )
            assert row is not None
            self._event(ticket.id, now, actor_id, actor_name, action, ticket.status, status, note)
            return ticket_row(row)

    async def note(self, notes: Sequence[tuple[Ticket, str]], *, now: datetime, actor_id: str,
                   actor_name: str, action: str) -> None:
        """Add a history line to each of these tickets, status unchanged (the SLA scan's
        escalations): two statements however many, where :meth:`update` takes three each."""
        ts = to_db(now)
        async with self.db.tx():
            await self.db.executemany("UPDATE tickets SET updated_at = ? WHERE id = ?",
                                      [(ts, t.id) for t, _ in notes])
            await self.db.executemany(
                """INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                       from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [(t.id, ts, actor_id, actor_name, action, t.status, t.status, note) for t, note in notes])

    async def history(self, ticket: Ticket) -> builtins.list[TicketEvent]:
        """Every history line of a ticket, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id", (ticket.id,)
        )
        return [
            TicketEvent(from_db(r["at"]), r["actor_id"], r["actor_name"], r["action"],
                        r["from_status"], r["to_status"], r["note"])
            for r in rows
        ]

    async def list(  # noqa: A003 - reads as store.tickets.list(...)
        self, *, groups: Sequence[str] | None = None, kind: str | None = None,
        open_only: bool = False, requester: tuple[str, str] | None = None, limit: int = 0,
        filed_by: datetime | None = None, after: Ticket | None = None,
    ) -> builtins.list[Ticket]:
        """Tickets matching every filter given (``filed_by``: created at or before), urgent and
        oldest first; open ones listed ``after`` a ticket: the next page (keyset)."""
        where: builtins.list[str] = []
        params: builtins.list[Any] = []
        if groups is not None:
            where.append(f"group_key IN ({','.join('?' * len(groups))})")
            params.extend(groups)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if open_only:
            where.append(OPEN_SQL)  # literal, so the partial indexes on open tickets apply
        if filed_by is not None:
            where.append("created_at <= ?")
            params.append(to_db(filed_by))
        if after is not None:  # keyset: the tickets listed after this one, in the open order
            where.append("((priority != 'urgent'), id) > (?, ?)")
            params.extend((int(after.priority != "urgent"), after.id))
        if requester:
            where.append("platform = ? AND requester_id = ?")
            params.extend(requester)
        sql = "SELECT * FROM tickets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "(priority != 'urgent'), id" if open_only else "id"  # tickets_open_order
        sql += f" ORDER BY {order}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [ticket_row(r) for r in await self.db.fetchall(sql, params)]

    async def count_open(self, groups: Sequence[str], kind: str | None = None,
                         after: Ticket | None = None) -> int:
        """How many open tickets ``list(groups=..., kind=..., open_only=True, after=...)`` holds."""
        where = [OPEN_SQL, f"group_key IN ({','.join('?' * len(groups))})"]
        params: builtins.list[Any] = list(groups)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if after is not None:
            where.append("((priority != 'urgent'), id) > (?, ?)")
            params.extend((int(after.priority != "urgent"), after.id))
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM tickets WHERE {' AND '.join(where)}", params)
        return int(row["n"]) if row else 0

    async def open_counts(self, cutoffs: Mapping[tuple[str, str, bool], datetime]) -> builtins.list[OpenCount]:
        """Open tickets counted by group, kind and priority, and how many were filed before the
        cutoff for their kind, priority and phase (overdue); one pass over the open-ticket index."""
        cases = " ".join("WHEN kind = ? AND priority = ? AND (status = 'open') = ? THEN created_at < ?"
                         for _ in cutoffs)
        params: builtins.list[Any] = []
        for (kind, priority, accepting), cutoff in cutoffs.items():
            params += [kind, priority, int(accepting), to_db(cutoff)]
        overdue = f"SUM(CASE {cases} ELSE 0 END)" if cutoffs else "0"
        rows = await self.db.fetchall(
            f"""SELECT group_key, kind, priority, COUNT(*) AS n, {overdue} AS overdue
                FROM tickets INDEXED BY tickets_open_group WHERE {OPEN_SQL}
                GROUP BY group_key, kind, priority""", params)
        return [OpenCount(r["group_key"], r["kind"], r["priority"], r["n"], r["overdue"] or 0)
                for r in rows]

    async def done_since(self, since: datetime) -> dict[str, int]:
        """Tickets finished (done) after ``since``, by group."""
        rows = await self.db.fetchall(
            # Named: with stale statistics SQLite picks (group_key, status) and reads every done.
            """SELECT group_key, COUNT(*) AS n FROM tickets INDEXED BY tickets_done_at
               WHERE status = 'done' AND updated_at >= ? GROUP BY group_key""", (to_db(since),))
        return {r["group_key"]: r["n"] for r in rows}

    async def created_since(self, since: datetime) -> int:
        """How many tickets were filed after ``since``."""
        row = await self.db.fetchone("SELECT COUNT(*) AS n FROM tickets WHERE created_at >= ?",
                                     (to_db(since),))
        return int(row["n"]) if row else 0

    async def intake(
        self, platform: str, requester_id: str, group_key: str, kind: str, filed_after: datetime,
        open_after: datetime, limit: int,
    ) -> tuple[int, builtins.list[Ticket]]:
        """What filing a request reads first, in one trip to the database thread: how many
        tickets this person filed in this group after ``filed_after`` (the flood limit), and
        :meth:`recent_open` of ``kind`` after ``open_after`` (the repeat check)."""
        who = (platform, requester_id, group_key)
        [[count], rows] = await self.db.fetch_many([
            (_FILED_SINCE, (*who, to_db(filed_after))),
            (_RECENT_OPEN, (*who, to_db(open_after), kind, *sorted(FINAL), limit))])
        return int(count["n"]), [ticket_row(r) for r in rows]

    async def recent_open(
        self, platform: str, requester_id: str, group_key: str, kind: str, since: datetime,
        limit: int,
    ) -> builtins.list[Ticket]:
        """This person's open tickets of one kind in one group filed after ``since``, newest
        first, at most ``limit``: what a repeat check may look at, however many there are."""
        rows = await self.db.fetchall(
            _RECENT_OPEN, (platform, requester_id, group_key, to_db(since), kind, *sorted(FINAL), limit))
        return [ticket_row(r) for r in rows]

    async def flood_burst(self, platform: str, requester_id: str, group_key: str) -> Burst | None:
        """The person's latest burst of held-back requests in this group, if any."""
        row = await self.db.fetchone(
            """SELECT * FROM flood_bursts
               WHERE platform = ? AND requester_id = ? AND group_key = ?""",
            (platform, requester_id, group_key),
        )
        return _burst(row) if row else None

    async def hold(self, platform: str, requester_id: str, group_key: str, now: datetime, *,
                   new_burst: bool) -> Burst:
        """Count one request held back: the first of a new burst, or one more in the current."""
        ts = to_db(now)
        async with self.db.tx():
            if new_burst:
                await self.db.execute(
                    """INSERT INTO flood_bursts (platform, requester_id, group_key, started_at,
                           last_held_at, held) VALUES (?, ?, ?, ?, ?, 1)
                       ON CONFLICT DO UPDATE SET started_at = excluded.started_at,
                           last_held_at = excluded.last_held_at, held = 1""",
                    (platform, requester_id, group_key, ts, ts),
                )
            else:
                await self.db.execute(
                    """UPDATE flood_bursts SET last_held_at = ?, held = held + 1
                       WHERE platform = ? AND requester_id = ? AND group_key = ?""",
                    (ts, platform, requester_id, group_key),
                )
            burst = await self.flood_burst(platform, requester_id, group_key)
            assert burst is not None
            return burst

    async def say_once(self, platform: str, requester_id: str, group_key: str, topic: str,
                       now: datetime, since: datetime) -> bool:
        """Whether to give this person the reply about ``topic``: not if it was given after
        ``since`` (the message is then only counted as held back)."""
        who = (platform, requester_id, group_key, topic)
        async with self.db.tx():
            row = await self.db.fetchone(
                """SELECT said_at FROM said_once
                   WHERE platform = ? AND requester_id = ? AND group_key = ? AND topic = ?""", who)
            if row is not None and from_db(row["said_at"]) > since:
                await self.db.execute(
                    """UPDATE said_once SET held = held + 1
                       WHERE platform = ? AND requester_id = ? AND group_key = ? AND topic = ?""", who)
                return False
            await self.db.execute(
                """INSERT INTO said_once (platform, requester_id, group_key, topic, said_at, held)
                   VALUES (?, ?, ?, ?, ?, 0)
                   ON CONFLICT DO UPDATE SET said_at = excluded.said_at, held = 0""",
                (*who, to_db(now)),
            )
            return True

    async def rate(
        self, ticket: Ticket, score: int, rater_id: str, comment: str, now: datetime
    ) -> bool:
        """Store the one rating a ticket takes; False if it was already rated."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO ratings (ticket_id, score, rater_id, comment, at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING""",
                (ticket.id, score, rater_id, comment, to_db(now)),
            )
            return cur.rowcount == 1

    async def rating(self, ticket: Ticket) -> int | None:
        """The ticket's rating, if it has one."""
        row = await self.db.fetchone("SELECT score FROM ratings WHERE ticket_id = ?", (ticket.id,))
        return int(row["score"]) if row else None

    async def export_rows(self, after: int = 0, limit: int = 0, groups: Sequence[str] | None = None,
                          grids: Sequence[str] = (),
                          ) -> builtins.list[tuple[Ticket, Rating | None, Closing | None]]:
        """Every ticket with its rating and, once closed, its closing event; oldest first.
        A page at a time (keyset on id) with ``after`` (the last id read) and ``limit``;
        ``groups`` / ``grids`` narrow it to those groups' tickets or those grids' (None: all)."""
        scope, params = "", list[str]()
        if groups is not None:
            # The primary key's order, filtered: each page resumes where the last stopped, so a
            # whole download reads the table once, whatever the scope (no sort per page).
            parts = [f"t.group_key IN ({','.join('?' * len(groups))})"] if groups else []
            parts += [f"t.grid_key IN ({','.join('?' * len(grids))})"] if grids else []
            scope = f"AND ({' OR '.join(parts) or '0'})"
            params = [*groups, *grids]
        rows = await self.db.fetchall(
            f"""SELECT t.*, r.score AS rating_score, r.comment AS rating_comment,
                      r.at AS rating_at, c.at AS closed_at, c.actor_name AS closed_by,
                      c.note AS closing_note
               FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id
               LEFT JOIN ticket_events c ON c.id = (
                   SELECT e.id FROM ticket_events e WHERE e.ticket_id = t.id
                   AND e.to_status IN ('done', 'rejected') ORDER BY e.id DESC LIMIT 1)
               WHERE t.id > ? {scope} ORDER BY t.id LIMIT ?""",
            (after, *params, limit or -1)
        )
        return [
            (ticket_row(r),
             None if r["rating_score"] is None else
             Rating(int(r["rating_score"]), r["rating_comment"], from_db(r["rating_at"])),
             None if r["closed_at"] is None or r["status"] not in FINAL else
             Closing(from_db(r["closed_at"]), r["closed_by"], r["closing_note"]))
            for r in rows
        ]

    def _event(
        self, ticket_id: int | None, now: datetime, actor_id: str, actor_name: str,
        action: str, from_status: str | None, to_status: str, note: str,
    ) -> None:
        """A history line, written with the transaction's next statement or its commit."""
        self.db.defer(
            """INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                   from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (ticket_id, to_db(now), actor_id, actor_name, action, from_status, to_status, note),
        )


def _burst(r: aiosqlite.Row) -> Burst:
    return Burst(from_db(r["started_at"]), from_db(r["last_held_at"]), int(r["held"]))


def ticket_row(r: aiosqlite.Row) -> Ticket:
    """A ticket from its row (the rumour repository reads tickets too)."""
    return Ticket(
        id=r["id"], code=r["code"], kind=r["kind"], category=r["category"],
        priority=r["priority"], status=r["status"], group_key=r["group_key"],
        group_name=r["group_name"], platform=r["platform"], chat_id=r["chat_id"],
        requester_id=r["requester_id"], requester_name=r["requester_name"], text=r["text"],
        address=r["address"], assignee=r["assignee"], handler_id=r["handler_id"],
        handler_name=r["handler_name"], verdict=r["verdict"],
        created_at=from_db(r["created_at"]), updated_at=from_db(r["updated_at"]),
        household_id=r["household_id"], grid_key=r["grid_key"],
    )
