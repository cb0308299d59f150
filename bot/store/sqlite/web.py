"""Dashboard logins, sessions and ticket search in SQLite (the protocol: :mod:`bot.store.web`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.sqlite.tickets import OPEN_SQL, ticket_row
from bot.store.web import LinkState, Person, Session, TicketQuery
from bot.tickets import Ticket


class SqliteWebRepo:
    """The ``web_logins`` and ``web_sessions`` tables and the ticket list's query."""

    def __init__(self, db: Database):
        self.db = db

    async def add_login(self, token_hash: str, person: Person, now: datetime, expires: datetime) -> None:
        """Store a login link's hash."""
        async with self.db.tx():
            await self.db.execute(
                """INSERT INTO web_logins (token_hash, platform, user_id, user_name, created_at, expires_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (token_hash, person.platform, person.user_id, person.name, to_db(now), to_db(expires)))

    async def logins_since(self, platform: str, user_id: str, since: datetime) -> int:
        """How many links this person was given after ``since``."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS n FROM web_logins WHERE platform = ? AND user_id = ? AND created_at > ?",
            (platform, user_id, to_db(since)))
        return int(row["n"]) if row else 0

    async def use_login(self, token_hash: str, now: datetime) -> tuple[LinkState, Person | None]:
        """Spend a link once: the UPDATE's WHERE is the check, so two tabs cannot both use it."""
        async with self.db.tx():
            row = await self.db.fetchone("SELECT * FROM web_logins WHERE token_hash = ?", (token_hash,))
            if row is None:
                return "unknown", None
            if row["used_at"] is not None:
                return "used", None
            if from_db(row["expires_at"]) <= now:
                return "expired", None
            await self.db.execute("UPDATE web_logins SET used_at = ? WHERE token_hash = ?",
                                  (to_db(now), token_hash))
            return "ok", Person(row["platform"], row["user_id"], row["user_name"])

    async def start_session(self, id_hash: str, person: Person, csrf: str, now: datetime,
                            expires: datetime) -> None:
        """Store a new session's hash and its CSRF token."""
        async with self.db.tx():
            await self.db.execute(
                """INSERT INTO web_sessions (id_hash, platform, user_id, user_name, csrf, created_at, expires_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (id_hash, person.platform, person.user_id, person.name, csrf, to_db(now), to_db(expires)))

    async def session(self, id_hash: str, now: datetime) -> Session | None:
        """The live session with this hash."""
        row = await self.db.fetchone(
            "SELECT * FROM web_sessions WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?",
            (id_hash, to_db(now)))
        if row is None:
            return None
        return Session(Person(row["platform"], row["user_id"], row["user_name"]), row["csrf"],
                       from_db(row["expires_at"]))

    async def end_session(self, id_hash: str, now: datetime) -> bool:
        """End one session."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE web_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                (to_db(now), id_hash))
            return cur.rowcount > 0

    async def end_sessions(self, platform: str, user_id: str, now: datetime) -> int:
        """End every live session of a person."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE web_sessions SET ended_at = ? WHERE platform = ? AND user_id = ? AND ended_at IS NULL",
                (to_db(now), platform, user_id))
            return cur.rowcount

    async def purge(self, before: datetime) -> int:
        """Drop links and sessions that expired or ended before ``before``."""
        cut = to_db(before)
        async with self.db.tx():
            links = await self.db.execute("DELETE FROM web_logins WHERE expires_at < ?", (cut,))
            sessions = await self.db.execute(
                "DELETE FROM web_sessions WHERE expires_at < ? OR ended_at < ?", (cut, cut))
            return links.rowcount + sessions.rowcount

    async def tickets(self, query: TicketQuery) -> list[Ticket]:
        """Tickets matching the query, newest first: one descending range of the primary key."""
        where: list[str] = []
        params: list[Any] = []
        if query.groups is not None:
            scope = [f"group_key IN ({','.join('?' * len(query.groups))})"] if query.groups else []
            params.extend(query.groups)
            if query.grids:  # grid workers: their grids' tickets in groups they do not manage
                scope.append(f"grid_key IN ({','.join('?' * len(query.grids))})")
                params.extend(query.grids)
            where.append(f"({' OR '.join(scope) or '0'})")
        if query.group:
            where.append("group_key = ?")
            params.append(query.group)
        if query.kind:
            where.append("kind = ?")
            params.append(query.kind)
        if query.status == "open":
            where.append(OPEN_SQL)
        elif query.status:
            where.append("status = ?")
            params.append(query.status)
        if query.category:
            where.append("category = ?")
            params.append(query.category)
        if query.since is not None:
            where.append("created_at >= ?")
            params.append(to_db(query.since))
        if query.until is not None:
            where.append("created_at < ?")
            params.append(to_db(query.until))
        if query.search:
            # instr, not LIKE: a resident's % or _ is a character to find, not a wildcard.
            where.append("(instr(text, ?) > 0 OR instr(address, ?) > 0 OR code = ?)")
            params.extend((query.search, query.search, query.search.upper()))
        if query.before is not None:
            where.append("id < ?")
            params.append(query.before)
        sql = "SELECT * FROM tickets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY id DESC LIMIT {int(query.limit)}"
        return [ticket_row(r) for r in await self.db.fetchall(sql, params)]
