"""The rumour library and joined reports through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.message import ChatRef, Incoming
from bot.store import Store
from bot.store.rumors import RumorData, RumorReport
from bot.tickets import DONE, NewTicket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Group:
    key, name = "xingfu", "幸福小区"


def entry(entry_id: str, claim: str = "明天全市封城") -> RumorData:
    return RumorData(entry_id, claim, "false", "没有封城计划", "市指挥部", date(2022, 4, 2))


async def test_entries_keep_their_ids_and_duplicates_are_reported(store: Store) -> None:
    v0 = await store.rumors.version()
    assert await store.rumors.add_many([entry("L1"), entry("L2", "明天超市关门")], NOW) == []
    assert await store.rumors.version() > v0
    v1 = await store.rumors.version()
    assert await store.rumors.add_many([entry("L2", "别的"), entry("L3")], NOW) == ["L2"]
    assert await store.rumors.version() > v1
    got = await store.rumors.get("L2")
    assert got is not None and got.data.claim == "明天超市关门" and not got.retired
    assert got.data.published_at == date(2022, 4, 2) and got.added_at == NOW
    assert [e.id async for e in store.rumors.scan(page=2)] == ["L1", "L2", "L3"]


async def test_retired_entries_leave_the_scan_and_change_the_version(store: Store) -> None:
    await store.rumors.add_many([entry("L1"), entry("L2")], NOW)
    before = await store.rumors.version()
    retired = await store.rumors.retire("L1", NOW + timedelta(1))
    assert retired is not None and retired.retired and retired.retired_at == NOW + timedelta(1)
    assert await store.rumors.version() > before
    assert [e.id async for e in store.rumors.scan()] == ["L2"]
    assert [e.id async for e in store.rumors.scan(include_retired=True)] == ["L1", "L2"]
    assert await store.rumors.retire("nope", NOW) is None
    again = await store.rumors.version()
    assert (await store.rumors.retire("L1", NOW)) is not None and await store.rumors.version() == again


async def test_reports_join_an_open_rumour_ticket(store: Store) -> None:
    msg = Incoming(ChatRef("console", "幸福小区居民群"), "u1", "王阿姨", "求证 明天封城", "m1", NOW)
    ticket = await store.tickets.create(NewTicket("rumor", "claim", "normal", "明天封城", ""),
                                        Group(), msg, None, NOW)
    assert [(c.code, c.text) for c in await store.rumors.open_claims(NOW - timedelta(hours=1), 10)] == [
        (ticket.code, ticket.text)]
    assert await store.rumors.open_claims(NOW, 10) == []
    for n, (group, user) in enumerate([("xingfu", "u1"), ("yangguang", "u2")], start=1):
        report = RumorReport(ticket.id, "console", group, group, group, user, user, NOW)
        await store.rumors.add_report(ticket, report)
        assert len(await store.rumors.reports(ticket)) == n
    assert [r.group_key for r in await store.rumors.reports(ticket)] == ["xingfu", "yangguang"]
    await store.rumors.add_report(ticket, RumorReport(ticket.id, "console", "xingfu", "xingfu", "幸福", "u3", "u3", NOW))
    tally = await store.rumors.tally(ticket, "yangguang", 1)
    assert (tally.reports, tally.groups, tally.first_groups, tally.here) == (3, 2, ("xingfu",), 1)
    assert (await store.rumors.tally(ticket, "xingfu", 8)).first_groups == ("xingfu", "yangguang")
    assert (await store.rumors.tally(ticket, "xingfu", 8)).here == 2
    await store.tickets.update(ticket, now=NOW, actor_id="o", actor_name="o", action="debunk",
                               to_status=DONE)
    assert await store.rumors.open_claims(NOW - timedelta(hours=1), 10) == []
