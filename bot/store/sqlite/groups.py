"""Groups bound at run time (``绑定``) in SQLite (the protocol: :mod:`bot.store.groups`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.groups import BoundGroup
from bot.store.sqlite.base import Database, to_db


class SqliteGroupRepo:
    """The ``bound_groups`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def bind(self, group: BoundGroup, now: datetime) -> bool:
        """Register a group; False if that chat was already registered."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO bound_groups (platform, chat_id, key, name, owner_id, bound_at, parent)
                   VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (group.platform, group.chat_id, group.key, group.name, group.owner_id, to_db(now),
                 group.parent),
            )
            return cur.rowcount == 1

    async def set_parent(self, key: str, parent: str) -> None:
        """Hang a bound group under ``parent`` (a group key)."""
        async with self.db.tx():
            await self.db.execute("UPDATE bound_groups SET parent = ? WHERE key = ?", (parent, key))

    async def all(self) -> list[BoundGroup]:
        """Every bound group, in the order they were bound."""
        rows = await self.db.fetchall("SELECT * FROM bound_groups ORDER BY bound_at, key")
        return [BoundGroup(r["platform"], r["chat_id"], r["key"], r["name"], r["owner_id"], r["parent"])
                for r in rows]
