"""Inbound messages in SQLite: stored before handling, handled once (:mod:`bot.store.messages`)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.message import ChatRef, Incoming
from bot.store.errors import AlreadyStored
from bot.store.sqlite.base import Database, from_db, to_db

_INSERT = """INSERT INTO messages (platform, chat_id, sender_id, sender_name, platform_message_id,
                  kind, text, is_group, mentions_me, tapped_message_id, sender_is_admin, chat_title,
                  reply_chat_id, sent_at, received_at, handled_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (platform, chat_id, platform_message_id) DO NOTHING"""


def _row(msg: Incoming, received_at: datetime, handled_at: datetime | None) -> tuple[object, ...]:
    return (
        msg.chat.platform,
        msg.chat.chat_id,
        msg.sender_id,
        msg.sender_name,
        msg.message_id,
        msg.kind,
        msg.text,
        int(msg.is_group),
        int(msg.mentions_me),
        msg.tapped_message_id,
        int(msg.sender_is_admin),
        msg.chat_title,
        # Same platform as the message: only the chat id is kept.
        msg.reply_chat.chat_id if msg.reply_chat else None,
        to_db(msg.sent_at),
        to_db(received_at),
        to_db(handled_at) if handled_at else None,
    )


class SqliteMessageRepo:
    """The ``messages`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def record(self, msg: Incoming, received_at: datetime) -> int | None:
        """Store an inbound message; None if this platform message was seen before."""
        # One statement commits on its own: stored in one trip to the database thread.
        cur = await self.db.write_one(_INSERT, _row(msg, received_at, None))
        return cur.lastrowid if cur.rowcount == 1 else None

    async def record_handled(self, msg: Incoming, at: datetime) -> None:
        """Stored with the handler's first statement (no trip of its own), already marked
        handled: it commits with what handling it did, or not at all."""
        async with self.db.tx():
            self.db.defer_new(_INSERT, _row(msg, at, at), AlreadyStored)

    async def unhandle(self, msg: Incoming) -> int:
        """The handled mark cleared until the deferred work is done; the message's row."""
        row = await self.row_of(msg)  # in the transaction: the message is in it
        assert row is not None, "unhandle() before record_handled()"
        async with self.db.tx():
            self.db.defer("UPDATE messages SET handled_at = NULL WHERE id = ?", (row,))
        return row

    async def mark_handled(self, row_id: int, at: datetime) -> None:
        """Record that the message's effects are committed."""
        async with self.db.tx():  # with the handler's writes, in its commit
            self.db.defer("UPDATE messages SET handled_at = ? WHERE id = ?", (to_db(at), row_id))

    async def unhandled(self, platform: str | None = None) -> list[tuple[int, Incoming]]:
        """Messages stored but not handled (the process stopped in between), oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM messages WHERE handled_at IS NULL"
            + (" AND platform = ?" if platform else "")
            + " ORDER BY id",
            (platform,) if platform else (),
        )
        return [(int(r["id"]), _incoming(r)) for r in rows]

    async def row_of(self, msg: Incoming) -> int | None:
        """The stored row of a message (found by its platform id), if it was stored."""
        row = await self.db.fetchone(
            "SELECT id FROM messages WHERE platform = ? AND chat_id = ? AND platform_message_id = ?",
            (msg.chat.platform, msg.chat.chat_id, msg.message_id),
        )
        return int(row["id"]) if row else None

    async def group_chats_of(self, platform: str, sender_id: str) -> list[str]:
        """The group chats where this person has posted, the latest first."""
        rows = await self.db.fetchall(
            """SELECT chat_id, MAX(id) AS last FROM messages
               WHERE platform = ? AND sender_id = ? AND is_group = 1
                 -- Asking to join is not being in the group: approval is the gate.
                 AND kind != 'join_request'
               GROUP BY chat_id ORDER BY last DESC""",
            (platform, sender_id),
        )
        return [str(r["chat_id"]) for r in rows]

    async def recent_private(self, chat: ChatRef, limit: int = 20) -> list[tuple[int, str, bool]]:
        """A private chat's latest texts, newest first: (row, text, a ticket was filed from it)."""
        rows = await self.db.fetchall(
            """SELECT m.id, m.text, EXISTS (SELECT 1 FROM tickets t WHERE t.platform = m.platform
                       AND t.requester_id = m.sender_id AND t.message_id = m.id) AS filed
               FROM messages m
               WHERE m.platform = ? AND m.chat_id = ? AND m.is_group = 0 AND m.kind = 'text'
               ORDER BY m.id DESC LIMIT ?""",
            (chat.platform, chat.chat_id, limit),
        )
        return [(int(r["id"]), str(r["text"]), bool(r["filed"])) for r in rows]

    async def get(self, row_id: int) -> Incoming | None:
        """The stored message of this row, unless it is unknown or its text was purged."""
        row = await self.db.fetchone(
            "SELECT * FROM messages WHERE id = ? AND purged_at IS NULL", (row_id,))
        return _incoming(row) if row else None

    async def ticket_of(self, row_id: int) -> str | None:
        """The code of the ticket filed from this message row, if one was."""
        # Through the requester index: the sender's tickets, not every ticket.
        row = await self.db.fetchone(
            """SELECT t.code FROM messages m JOIN tickets t ON t.platform = m.platform
                   AND t.requester_id = m.sender_id AND t.message_id = m.id
               WHERE m.id = ? ORDER BY t.id LIMIT 1""", (row_id,))
        return str(row["code"]) if row else None

    async def count(self) -> int:
        """How many messages are stored."""
        row = await self.db.fetchone("SELECT COUNT(*) AS n FROM messages")
        return int(row["n"]) if row else 0


def _incoming(r: aiosqlite.Row) -> Incoming:
    return Incoming(
        chat=ChatRef(r["platform"], r["chat_id"]),
        sender_id=r["sender_id"],
        sender_name=r["sender_name"],
        text=r["text"],
        message_id=r["platform_message_id"],
        sent_at=from_db(r["sent_at"]),
        is_group=bool(r["is_group"]),
        mentions_me=bool(r["mentions_me"]),
        kind=r["kind"],
        tapped_message_id=r["tapped_message_id"],
        sender_is_admin=bool(r["sender_is_admin"]),
        chat_title=r["chat_title"],
        reply_chat=ChatRef(r["platform"], r["reply_chat_id"]) if r["reply_chat_id"] else None,
    )
