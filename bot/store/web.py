"""What the web dashboard keeps: one-time login links and sessions (hashed), and its ticket search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.tickets import Ticket


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who logs in: the chat identity whose role the dashboard applies."""

    platform: str
    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Session:
    """A live dashboard session."""

    person: Person
    csrf: str
    expires_at: datetime


#: What happened to a login link: it opened a session, or why it did not.
LinkState = Literal["ok", "expired", "used", "unknown"]


@dataclass(frozen=True, slots=True)
class TicketQuery:
    """The ticket list's filters; ``None`` / empty means any. Newest first, ``before`` an id."""

    groups: Sequence[str] | None = None
    grids: Sequence[str] = ()
    group: str = ""
    kind: str = ""
    status: str = ""  # a status, "open" (not final) or "" for all
    category: str = ""
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    before: int | None = None
    limit: int = 50


class WebRepo(Protocol):
    """The ``web_logins`` and ``web_sessions`` tables, and the dashboard's ticket list."""

    async def add_login(self, token_hash: str, person: Person, now: datetime, expires: datetime) -> None:
        """Store a login link's hash."""

    async def logins_since(self, platform: str, user_id: str, since: datetime) -> int:
        """How many links this person was given after ``since`` (the rate limit)."""

    async def use_login(self, token_hash: str, now: datetime) -> tuple[LinkState, Person | None]:
        """Spend a link once: ``("ok", person)``, else why not."""

    async def start_session(self, id_hash: str, person: Person, csrf: str, now: datetime,
                            expires: datetime) -> None:
        """Store a new session's hash and its CSRF token."""

    async def session(self, id_hash: str, now: datetime) -> Session | None:
        """The live session with this hash, if it has not expired or ended."""

    async def end_session(self, id_hash: str, now: datetime) -> bool:
        """End one session (the page's logout); False if it was not live."""

    async def end_sessions(self, platform: str, user_id: str, now: datetime) -> int:
        """End every live session of a person (退出登录 in chat); how many."""

    async def purge(self, before: datetime) -> int:
        """Drop links and sessions that expired or ended before ``before``; how many rows."""

    async def tickets(self, query: TicketQuery) -> list[Ticket]:
        """Tickets matching the query, newest first, at most ``query.limit``."""
