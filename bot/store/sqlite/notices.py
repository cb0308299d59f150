"""Notices, deliveries, approvals and schedules in SQLite (the protocol: :mod:`bot.store.notices`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import aiosqlite

from bot.store.notices import Delivery, Notice, Schedule
from bot.store.sqlite.base import Database, from_db, to_db


class SqliteNoticeRepo:
    """The ``notices``, ``notice_deliveries``, ``notice_approvals`` and ``notice_schedules`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def create(
        self, origin_key: str, author: tuple[str, str, str], text: str, now: datetime,
        fire_key: str | None = None,
    ) -> Notice | None:
        """Store a notice and give it the next code; None if ``fire_key`` already posted one."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO notices (code, origin_key, author_platform, author_id, author_name,
                       text, fire_key, created_at)
                   VALUES ('', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fire_key) DO NOTHING""",
                (origin_key, *author, text, fire_key, to_db(now)),
            )
            if cur.rowcount != 1:
                return None
            code = f"N{cur.lastrowid}"
            await self.db.execute("UPDATE notices SET code = ? WHERE id = ?", (code, cur.lastrowid))
            notice = await self.get(code)
            assert notice is not None
            return notice

    async def get(self, code: str) -> Notice | None:
        """A notice by code."""
        row = await self.db.fetchone("SELECT * FROM notices WHERE code = ?", (code,))
        return _notice(row) if row else None

    async def recent(self, limit: int = 10) -> list[Notice]:
        """The newest notices first."""
        rows = await self.db.fetchall("SELECT * FROM notices ORDER BY id DESC LIMIT ?", (limit,))
        return [_notice(r) for r in rows]

    async def recent_for(self, platform: str, user_id: str, group_keys: Collection[str],
                         limit: int = 10) -> list[Notice]:
        """The newest notices a person wrote, or that started in or reached (not held) ``group_keys``."""
        keys = list(group_keys)
        marks = ", ".join("?" * len(keys)) or "NULL"
        rows = await self.db.fetchall(
            f"""SELECT * FROM notices n
                WHERE (n.author_platform = ? AND n.author_id = ?) OR n.origin_key IN ({marks})
                   OR EXISTS (SELECT 1 FROM notice_deliveries d WHERE d.notice_id = n.id
                              AND d.state != 'held' AND d.group_key IN ({marks}))
                ORDER BY n.id DESC LIMIT ?""",
            (platform, user_id, *keys, *keys, limit),
        )
        return [_notice(r) for r in rows]

    async def add_delivery(
        self, notice: Notice, group_key: str, group_name: str, platform: str, chat_id: str,
        depth: int, held: bool,
    ) -> str:
        """Record that a group is to receive a notice; returns its outbox dedupe key."""
        key = f"notice:{notice.id}:{group_key}"
        async with self.db.tx():
            await self.db.execute(
                """INSERT INTO notice_deliveries (notice_id, group_key, group_name, platform,
                       chat_id, depth, state, outbox_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT DO NOTHING""",
                (notice.id, group_key, group_name, platform, chat_id, depth,
                 "held" if held else "queued", key),
            )
        return key

    async def mark_queued(self, notice: Notice, group_key: str, now: datetime) -> None:
        """A held delivery was released into the outbox."""
        async with self.db.tx():
            await self.db.execute(
                """UPDATE notice_deliveries SET state = 'queued', queued_at = ?
                   WHERE notice_id = ? AND group_key = ?""",
                (to_db(now), notice.id, group_key),
            )

    async def deliveries(self, notice: Notice) -> list[Delivery]:
        """Every group of a notice with its send state, top of the hierarchy first."""
        rows = await self.db.fetchall(
            """SELECT d.*, o.status AS send_status, o.sent_at AS sent_at,
                      COALESCE(o.last_error, '') AS last_error
               FROM notice_deliveries d LEFT JOIN outbox o ON o.dedupe_key = d.outbox_key
               WHERE d.notice_id = ? ORDER BY d.depth, d.rowid""",
            (notice.id,),
        )
        return [_delivery(r) for r in rows]

    async def approve(self, notice: Notice, group_key: str, who: str, now: datetime) -> bool:
        """Record a reviewing level's approval; False if it was already approved."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO notice_approvals (notice_id, group_key, approved_by, approved_at)
                   VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (notice.id, group_key, who, to_db(now)),
            )
            return cur.rowcount == 1

    async def approvals(self, notice: Notice) -> set[str]:
        """Groups whose reviewers approved the notice."""
        rows = await self.db.fetchall(
            "SELECT group_key FROM notice_approvals WHERE notice_id = ?", (notice.id,)
        )
        return {r["group_key"] for r in rows}

    async def confirm(self, notice: Notice, group_key: str, who: str, now: datetime) -> bool:
        """A group's owner confirms receipt; False if already confirmed."""
        async with self.db.tx():
            cur = await self.db.execute(
                """UPDATE notice_deliveries SET confirmed_at = ?, confirmed_by = ?
                   WHERE notice_id = ? AND group_key = ? AND confirmed_at IS NULL""",
                (to_db(now), who, notice.id, group_key),
            )
            return cur.rowcount == 1

    async def unconfirmed(self, group_keys: Collection[str], limit: int = 20) -> list[tuple[Notice, str]]:
        """Notices sent to ``group_keys`` and not yet confirmed there, newest first: (notice, group key)."""
        keys = list(group_keys)
        if not keys:
            return []
        rows = await self.db.fetchall(
            f"""SELECT n.*, d.group_key AS delivered_to FROM notice_deliveries d
                JOIN notices n ON n.id = d.notice_id
                WHERE d.confirmed_at IS NULL AND d.state = 'queued'
                  AND d.group_key IN ({", ".join("?" * len(keys))})
                ORDER BY d.notice_id DESC LIMIT ?""",
            (*keys, limit),
        )
        return [(_notice(r), str(r["delivered_to"])) for r in rows]

    async def due_reminders(self, before: datetime) -> list[tuple[Notice, Delivery]]:
        """Sent, unconfirmed, never reminded deliveries that reached their group before ``before``.

        Read through the unconfirmed-deliveries index (its WHERE repeated, so SQLite uses it),
        each notice read once: the minute's scan does not grow with the outbox or the year.
        """
        rows = await self.db.fetchall(
            """SELECT d.*, o.status AS send_status, o.sent_at AS sent_at,
                      COALESCE(o.last_error, '') AS last_error
               FROM notice_deliveries d INDEXED BY notice_deliveries_unconfirmed
               JOIN outbox o ON o.dedupe_key = d.outbox_key
               WHERE d.confirmed_at IS NULL AND d.state = 'queued' AND d.reminded_at IS NULL
                 AND o.status = 'sent' AND o.sent_at <= ?
               ORDER BY d.notice_id, d.depth""",
            (to_db(before),),
        )
        ids = sorted({r["notice_id"] for r in rows})
        notices = {n.id: n for n in [_notice(r) for r in await self.db.fetchall(
            f"SELECT * FROM notices WHERE id IN ({','.join('?' * len(ids))})", ids)]} if ids else {}
        return [(notices[r["notice_id"]], _delivery(r)) for r in rows]

    async def mark_reminded(self, notice: Notice, group_key: str, now: datetime) -> None:
        """Record that a group was reminded (it is reminded once)."""
        async with self.db.tx():
            await self.db.execute(
                """UPDATE notice_deliveries SET reminded_at = ?
                   WHERE notice_id = ? AND group_key = ?""",
                (to_db(now), notice.id, group_key),
            )

    async def add_schedule(
        self, group_key: str, subtree: bool, spec: str, text: str,
        author: tuple[str, str, str], now: datetime, config_key: str | None = None,
    ) -> Schedule:
        """Store a schedule (a config schedule is stored once under its key)."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO notice_schedules (code, group_key, subtree, spec, text,
                       author_platform, author_id, author_name, config_key, created_at)
                   VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (config_key) DO UPDATE SET group_key = excluded.group_key,
                       subtree = excluded.subtree, spec = excluded.spec, text = excluded.text""",
                (group_key, int(subtree), spec, text, *author, config_key, to_db(now)),
            )
            if config_key is not None:
                row = await self.db.fetchone(
                    "SELECT id FROM notice_schedules WHERE config_key = ?", (config_key,))
                assert row is not None
                sid = int(row["id"])
            else:
                sid = int(cur.lastrowid or 0)
            await self.db.execute(
                "UPDATE notice_schedules SET code = ? WHERE id = ? AND code = ''", (f"S{sid}", sid))
            schedule = await self.schedule(f"S{sid}")
            assert schedule is not None
            return schedule

    async def schedule(self, code: str) -> Schedule | None:
        """A schedule by code."""
        row = await self.db.fetchone("SELECT * FROM notice_schedules WHERE code = ?", (code,))
        return _schedule(row) if row else None

    async def schedules(self, include_inactive: bool = False) -> list[Schedule]:
        """Active schedules (or every one), oldest first."""
        sql = "SELECT * FROM notice_schedules"
        if not include_inactive:
            sql += " WHERE cancelled_at IS NULL AND finished_at IS NULL"
        return [_schedule(r) for r in await self.db.fetchall(sql + " ORDER BY id")]

    async def finish_schedule(self, schedule: Schedule, now: datetime) -> None:
        """A one-off schedule has had its one occurrence."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE notice_schedules SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                (to_db(now), schedule.id))

    async def cancel_schedule(self, schedule: Schedule, now: datetime) -> None:
        """Stop a schedule for good."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE notice_schedules SET cancelled_at = ? WHERE id = ?", (to_db(now), schedule.id))


def _ts(value: str | None) -> datetime | None:
    return from_db(value) if value else None


def _notice(r: aiosqlite.Row) -> Notice:
    return Notice(r["id"], r["code"], r["origin_key"], r["author_platform"], r["author_id"],
                  r["author_name"], r["text"], from_db(r["created_at"]))


def _delivery(r: aiosqlite.Row) -> Delivery:
    return Delivery(
        r["notice_id"], r["group_key"], r["group_name"], r["platform"], r["chat_id"], r["depth"],
        r["state"], r["outbox_key"], _ts(r["queued_at"]), _ts(r["confirmed_at"]),
        r["confirmed_by"], _ts(r["reminded_at"]), r["send_status"], _ts(r["sent_at"]),
        r["last_error"],
    )


def _schedule(r: aiosqlite.Row) -> Schedule:
    return Schedule(r["id"], r["code"], r["group_key"], bool(r["subtree"]), r["spec"], r["text"],
                    r["author_platform"], r["author_id"], r["author_name"], r["config_key"],
                    r["cancelled_at"] is not None, r["finished_at"] is not None)
