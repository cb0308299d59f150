"""The persisted outbox in SQLite (the protocol: :mod:`bot.store.outbox`)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.message import Button, ChatRef, Mention, Reply
from bot.privacy import for_chat
from bot.store.outbox import (
    OutboxItem,
    action_from_json,
    action_to_json,
    attachment_from_json,
    attachment_to_json,
)
from bot.store.sqlite.base import Database, from_db, to_db


class SqliteOutboxRepo:
    """The ``outbox`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def enqueue(self, reply: Reply, now: datetime, dedupe_key: str | None = None) -> int | None:
        """Queue a reply; None if a row with the same ``dedupe_key`` already exists.

        Every reply passes here, so this is where group texts are masked: no path can miss it.
        """
        async with self.db.tx():
            cur = await self.db.execute(_ENQUEUE, _enqueue_row(reply, now, dedupe_key))
            return cur.lastrowid if cur.rowcount == 1 else None

    async def enqueue_all(self, replies: Sequence[Reply], now: datetime) -> None:
        """Queue a handler's replies (no dedupe key) within the caller's transaction; they
        reach the database with its next statement or its commit (masked like any reply)."""
        async with self.db.tx():
            for reply in replies:
                self.db.defer(_ENQUEUE, _enqueue_row(reply, now, None))

    async def queued_keys(self, keys: Collection[str]) -> set[str]:
        """Which of these dedupe keys are already in the outbox (one index probe each, in bulk)."""
        found: set[str] = set()
        wanted = list(keys)
        for i in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
            chunk = wanted[i:i + 500]
            rows = await self.db.fetchall(
                f"SELECT dedupe_key FROM outbox WHERE dedupe_key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(r["dedupe_key"] for r in rows)
        return found

    async def due(
        self, platform: str, now: datetime, limit: int, busy_chats: Collection[str] = ()
    ) -> list[OutboxItem]:
        """The oldest pending send of each chat that is due, skipping chats in flight."""
        rows = await self.db.fetchall(_DUE, (platform, to_db(now), limit + len(busy_chats)))
        items = [_item(r) for r in rows if r["chat_id"] not in busy_chats]
        return items[:limit]

    async def due_and_next(
        self, platform: str, now: datetime, limit: int, busy_chats: Collection[str] = ()
    ) -> tuple[list[OutboxItem], datetime | None]:
        """:meth:`due` and :meth:`next_due_at` in one look: with the commit of the transaction
        under way, if there is one (the worker is woken by commits), else a trip of its own."""
        [rows, [row]] = await self.db.fetch_committed([
            (_DUE, (platform, to_db(now), limit + len(busy_chats))), (_NEXT_DUE, (platform,))])
        items = [_item(r) for r in rows if r["chat_id"] not in busy_chats]
        return items[:limit], from_db(row["t"]) if row["t"] else None

    async def pending(self, platform: str) -> list[OutboxItem]:
        """Every pending send of a platform in the order it was queued."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE platform = ? AND status = 'pending' ORDER BY id",
            (platform,),
        )
        return [_item(r) for r in rows]

    async def next_due_at(self, platform: str) -> datetime | None:
        """When the earliest pending send of a platform is due, if there is one."""
        row = await self.db.fetchone(_NEXT_DUE, (platform,))
        return from_db(row["t"]) if row and row["t"] else None

    async def mark_sent(self, item_id: int, platform_message_id: str | None, now: datetime) -> None:
        """Record a successful send, ahead of queued work: until it commits, a crash repeats it."""
        await self.db.commit_now(_MARK_SENT, (platform_message_id, to_db(now), item_id))

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]], now: datetime) -> None:
        """Record several successful sends (id, platform message id) in one commit, ahead of
        queued work."""
        stamp = to_db(now)
        await self.db.commit_many(_MARK_SENT, [(message_id, stamp, item_id) for item_id, message_id in sent])

    async def mark_retry(
        self, item_id: int, error: str, retry_at: datetime, *, count: bool = True
    ) -> None:
        """Record a failed attempt (``count=False``: one that does not count) and the next try."""
        if retry_at.microsecond:  # times are stored to the second: never retry before asked
            retry_at = retry_at.replace(microsecond=0) + timedelta(seconds=1)
        async with self.db.tx():
            await self.db.execute(
                """UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?
                   WHERE id = ?""",
                (int(count), error[:500], to_db(retry_at), item_id),
            )

    async def mark_failed(self, item_id: int, error: str) -> None:
        """Give up on a send."""
        async with self.db.tx():
            await self.db.execute(
                """UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
                   WHERE id = ?""",
                (error[:500], item_id),
            )

    async def by_dedupe_key(self, key: str) -> OutboxItem | None:
        """The send queued under ``key``, if any."""
        row = await self.db.fetchone("SELECT * FROM outbox WHERE dedupe_key = ?", (key,))
        return _item(row) if row else None

    async def items(self, platform: str | None = None, status: str | None = None) -> list[OutboxItem]:
        """Queued sends, oldest first, optionally filtered."""
        sql, params = "SELECT * FROM outbox WHERE 1 = 1", list[str]()
        if platform:
            sql, params = sql + " AND platform = ?", [*params, platform]
        if status:
            sql, params = sql + " AND status = ?", [*params, status]
        return [_item(r) for r in await self.db.fetchall(sql + " ORDER BY id", params)]


_ENQUEUE = """INSERT INTO outbox (platform, chat_id, text, mentions, buttons, edit_message_id,
                  action, attachment, dedupe_key, next_attempt_at, created_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (dedupe_key) DO NOTHING"""
#: The oldest pending send of each chat, if it is due.
_DUE = """SELECT o.*, EXISTS (SELECT 1 FROM outbox m WHERE m.platform = o.platform
                        AND m.chat_id = o.chat_id AND m.status = 'pending' AND m.id > o.id) AS more
          FROM outbox o
          WHERE o.platform = ? AND o.status = 'pending' AND o.next_attempt_at <= ?
            AND o.id = (SELECT MIN(i.id) FROM outbox i WHERE i.platform = o.platform
                        AND i.chat_id = o.chat_id AND i.status = 'pending')
          ORDER BY o.id LIMIT ?"""
_NEXT_DUE = """SELECT MIN(o.next_attempt_at) AS t FROM outbox o
               WHERE o.platform = ? AND o.status = 'pending'
                 AND o.id = (SELECT MIN(i.id) FROM outbox i WHERE i.platform = o.platform
                             AND i.chat_id = o.chat_id AND i.status = 'pending')"""
_MARK_SENT = """UPDATE outbox SET status = 'sent', platform_message_id = ?, sent_at = ?,
                    attempts = attempts + 1 WHERE id = ?"""


def _enqueue_row(reply: Reply, now: datetime, dedupe_key: str | None) -> tuple[Any, ...]:
    """The outbox row of a reply, masked for its chat (every reply passes here)."""
    reply = for_chat(reply)
    stamp = to_db(now)
    return (
        reply.chat.platform,
        reply.chat.chat_id,
        reply.text,
        json.dumps([[m.user_id, m.name] for m in reply.mentions], ensure_ascii=False),
        json.dumps([[b.label, b.command] for b in reply.buttons], ensure_ascii=False),
        reply.edit_message_id,
        action_to_json(reply.action),
        attachment_to_json(reply.attachment),
        dedupe_key,
        stamp,
        stamp,
    )


def _item(r: aiosqlite.Row) -> OutboxItem:
    reply = Reply(
        chat=ChatRef(r["platform"], r["chat_id"]),
        text=r["text"],
        mentions=tuple(Mention(uid, name) for uid, name in json.loads(r["mentions"])),
        buttons=tuple(Button(label, cmd) for label, cmd in json.loads(r["buttons"])),
        edit_message_id=r["edit_message_id"],
        action=action_from_json(r["action"]),
        attachment=attachment_from_json(r["attachment"]),
    )
    return OutboxItem(
        id=r["id"],
        reply=reply,
        attempts=r["attempts"],
        dedupe_key=r["dedupe_key"],
        status=r["status"],
        platform_message_id=r["platform_message_id"],
        created_at=from_db(r["created_at"]),
        sent_at=from_db(r["sent_at"]) if r["sent_at"] else None,
        next_attempt_at=from_db(r["next_attempt_at"]),
        more_in_chat=bool(r["more"]) if "more" in r.keys() else False,
    )
