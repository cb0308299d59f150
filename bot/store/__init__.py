"""The ticket store: one SQLite database, all SQL in this package.

``Store`` is the one interface the rest of the bot sees; each table family has a small
repository so that a PostgreSQL implementation can follow the same shape.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.store.audit import AuditRepo
from bot.store.base import Database
from bot.store.groups import BoundGroup, GroupRepo
from bot.store.messages import MessageRepo
from bot.store.notices import NoticeRepo
from bot.store.outbox import OutboxItem, OutboxRepo
from bot.store.retention import RetentionRepo
from bot.store.tickets import TicketRepo

__all__ = ["BoundGroup", "OutboxItem", "Store"]


class Store:
    """Every repository over one database connection."""

    def __init__(self, path: Path | str):
        self.db = Database(path)
        self.messages = MessageRepo(self.db)
        self.tickets = TicketRepo(self.db)
        self.outbox = OutboxRepo(self.db)
        self.groups = GroupRepo(self.db)
        self.notices = NoticeRepo(self.db)
        self.audit = AuditRepo(self.db)
        self.retention = RetentionRepo(self.db)

    async def open(self) -> Store:
        """Open the database and migrate it; returns self for chaining."""
        await self.db.open()
        return self

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()

    def tx(self) -> AbstractAsyncContextManager[None]:
        """A write transaction spanning several repositories."""
        return self.db.tx()
