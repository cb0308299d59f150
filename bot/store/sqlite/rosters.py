"""Duty rosters and the pick list's errands in SQLite (the protocol: :mod:`bot.store.rosters`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from bot.store.rosters import Duty, Shift, Swap, SwapStatus
from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.sqlite.tickets import ticket_row
from bot.tickets import Ticket

_DUTIES = """SELECT d.*, s.checkpoint, s.day, s.name AS shift_name, s.start_hm, s.end_hm,
                    s.start_at, s.end_at, s.source
             FROM roster_duties d JOIN roster_shifts s ON s.id = d.shift_id"""
_ORDER = " ORDER BY s.day, s.checkpoint, s.start_at, d.name"
#: No shift lasts longer (it ends by the same time the next day): scans of shifts under way look
#: back this far only, one range of roster_shifts_start however long the history.
_LONGEST = timedelta(days=1)


def _when(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def _shift(r: Any, name: str = "name", id_column: str = "id") -> Shift:
    return Shift(r[id_column], r["checkpoint"], r["day"], r[name], r["start_hm"], r["end_hm"],
                 from_db(r["start_at"]), from_db(r["end_at"]), r["source"])


def _duty(r: Any) -> Duty:
    return Duty(r["id"], _shift(r, "shift_name", "shift_id"), r["name"], r["platform"], r["user_id"],
                r["phone"], _when(r["checked_in_at"]), _when(r["reminded_at"]), _when(r["alerted_at"]))


def _swap(r: Any) -> Swap:
    return Swap(r["id"], r["duty_id"], r["from_name"], r["from_user"], r["to_name"], r["to_user"],
                cast(SwapStatus, r["status"]), from_db(r["asked_at"]))


class SqliteRosterRepo:
    """The roster tables."""

    def __init__(self, db: Database):
        self.db = db

    async def add_shift(self, checkpoint: str, day: str, name: str, start_hm: str, end_hm: str,
                        start_at: datetime, end_at: datetime, source: str) -> tuple[Shift, bool]:
        """The shift at these times (added if new; True when added)."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO roster_shifts (checkpoint, day, name, start_hm, end_hm, start_at,
                   end_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (checkpoint, day, name, start_hm, end_hm, to_db(start_at), to_db(end_at), source))
            row = await self.db.fetchone(
                """SELECT * FROM roster_shifts WHERE checkpoint = ? AND day = ? AND start_hm = ?
                   AND end_hm = ?""", (checkpoint, day, start_hm, end_hm))
        assert row is not None
        return _shift(row), cur.rowcount == 1

    async def shifts(self, day: str) -> list[Shift]:
        """Every checkpoint's shifts that day, by checkpoint and start."""
        rows = await self.db.fetchall(
            "SELECT * FROM roster_shifts WHERE day = ? ORDER BY checkpoint, start_at", (day,))
        return [_shift(r) for r in rows]

    async def drop_config_shifts(self, checkpoint: str, day: str) -> int:
        """Remove a day's shifts made from bot.toml where nobody checked in; how many."""
        async with self.db.tx():
            cur = await self.db.execute(
                """DELETE FROM roster_shifts WHERE checkpoint = ? AND day = ? AND source = 'config'
                   AND NOT EXISTS (SELECT 1 FROM roster_duties d WHERE d.shift_id = roster_shifts.id
                                   AND d.checked_in_at IS NOT NULL)""", (checkpoint, day))
        return int(cur.rowcount)

    async def add_duty(self, shift: Shift, name: str, platform: str, user_id: str,
                       phone: str) -> bool:
        """Put a person on a shift (filling in an id or phone given now); True if new."""
        async with self.db.tx():
            if user_id:
                await self.link(platform, name, user_id)
            else:
                user_id = await self.person(platform, name)
            cur = await self.db.execute(
                """INSERT INTO roster_duties (shift_id, name, platform, user_id, phone)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (shift.id, name, platform, user_id, phone))
            if cur.rowcount == 1:
                return True
            await self.db.execute(
                """UPDATE roster_duties SET user_id = CASE WHEN ? != '' THEN ? ELSE user_id END,
                   phone = CASE WHEN ? != '' THEN ? ELSE phone END WHERE shift_id = ? AND name = ?""",
                (user_id, user_id, phone, phone, shift.id, name))
        return False

    async def on_day(self, day: str, checkpoints: Sequence[str] | None = None) -> list[Duty]:
        """The duties of one day (of these checkpoints), by checkpoint, start and name."""
        where, params = "s.day = ?", [day]
        if checkpoints is not None:
            where += f" AND s.checkpoint IN ({','.join('?' * len(checkpoints))})"
            params += list(checkpoints)
        return [_duty(r) for r in await self.db.fetchall(f"{_DUTIES} WHERE {where}{_ORDER}", params)]

    async def between(self, first_day: str, last_day: str) -> list[Duty]:
        """The duties of these days, by day, checkpoint, start and name (an export)."""
        rows = await self.db.fetchall(f"{_DUTIES} WHERE s.day BETWEEN ? AND ?{_ORDER}",
                                      (first_day, last_day))
        return [_duty(r) for r in rows]

    async def of_person(self, platform: str, user_id: str, start_before: datetime,
                        end_after: datetime) -> list[Duty]:
        """A person's duties starting by ``start_before`` and ending after ``end_after``."""
        rows = await self.db.fetchall(
            f"""{_DUTIES} WHERE d.platform = ? AND d.user_id = ? AND s.start_at <= ?
                AND s.end_at > ?{_ORDER}""", (platform, user_id, to_db(start_before), to_db(end_after)))
        return [_duty(r) for r in rows]

    async def unlinked(self, checkpoint: str, platform: str, start_before: datetime,
                       end_after: datetime) -> list[Duty]:
        """Duties of the checkpoint in that window whose person has no platform id yet."""
        rows = await self.db.fetchall(
            f"""{_DUTIES} WHERE s.checkpoint = ? AND d.platform = ? AND d.user_id = ''
                AND s.start_at <= ? AND s.end_at > ? AND s.start_at > ?{_ORDER}""",
            (checkpoint, platform, to_db(start_before), to_db(end_after), to_db(end_after - _LONGEST)))
        return [_duty(r) for r in rows]

    async def person(self, platform: str, name: str) -> str:
        """The platform id a roster name was linked to, or ``""``."""
        row = await self.db.fetchone("SELECT user_id FROM roster_people WHERE platform = ? AND name = ?",
                                     (platform, name))
        return str(row["user_id"]) if row else ""

    async def link(self, platform: str, name: str, user_id: str) -> None:
        """Remember who a roster name is and fill it into every duty of that name without one."""
        async with self.db.tx():
            await self.db.execute(
                """INSERT INTO roster_people (platform, name, user_id) VALUES (?, ?, ?)
                   ON CONFLICT (platform, name) DO UPDATE SET user_id = excluded.user_id""",
                (platform, name, user_id))
            await self.db.execute(
                "UPDATE roster_duties SET user_id = ? WHERE platform = ? AND name = ? AND user_id = ''",
                (user_id, platform, name))

    async def named(self, platform: str, name: str, from_day: str) -> list[Duty]:
        """Duties of a name from ``from_day`` on, soonest first: whether someone is on the roster."""
        rows = await self.db.fetchall(
            f"{_DUTIES} WHERE d.platform = ? AND d.name = ? AND s.day >= ?{_ORDER}",
            (platform, name, from_day))
        return [_duty(r) for r in rows]

    async def check_in(self, duty: Duty, now: datetime) -> bool:
        """Record a check-in; False if already checked in."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE roster_duties SET checked_in_at = ? WHERE id = ? AND checked_in_at IS NULL",
                (to_db(now), duty.id))
        return cur.rowcount == 1

    async def to_remind(self, start_from: datetime, start_to: datetime) -> list[Duty]:
        """Duties with a known person starting in ``(start_from, start_to]`` not yet reminded."""
        rows = await self.db.fetchall(
            f"""{_DUTIES} WHERE s.start_at > ? AND s.start_at <= ? AND d.reminded_at IS NULL
                AND d.user_id != ''{_ORDER}""", (to_db(start_from), to_db(start_to)))
        return [_duty(r) for r in rows]

    async def mark_reminded(self, duty: Duty, now: datetime) -> bool:
        """Record the reminder; False if another run did it first."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE roster_duties SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
                (to_db(now), duty.id))
        return cur.rowcount == 1

    async def missed(self, started_by: datetime, now: datetime) -> list[Duty]:
        """Duties of shifts started by ``started_by`` and not over at ``now``, with no check-in
        and no alert yet."""
        rows = await self.db.fetchall(
            f"""{_DUTIES} WHERE s.start_at <= ? AND s.start_at > ? AND s.end_at > ?
                AND d.checked_in_at IS NULL AND d.alerted_at IS NULL{_ORDER}""",
            (to_db(started_by), to_db(now - _LONGEST), to_db(now)))
        return [_duty(r) for r in rows]

    async def mark_alerted(self, duties: Sequence[Duty], now: datetime) -> int:
        """Record the missed-check-in alert of these duties; how many were not yet alerted."""
        done = 0
        async with self.db.tx():
            for duty in duties:
                cur = await self.db.execute(
                    "UPDATE roster_duties SET alerted_at = ? WHERE id = ? AND alerted_at IS NULL",
                    (to_db(now), duty.id))
                done += cur.rowcount
        return done

    async def ask_swap(self, duty: Duty, to_name: str, to_user: str, now: datetime) -> Swap:
        """Record a request to hand ``duty`` to another person (earlier pending ones go void)."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE roster_swaps SET status = 'void' WHERE duty_id = ? AND status = 'pending'",
                (duty.id,))
            cur = await self.db.execute(
                """INSERT INTO roster_swaps (duty_id, from_name, from_user, to_name, to_user, asked_at)
                   VALUES (?, ?, ?, ?, ?, ?)""", (duty.id, duty.name, duty.user_id, to_name, to_user, to_db(now)))
            row = await self.db.fetchone("SELECT * FROM roster_swaps WHERE id = ?", (cur.lastrowid,))
        assert row is not None
        return _swap(row)

    async def swap(self, swap_id: int) -> Swap | None:
        """One swap request."""
        row = await self.db.fetchone("SELECT * FROM roster_swaps WHERE id = ?", (swap_id,))
        return _swap(row) if row else None

    async def decide_swap(self, swap: Swap, accept: bool, now: datetime) -> bool:
        """Accept or decline a pending swap, handing the duty over on accept; False if not pending."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE roster_swaps SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                ("accepted" if accept else "declined", to_db(now), swap.id))
            if cur.rowcount != 1:
                return False
            if accept:  # the duty changes hands; its reminder is the new person's to get
                await self.db.execute(
                    """UPDATE roster_duties SET name = ?, user_id = ?, phone = '', reminded_at = NULL,
                       checked_in_at = NULL, alerted_at = NULL WHERE id = ?""",
                    (swap.to_name, swap.to_user, swap.duty_id))
        return True

    async def duty(self, duty_id: int) -> Duty | None:
        """One duty."""
        row = await self.db.fetchone(f"{_DUTIES} WHERE d.id = ?", (duty_id,))
        return _duty(row) if row else None

    async def open_errands(self, group_key: str, category: str, since: datetime,
                           until: datetime) -> list[Ticket]:
        """Open errands of one group and category filed in ``[since, until)``, oldest first."""
        # One range of tickets_open_group (group_key, kind, priority, created_at) per priority.
        rows = await self.db.fetchall(
            """SELECT * FROM tickets WHERE group_key = ? AND kind = 'errand' AND priority IN ('urgent', 'normal')
               AND created_at >= ? AND created_at < ? AND status NOT IN ('done', 'rejected')
               AND category = ? ORDER BY id""",
            (group_key, to_db(since), to_db(until), category))
        return [ticket_row(r) for r in rows]
