"""Volunteers, claims, posted errands and the month's tallies through the ``Store`` protocol."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.message import ChatRef, Incoming
from bot.store import Store, open_store
from bot.store.volunteers import Volunteer
from bot.tickets import NewTicket, Ticket

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


class _Group:
    key, name = "xingfu", "幸福小区居民群"


async def _errand(store: Store, text: str = "代买 大米 5栋301", at: datetime = NOW) -> Ticket:
    msg = Incoming(ChatRef("console", "幸福小区居民群"), "张阿姨", "张阿姨", text, f"m{text}{at}", at)
    return await store.tickets.create(NewTicket("errand", "groceries", "normal", text, "5栋301"),
                                      _Group(), msg, None, at)


async def _volunteer(store: Store, user: str, name: str, phone: str = "13900001111") -> Volunteer:
    v, created = await store.volunteers.sign_up("console", user, name, phone, "peisong", NOW)
    assert created
    return await store.volunteers.decide(v, True, "", "王队长", NOW)


async def test_one_sign_up_per_person_again_only_after_a_rejection(store: Store) -> None:
    v, created = await store.volunteers.sign_up("console", "小明", "王小明", "13900001111", "peisong", NOW)
    assert created and v.status == "pending" and v.tail == "1111"
    same, created = await store.volunteers.sign_up("console", "小明", "王大明", "13900009999", "peisong", NOW)
    assert not created and same.name == "王小明"
    await store.volunteers.decide(v, False, "名额已满", "王队长", NOW)
    again, created = await store.volunteers.sign_up("console", "小明", "王大明", "13900009999", "peisong", NOW)
    assert created and (again.status, again.name, again.reason) == ("pending", "王大明", "")
    assert await store.volunteers.named("王大明", ["peisong"], "pending") == [again]
    assert await store.volunteers.named("王大明", ["other"]) == []
    assert await store.volunteers.counts(["peisong"]) == {("peisong", "pending"): 1}


async def test_a_claim_succeeds_once_and_a_given_back_ticket_can_be_claimed_again(store: Store) -> None:
    t = await _errand(store)
    ming, hong = await _volunteer(store, "小明", "王小明"), await _volunteer(store, "小红", "李小红", "13900002222")
    assert await store.volunteers.claim(t, ming, NOW)
    assert not await store.volunteers.claim(t, hong, NOW)
    taken = await store.tickets.get(t.code)
    assert taken is not None and (taken.status, taken.handler_name, taken.assignee) == ("assigned", "王小明", "王小明")
    assert await store.volunteers.holder(t) == ming
    assert [x.code for x in await store.volunteers.tasks(ming, 10)] == [t.code]
    await store.volunteers.give_back(taken, "有事", NOW)
    assert await store.volunteers.holder(t) is None and await store.volunteers.tasks(ming, 10) == []
    reopened = await store.tickets.get(t.code)
    assert reopened is not None and reopened.status == "open"
    assert await store.volunteers.claim(reopened, hong, NOW)
    assert [e.action for e in await store.tickets.history(t)] == ["create", "claim", "giveback", "claim"]


async def test_two_processes_claiming_at_once_give_the_ticket_to_one(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    first, second = await open_store(path), await open_store(path)  # two connections, two locks
    try:
        tickets = [await _errand(first, f"代买 第{i}样 5栋301") for i in range(20)]
        ming, hong = await _volunteer(first, "小明", "王小明"), await _volunteer(first, "小红", "李小红", "13900002222")
        for t in tickets:
            results = await asyncio.gather(first.volunteers.claim(t, ming, NOW),
                                           second.volunteers.claim(t, hong, NOW))
            assert sorted(results) == [False, True]
            holder = await second.volunteers.holder(t)
            assert holder is not None and holder.id == (ming.id if results[0] else hong.id)
    finally:
        await first.close()
        await second.close()


async def test_waiting_errands_are_escalated_once(store: Store) -> None:
    t = await _errand(store)
    await store.volunteers.posted(t, "peisong", NOW)
    assert await store.volunteers.waiting(NOW - timedelta(minutes=1)) == []
    [w] = await store.volunteers.waiting(NOW)
    assert (w.ticket.code, w.team_key, w.posted_at) == (t.code, "peisong", NOW)
    assert await store.volunteers.escalated(t, NOW)
    assert not await store.volunteers.escalated(t, NOW)
    assert await store.volunteers.waiting(NOW + timedelta(hours=1)) == []
    await store.volunteers.posted(t, "peisong", NOW + timedelta(hours=1))  # given back: waits anew
    assert len(await store.volunteers.waiting(NOW + timedelta(hours=1))) == 1
    assert await store.volunteers.claim(t, await _volunteer(store, "小明", "王小明"), NOW)
    assert await store.volunteers.waiting(NOW + timedelta(hours=2)) == []  # taken


async def test_tallies_count_taken_done_median_and_rating_in_sql(store: Store) -> None:
    ming, hong = await _volunteer(store, "小明", "王小明"), await _volunteer(store, "小红", "李小红", "13900002222")
    for i, minutes in enumerate((10, 30, 50, 70)):  # 王小明: four done, median 40 minutes
        t = await _errand(store, f"代买 {i} 5栋301")
        await store.volunteers.claim(t, ming, NOW)
        held = await store.tickets.get(t.code)
        assert held is not None
        await store.tickets.update(held, now=NOW + timedelta(minutes=minutes), actor_id="小明",
                                   actor_name="王小明", action="done", to_status="done")
        await store.tickets.rate(held, 5 if i % 2 else 4, "张阿姨", "", NOW + timedelta(hours=2))
    open_one = await _errand(store, "代买 还没办 5栋301")
    await store.volunteers.claim(open_one, hong, NOW)
    last_month = await _errand(store, "代买 上个月 5栋301", NOW - timedelta(days=10))
    await store.volunteers.claim(last_month, hong, NOW - timedelta(days=10))
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    people = await store.volunteers.tallies(start, end, groups=["xingfu"], teams=[], by_team=False)
    assert [(p.name, p.taken, p.done, p.median_minutes, p.rating) for p in people] == [
        ("王小明", 4, 4, 40.0, 4.5), ("李小红", 1, 0, None, None)]
    [team] = await store.volunteers.tallies(start, end, groups=[], teams=["peisong"], by_team=True)
    assert (team.key, team.taken, team.done, team.median_minutes) == ("peisong", 5, 4, 40.0)
    assert await store.volunteers.tallies(start, end, groups=["other"], teams=[], by_team=False) == []
