"""Login without passwords: a one-time link sent in private chat, spent for a session.

Only SHA-256 hashes of link tokens and session ids are stored. A link lasts ten minutes and
opens one session; a person gets a few links an hour at most.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import Services
from bot.store.audit import Actor
from bot.store.web import LinkState, Person

LINK_LIFETIME = timedelta(minutes=10)
#: Links one person may ask for per hour: enough for a lost tab, too few to flood a chat.
LINKS_PER_HOUR = 5
LOGIN_PATH = "/login/"


def digest(secret: str) -> str:
    """The stored form of a link token or session id."""
    return hashlib.sha256(secret.encode()).hexdigest()


def actor(person: Person) -> Actor:
    """The audit log's actor for a dashboard user."""
    return Actor(person.platform, person.user_id, person.name)


async def issue_link(svc: Services, person: Person, now: datetime) -> str | None:
    """A fresh login link for ``person``, or None past the hourly limit."""
    if await svc.store.web.logins_since(person.platform, person.user_id, now - timedelta(hours=1)) \
            >= LINKS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    async with svc.store.tx():
        await svc.store.web.add_login(digest(token), person, now, now + LINK_LIFETIME)
        await svc.store.audit.record(actor(person), "web_link", "", "领取网页登录链接", now)
    return f"{svc.config.web.url}{LOGIN_PATH}{token}"


@dataclass(frozen=True, slots=True)
class Opened:
    """What opening a link gave: a session id for the cookie, or why not."""

    state: LinkState
    session_id: str = ""
    person: Person | None = None


async def open_session(svc: Services, token: str, now: datetime) -> Opened:
    """Spend a link token for a new session (its id goes in the cookie, its hash in the store)."""
    async with svc.store.tx():
        state, person = await svc.store.web.use_login(digest(token), now)
        if person is None:
            return Opened(state)
        session_id = secrets.token_urlsafe(32)
        lifetime = timedelta(hours=svc.config.web.session_hours)
        await svc.store.web.start_session(digest(session_id), person, secrets.token_urlsafe(24),
                                          now, now + lifetime)
        await svc.store.audit.record(actor(person), "web_login", "", "用登录链接登录网页", now)
    return Opened(state, session_id, person)


async def end_all(svc: Services, person: Person, now: datetime) -> int:
    """End every session of a person (退出登录 in chat); how many were live."""
    async with svc.store.tx():
        ended = await svc.store.web.end_sessions(person.platform, person.user_id, now)
        await svc.store.audit.record(actor(person), "web_logout", "", f"退出网页登录（{ended} 个会话）", now)
    return ended
