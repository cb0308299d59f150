"""The audit log in SQLite (the protocol: :mod:`bot.store.audit`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.audit import Actor, AuditEntry
from bot.store.sqlite.base import Database, from_db, to_db


class SqliteAuditRepo:
    """The ``audit`` table; writes join the caller's transaction, so they commit with the action."""

    def __init__(self, db: Database):
        self.db = db

    async def record(self, actor: Actor, action: str, target: str, detail: str, now: datetime) -> int:
        """Append one entry; returns its id."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO audit (at, actor_platform, actor_id, actor_name, action, target, detail)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (to_db(now), actor.platform, actor.id, actor.name, action, target, detail),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    async def amend(self, entry_id: int, detail: str) -> None:
        """Rewrite an entry's detail: a batched purge keeps its one entry's counts current."""
        async with self.db.tx():
            await self.db.execute("UPDATE audit SET detail = ? WHERE id = ?", (detail, entry_id))

    async def latest(
        self, *, since: datetime | None = None, limit: int = 20,
        before: tuple[datetime, int] | None = None,
    ) -> list[AuditEntry]:
        """Entries newest first, at most ``limit``; ``before`` (at, id) of the last row pages on."""
        where: list[str] = []
        params: list[object] = []
        if since is not None:
            where.append("at >= ?")
            params.append(to_db(since))
        if before is not None:
            where.append("(at < ? OR (at = ? AND id < ?))")
            params += [to_db(before[0]), to_db(before[0]), before[1]]
        sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
        rows = await self.db.fetchall(sql + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit))
        return [
            AuditEntry(int(r["id"]), from_db(r["at"]),
                       Actor(r["actor_platform"], r["actor_id"], r["actor_name"]),
                       r["action"], r["target"], r["detail"])
            for r in rows
        ]
