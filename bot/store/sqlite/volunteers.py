"""Volunteers, their tickets and the posted errands in SQLite (protocol: :mod:`bot.store.volunteers`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.sqlite.tickets import OPEN_SQL, ticket_row
from bot.store.volunteers import Status, Tally, Volunteer, Waiting
from bot.tickets import Ticket


def _volunteer(r: Any) -> Volunteer:
    return Volunteer(r["id"], r["platform"], r["user_id"], r["name"], r["phone"], r["team_key"],
                     cast(Status, r["status"]), r["reason"], from_db(r["created_at"]))


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class SqliteVolunteerRepo:
    """The ``volunteers``, ``volunteer_tasks`` and ``dispatches`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def sign_up(self, platform: str, user_id: str, name: str, phone: str, team_key: str,
                      now: datetime) -> tuple[Volunteer, bool]:
        """Record a sign-up (again, after a rejection); False with the existing one otherwise."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO volunteers (platform, user_id, name, phone, team_key, status, created_at)
                   VALUES (?, ?, ?, ?, ?, 'pending', ?)
                   ON CONFLICT (platform, user_id) DO UPDATE SET name = excluded.name,
                       phone = excluded.phone, team_key = excluded.team_key, status = 'pending',
                       reason = '', decided_by = '', decided_at = NULL, created_at = excluded.created_at
                   WHERE volunteers.status = 'rejected'""",
                (platform, user_id, name, phone, team_key, to_db(now)))
            found = await self.of_user(platform, user_id)
        assert found is not None
        return found, cur.rowcount == 1

    async def of_user(self, platform: str, user_id: str) -> Volunteer | None:
        """This person's sign-up, if any."""
        row = await self.db.fetchone("SELECT * FROM volunteers WHERE platform = ? AND user_id = ?",
                                     (platform, user_id))
        return _volunteer(row) if row else None

    async def named(self, name: str, teams: Sequence[str] | None = None,
                    status: Status | None = None) -> list[Volunteer]:
        """Sign-ups under this name (in these teams, with this status), oldest first."""
        sql, params = "SELECT * FROM volunteers WHERE name = ?", [name]
        if teams is not None:
            sql += f" AND team_key IN ({_marks(teams)})"
            params += teams
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        return [_volunteer(r) for r in await self.db.fetchall(sql + " ORDER BY id LIMIT 20", params)]

    async def decide(self, volunteer: Volunteer, approve: bool, reason: str, by: str,
                     now: datetime) -> Volunteer:
        """Approve or reject a sign-up."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE volunteers SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                ("approved" if approve else "rejected", reason, by, to_db(now), volunteer.id))
            row = await self.db.fetchone("SELECT * FROM volunteers WHERE id = ?", (volunteer.id,))
        assert row is not None
        return _volunteer(row)

    async def roster(self, teams: Sequence[str], limit: int) -> list[Volunteer]:
        """Sign-ups of these teams, pending first, then by team and name; at most ``limit``."""
        rows = await self.db.fetchall(
            f"""SELECT * FROM volunteers WHERE team_key IN ({_marks(teams)})
                ORDER BY status != 'pending', team_key, status, name LIMIT {int(limit)}""", teams)
        return [_volunteer(r) for r in rows]

    async def counts(self, teams: Sequence[str]) -> dict[tuple[str, str], int]:
        """How many sign-ups each (team, status) has."""
        rows = await self.db.fetchall(
            f"""SELECT team_key, status, COUNT(*) AS n FROM volunteers
                WHERE team_key IN ({_marks(teams)}) GROUP BY team_key, status""", teams)
        return {(r["team_key"], r["status"]): r["n"] for r in rows}

    async def claim(self, ticket: Ticket, volunteer: Volunteer, now: datetime) -> bool:
        """Give an open ticket to this volunteer; False if someone took it first (any process)."""
        async with self.db.tx():
            # The status test inside the UPDATE is the guard: SQLite has one writer at a time,
            # so of two claims (two taps, two processes) only the first finds it open.
            cur = await self.db.execute(
                """UPDATE tickets SET status = 'assigned', assignee = ?, handler_id = ?,
                        handler_name = ?, updated_at = ? WHERE id = ? AND status = 'open'""",
                (volunteer.name, volunteer.user_id, volunteer.name, to_db(now), ticket.id))
            if cur.rowcount != 1:
                return False
            await self._take(ticket, volunteer, "claim", now)
        return True

    async def assign(self, ticket: Ticket, volunteer: Volunteer, now: datetime) -> None:
        """Record that an owner handed the ticket to this volunteer (whoever held it before)."""
        async with self.db.tx():
            await self._take(ticket, volunteer, "assign", now)

    async def _take(self, ticket: Ticket, volunteer: Volunteer, how: str, now: datetime) -> None:
        ts = to_db(now)
        await self.db.execute(
            "UPDATE volunteer_tasks SET returned_at = ?, reason = '改派' WHERE ticket_id = ? AND returned_at IS NULL",
            (ts, ticket.id))
        await self.db.execute(
            "INSERT INTO volunteer_tasks (ticket_id, volunteer_id, how, taken_at) VALUES (?, ?, ?, ?)",
            (ticket.id, volunteer.id, how, ts))
        if how == "claim":
            await self.db.execute(
                """INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action, from_status,
                       to_status, note) VALUES (?, ?, ?, ?, 'claim', ?, 'assigned', ?)""",
                (ticket.id, ts, volunteer.user_id, volunteer.name, ticket.status, f"志愿者 {volunteer.name}"))

    async def holder(self, ticket: Ticket) -> Volunteer | None:
        """The volunteer holding the ticket now, if one does."""
        row = await self.db.fetchone(
            """SELECT v.* FROM volunteer_tasks k JOIN volunteers v ON v.id = k.volunteer_id
               WHERE k.ticket_id = ? AND k.returned_at IS NULL""", (ticket.id,))
        return _volunteer(row) if row else None

    async def give_back(self, ticket: Ticket, reason: str, now: datetime) -> None:
        """The holder gives the ticket back: it is open again, to be posted anew."""
        ts = to_db(now)
        async with self.db.tx():
            row = await self.db.fetchone(
                """SELECT v.user_id, v.name FROM volunteer_tasks k JOIN volunteers v ON v.id = k.volunteer_id
                   WHERE k.ticket_id = ? AND k.returned_at IS NULL""", (ticket.id,))
            await self.db.execute(
                "UPDATE volunteer_tasks SET returned_at = ?, reason = ? WHERE ticket_id = ? AND returned_at IS NULL",
                (ts, reason, ticket.id))
            await self.db.execute(
                """UPDATE tickets SET status = 'open', assignee = '', handler_id = '', handler_name = '',
                       updated_at = ? WHERE id = ?""", (ts, ticket.id))
            await self.db.execute(
                """INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action, from_status,
                       to_status, note) VALUES (?, ?, ?, ?, 'giveback', ?, 'open', ?)""",
                (ticket.id, ts, row["user_id"] if row else "", row["name"] if row else "", ticket.status, reason))

    async def tasks(self, volunteer: Volunteer, limit: int) -> list[Ticket]:
        """Unfinished tickets this volunteer holds, oldest first."""
        rows = await self.db.fetchall(
            f"""SELECT t.* FROM volunteer_tasks k JOIN tickets t ON t.id = k.ticket_id
                WHERE k.volunteer_id = ? AND k.returned_at IS NULL AND t.{OPEN_SQL}
                ORDER BY k.taken_at, t.id LIMIT {int(limit)}""", (volunteer.id,))
        return [ticket_row(r) for r in rows]

    async def posted(self, ticket: Ticket, team_key: str, now: datetime) -> None:
        """Record (or renew) that the ticket was posted to a team's group."""
        async with self.db.tx():
            await self.db.execute(
                """INSERT INTO dispatches (ticket_id, team_key, posted_at) VALUES (?, ?, ?)
                   ON CONFLICT (ticket_id) DO UPDATE SET team_key = excluded.team_key,
                       posted_at = excluded.posted_at, escalated_at = NULL""",
                (ticket.id, team_key, to_db(now)))

    async def waiting(self, before: datetime) -> list[Waiting]:
        """Posted errands still open and not escalated, posted at or before ``before``."""
        rows = await self.db.fetchall(
            """SELECT t.*, d.team_key AS d_team, d.posted_at AS d_posted FROM dispatches d
               JOIN tickets t ON t.id = d.ticket_id
               WHERE d.escalated_at IS NULL AND d.posted_at <= ? AND t.status = 'open'
               ORDER BY d.posted_at""", (to_db(before),))
        return [Waiting(ticket_row(r), r["d_team"], from_db(r["d_posted"])) for r in rows]

    async def escalated(self, ticket: Ticket, now: datetime) -> bool:
        """Mark a waiting errand escalated; False if it was already."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE dispatches SET escalated_at = ? WHERE ticket_id = ? AND escalated_at IS NULL",
                (to_db(now), ticket.id))
        return cur.rowcount == 1

    async def tallies(self, start: datetime, end: datetime, *, groups: Sequence[str],
                      teams: Sequence[str], by_team: bool, limit: int = 0) -> list[Tally]:
        """Tickets taken in [start, end) of these groups or by these teams' volunteers,
        counted by volunteer (or team), busiest first; at most ``limit`` (0: all)."""
        if not groups and not teams:
            return []
        key = "v.team_key" if by_team else "v.id"
        # A median in plain SQL: rank each one's finished tickets by minutes taken and average
        # the middle one (or two). Everything else is one GROUP BY over the month's tasks.
        sql = f"""
            WITH taken AS (
                SELECT {key} AS k, MIN(v.name) OVER (PARTITION BY {key}) AS name, v.team_key,
                       t.status, r.score,
                       (strftime('%s', (SELECT MIN(e.at) FROM ticket_events e
                                        WHERE e.ticket_id = t.id AND e.action = 'done'))
                        - strftime('%s', task.taken_at)) / 60.0 AS minutes
                FROM volunteer_tasks task
                JOIN volunteers v ON v.id = task.volunteer_id
                JOIN tickets t ON t.id = task.ticket_id
                LEFT JOIN ratings r ON r.ticket_id = t.id
                WHERE task.taken_at >= ? AND task.taken_at < ? AND task.returned_at IS NULL
                  AND (t.group_key IN ({_marks(groups) or "NULL"}) OR v.team_key IN ({_marks(teams) or "NULL"}))
            ),
            ranked AS (
                SELECT k, minutes, ROW_NUMBER() OVER (PARTITION BY k ORDER BY minutes) AS rn,
                       COUNT(*) OVER (PARTITION BY k) AS n
                FROM taken WHERE status = 'done' AND minutes IS NOT NULL
            ),
            medians AS (
                SELECT k, AVG(minutes) AS median FROM ranked
                WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY k
            )
            SELECT taken.k, MIN(taken.name) AS name, MIN(taken.team_key) AS team_key,
                   COUNT(*) AS taken, SUM(taken.status = 'done') AS done,
                   m.median, AVG(taken.score) AS rating
            FROM taken LEFT JOIN medians m ON m.k = taken.k
            GROUP BY taken.k ORDER BY done DESC, taken DESC, name"""
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = await self.db.fetchall(sql, [to_db(start), to_db(end), *groups, *teams])
        return [Tally(str(r["k"]), r["name"], r["team_key"], r["taken"], r["done"], r["median"], r["rating"])
                for r in rows]
