"""Dashboard logins, sessions and the ticket list through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.message import ChatRef, Incoming
from bot.store import Store
from bot.store.web import Person, TicketQuery
from bot.tickets import DONE, NewTicket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ME = Person("console", "u1", "李书记")


@dataclass
class Group:
    key: str
    name: str


async def test_a_link_is_spent_once_and_expires(store: Store) -> None:
    await store.web.add_login("h1", ME, NOW, NOW + timedelta(minutes=10))
    await store.web.add_login("h2", ME, NOW, NOW + timedelta(minutes=10))
    assert await store.web.logins_since("console", "u1", NOW - timedelta(hours=1)) == 2
    assert await store.web.logins_since("console", "u1", NOW) == 0
    assert await store.web.use_login("h1", NOW) == ("ok", ME)
    assert await store.web.use_login("h1", NOW) == ("used", None)
    assert await store.web.use_login("h2", NOW + timedelta(minutes=10)) == ("expired", None)
    assert await store.web.use_login("nope", NOW) == ("unknown", None)


async def test_sessions_live_until_they_expire_or_end(store: Store) -> None:
    later = NOW + timedelta(hours=12)
    await store.web.start_session("s1", ME, "c1", NOW, later)
    await store.web.start_session("s2", ME, "c2", NOW, later)
    live = await store.web.session("s1", NOW)
    assert live is not None and live.person == ME and live.csrf == "c1" and live.expires_at == later
    assert await store.web.session("s1", later) is None
    assert await store.web.end_session("s1", NOW) and not await store.web.end_session("s1", NOW)
    assert await store.web.session("s1", NOW) is None
    assert await store.web.end_sessions("console", "u1", NOW) == 1
    assert await store.web.session("s2", NOW) is None


async def _file(store: Store, group: str, text: str, at: datetime, grid: str = "", kind: str = "errand") -> int:
    msg = Incoming(ChatRef("console", group), "r1", "张阿姨", text, f"m{text}", at)
    ticket = await store.tickets.create(NewTicket(kind, "shopping" if kind == "errand" else "claim", "normal",
                                                  text, "5栋"), Group(group, group), msg, None, at, grid_key=grid)
    return ticket.id


async def test_ticket_list_filters_scope_and_pages(store: Store) -> None:
    a = await _file(store, "xingfu", "买米 100%", NOW)
    b = await _file(store, "yangguang", "买药", NOW + timedelta(days=1), grid="g1")
    c = await _file(store, "yangguang", "听说停水", NOW + timedelta(days=2), kind="rumor")
    done = await store.tickets.get("E1")
    assert done is not None
    await store.tickets.update(done, now=NOW, actor_id="u1", actor_name="李书记", action="done", to_status=DONE)

    async def ids(**kw: object) -> list[int]:
        return [t.id for t in await store.web.tickets(TicketQuery(**kw))]  # type: ignore[arg-type]

    assert await ids() == [c, b, a]
    assert await ids(limit=2) == [c, b] and await ids(before=b) == [a]
    assert await ids(groups=["xingfu"]) == [a]
    assert await ids(groups=[], grids=["g1"]) == [b] and await ids(groups=[]) == []
    assert await ids(groups=["xingfu"], grids=["g1"]) == [b, a]
    assert await ids(group="yangguang") == [c, b] and await ids(kind="rumor") == [c]
    assert await ids(status="open") == [c, b] and await ids(status="done") == [a]
    assert await ids(category="claim") == [c]
    assert await ids(since=NOW + timedelta(days=1)) == [c, b]
    assert await ids(until=NOW + timedelta(days=1)) == [a]
    assert await ids(search="%") == [a] and await ids(search="买") == [b, a] and await ids(search="5栋") == [c, b, a]


async def test_purge_forgets_what_ended_before(store: Store) -> None:
    await store.web.add_login("h1", ME, NOW, NOW + timedelta(minutes=10))
    await store.web.start_session("s1", ME, "c1", NOW, NOW + timedelta(hours=12))
    await store.web.start_session("s2", ME, "c2", NOW, NOW + timedelta(hours=12))
    await store.web.end_session("s2", NOW + timedelta(hours=1))
    assert await store.web.purge(NOW + timedelta(hours=2)) == 2  # the link and the ended session
    assert await store.web.session("s1", NOW + timedelta(hours=2)) is not None
    assert await store.web.purge(NOW + timedelta(days=1)) == 1
