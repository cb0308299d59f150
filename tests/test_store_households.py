"""The household register and members through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.message import ChatRef, Incoming
from bot.store import Store
from bot.store.households import HouseholdData
from bot.tickets import NewTicket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def home(address_key: str, group: str = "xingfu", **more: object) -> HouseholdData:
    return HouseholdData(group, address_key, address_key, **more)  # type: ignore[arg-type]


async def test_saving_again_at_the_same_address_updates_the_household(store: Store) -> None:
    first, added = await store.households.save(
        home("3-2-501", head="张三", phone="13812345678", tags=("独居老人", "慢病")), NOW)
    assert added and first.tags == ("独居老人", "慢病") and first.members == 1
    again, added = await store.households.save(home("3-2-501", head="张三", members=3), NOW + timedelta(1))
    assert not added and again.id == first.id and again.members == 3 and again.tags == ()
    assert again.created_at == NOW and again.updated_at == NOW + timedelta(1)
    # The same address in another group is another household.
    other, added = await store.households.save(home("3-2-501", group="yangguang"), NOW)
    assert added and other.id != first.id
    assert await store.households.find("xingfu", "3-2-501") == again
    assert await store.households.count() == 2 and await store.households.count(["xingfu"]) == 1


async def test_an_import_counts_added_and_updated_in_one_transaction(store: Store) -> None:
    await store.households.save(home("1-1-101"), NOW)
    rows = [home(f"1-1-{n}") for n in range(101, 111)]
    assert await store.households.save_many(rows, NOW) == (9, 1)
    assert await store.households.save_many(rows, NOW) == (0, 10)
    scanned = [h.address_key async for h in store.households.scan(["xingfu"], page=3)]
    assert scanned == sorted(h.address_key for h in rows)


async def test_join_rate_counts_households_with_an_approved_member(store: Store) -> None:
    a, _ = await store.households.save(home("1-1-101"), NOW)
    b, _ = await store.households.save(home("1-1-102"), NOW)
    await store.households.save(home("1-1-103"), NOW)
    for user, household in (("u1", a), ("u2", a), ("u3", b)):
        member, new = await store.members.joined("console", user, "xingfu", user, NOW)
        assert new and member.status == "joined" and member.code == f"J{member.id}"
        member = await store.members.register(member, "张三", household.address_key,
                                              household.address, household.id, NOW)
        assert member.status == "pending"
        if user != "u3":  # b's only member is still waiting for the owner
            await store.members.decide(member, approve=True, household_id=household.id, who="owner",
                                       reason="", now=NOW)
    [rate, empty] = await store.households.join_rates(["xingfu", "nowhere"])
    assert (rate.households, rate.joined, rate.rate) == (3, 1, 1 / 3)
    assert empty.rate is None
    assert [h.address_key for h in await store.households.unjoined(["xingfu"])] == ["1-1-102", "1-1-103"]
    assert [h.address_key for h in await store.households.unjoined(["xingfu"], 1, offset=1)] == ["1-1-103"]
    assert [m.user_id for m in await store.members.linked([a.id, b.id])] == ["u1", "u2"]


async def test_a_rejoin_keeps_the_link_and_a_rejection_drops_it(store: Store) -> None:
    h, _ = await store.households.save(home("2-1-201"), NOW)
    member, _ = await store.members.joined("telegram", "42", "xingfu", "老李", NOW, via_request=True,
                                           reply_chat="42")
    assert member.via_request and member.reply_chat == "42"
    member = await store.members.register(member, "李四", h.address_key, h.address, h.id, NOW)
    member = await store.members.decide(member, approve=True, household_id=h.id, who="o", reason="",
                                        now=NOW)
    again, new = await store.members.joined("telegram", "42", "xingfu", "李四", NOW + timedelta(1))
    assert not new and again.status == "approved" and again.household_id == h.id
    assert not again.via_request and again.reply_chat == "42"
    rejected = await store.members.decide(again, approve=False, household_id=None, who="o",
                                          reason="地址不符", now=NOW)
    assert rejected.status == "rejected" and rejected.household_id is None
    assert rejected.reason == "地址不符"
    assert [m.group_key for m in await store.members.of_person("telegram", "42")] == ["xingfu"]


async def test_unregistered_members_are_reminded_once(store: Store) -> None:
    early, _ = await store.members.joined("console", "u1", "xingfu", "甲", NOW)
    await store.members.joined("console", "u2", "xingfu", "乙", NOW + timedelta(hours=5))
    due = await store.members.to_remind(NOW + timedelta(hours=1))
    assert [m.id for m in due] == [early.id]
    await store.members.mark_reminded([early.id], NOW + timedelta(hours=1))
    assert await store.members.to_remind(NOW + timedelta(days=1)) != []
    assert [m.user_id for m in await store.members.to_remind(NOW + timedelta(days=1))] == ["u2"]
    assert [m.user_id for m in await store.members.in_groups(["xingfu"], ["joined"])] == ["u1", "u2"]


async def test_deleting_a_household_unlinks_its_members(store: Store) -> None:
    h, _ = await store.households.save(home("5-301"), NOW)
    member, _ = await store.members.joined("console", "u1", "xingfu", "甲", NOW)
    member = await store.members.register(member, "甲", h.address_key, h.address, h.id, NOW)
    await store.members.decide(member, approve=True, household_id=h.id, who="o", reason="", now=NOW)
    assert await store.households.delete(h.id)
    assert not await store.households.delete(h.id)
    assert (await store.members.find("console", "u1", "xingfu")).household_id is None  # type: ignore[union-attr]


async def test_a_ticket_remembers_its_household_and_grid(store: Store) -> None:
    h, _ = await store.households.save(home("3-2-501", grid_key="g1"), NOW)

    class Group:
        key, name = "xingfu", "幸福小区"

    msg = Incoming(ChatRef("console", "幸福小区居民群"), "u1", "王阿姨", "代买 米", "m1", NOW)
    ticket = await store.tickets.create(NewTicket("errand", "shopping", "normal", "米", "3-2-501"), Group(), msg,
                                        None, NOW, household_id=h.id, grid_key="g1")
    again = await store.tickets.get(ticket.code)
    assert again is not None and (again.household_id, again.grid_key) == (h.id, "g1")
    assert [x.address_key for x in await store.households.in_grid("g1")] == ["3-2-501"]


async def test_one_address_is_found_across_the_groups_asked(store: Store) -> None:
    await store.households.save(home("3-2-501", head="张三"), NOW)
    await store.households.save(home("3-2-501", group="yangguang", head="王五"), NOW)
    await store.households.save(home("3-2-502"), NOW)
    found = await store.households.find_address(["yangguang", "xingfu", "nowhere"], "3-2-501")
    assert [(h.group_key, h.head) for h in found] == [("xingfu", "张三"), ("yangguang", "王五")]
    assert await store.households.find_address(["yangguang"], "3-2-502") == []
    assert await store.households.find_address([], "3-2-501") == []
