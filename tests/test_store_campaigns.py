"""Campaigns and their answers through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.campaigns import NewAnswer, NewCampaign
from bot.store.households import HouseholdData

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
AUTHOR = ("console", "李书记", "李书记")


def rollcall(*groups: str, deadline: datetime | None = NOW + timedelta(hours=8)) -> NewCampaign:
    return NewCampaign("rollcall", "核酸检测", ("已做", "未做"), groups[0], groups, AUTHOR, deadline)


def said(campaign_id: int, voter: str, option: str, *, household: int | None = None,
         group: str = "xingfu", people: int = 1, user: str = "u1") -> NewAnswer:
    return NewAnswer(campaign_id, group, voter, household, "3-2-501", option, people, "console",
                     user, user)


async def test_a_campaign_is_saved_with_its_groups_and_found_live_from_each(store: Store) -> None:
    c = await store.campaigns.create(rollcall("dongcheng", "xingfu", "yangguang"), NOW)
    assert c.code == f"C{c.id}" and c.group_keys == ("dongcheng", "xingfu", "yangguang")
    assert c.options == ("已做", "未做") and c.is_open(NOW) and not c.is_open(NOW + timedelta(hours=8))
    assert await store.campaigns.get(c.id) == c
    assert [x.id for x in await store.campaigns.live("xingfu", NOW)] == [c.id]
    assert await store.campaigns.live("elsewhere", NOW) == []
    later = await store.campaigns.create(rollcall("xingfu", deadline=None), NOW)
    assert [x.id for x in await store.campaigns.live("xingfu", NOW)] == [later.id, c.id]
    assert store.campaigns.progress_at(c.id, "xingfu") == NOW
    await store.campaigns.mark_progress(c.id, "xingfu", NOW + timedelta(minutes=5))
    assert store.campaigns.progress_at(c.id, "xingfu") == NOW + timedelta(minutes=5)


async def test_the_latest_answer_of_a_voter_wins_and_says_what_it_replaced(store: Store) -> None:
    h, _ = await store.households.save(HouseholdData("xingfu", "3-2-501", "3-2-501"), NOW)
    await store.households.save(HouseholdData("xingfu", "3-2-502", "3-2-502"), NOW)
    c = await store.campaigns.create(rollcall("xingfu"), NOW)
    first = await store.campaigns.answer(said(c.id, f"h:{h.id}", "未做", household=h.id), NOW)
    assert (first.answers, first.previous) == (1, "")
    again = await store.campaigns.answer(said(c.id, f"h:{h.id}", "已做", household=h.id, people=3), NOW)
    assert (again.answers, again.previous) == (2, "未做")
    # A group without a register: the address itself is the voter.
    await store.campaigns.answer(said(c.id, "a:9-9-909", "已做"), NOW)
    tally = await store.campaigns.tally(c.id, ["xingfu"])
    assert tally.options == {"已做": (2, 4)} and (tally.households, tally.answered) == (2, 1)
    assert tally.answers == 2 and tally.people == 4
    assert [m.address_key for m in await store.campaigns.missing(c.id, ["xingfu"])] == ["3-2-502"]
    assert [a.option for a in await store.campaigns.answers(c.id, ["xingfu"])] == ["已做", "已做"]
    sheet = [(hh.address_key, a.option if a else None) async for hh, a in
             store.campaigns.sheet(c.id, ["xingfu"], page=1)]
    assert sheet == [("3-2-501", "已做"), ("3-2-502", None)]
    assert await store.campaigns.people(c.id) == 4
    assert await store.campaigns.people(c.id, except_voter=f"h:{h.id}") == 1


async def test_reminders_and_closing_are_found_once(store: Store) -> None:
    c = await store.campaigns.create(rollcall("xingfu"), NOW)
    open_ended = await store.campaigns.create(rollcall("xingfu", deadline=None), NOW)
    assert await store.campaigns.to_remind(NOW + timedelta(hours=7)) == []
    assert [x.id for x in await store.campaigns.to_remind(NOW + timedelta(hours=8))] == [c.id]
    await store.campaigns.mark_reminded(c.id, NOW + timedelta(hours=7))
    assert await store.campaigns.to_remind(NOW + timedelta(hours=9)) == []
    assert [x.id for x in await store.campaigns.due(NOW + timedelta(hours=8))] == [c.id]
    assert await store.campaigns.close(c.id, NOW + timedelta(hours=8))
    assert not await store.campaigns.close(c.id, NOW + timedelta(hours=9))
    assert await store.campaigns.due(NOW + timedelta(days=9)) == []
    live = await store.campaigns.live("xingfu", NOW + timedelta(hours=7))
    assert [(x.id, x.closed_at is not None) for x in live] == [(open_ended.id, False), (c.id, True)]
    assert [x.id for x in await store.campaigns.live("xingfu", NOW + timedelta(hours=9))] == [open_ended.id]
    assert [x.id for x in await store.campaigns.undigested()] == [c.id]
    await store.campaigns.mark_digested([c.id], NOW + timedelta(hours=9))
    assert await store.campaigns.undigested() == []
    assert [x.id for x in await store.campaigns.recent(5, ["xingfu"])] == [open_ended.id, c.id]
    assert await store.campaigns.recent(5, ["nowhere"]) == []


async def test_an_answer_finds_its_household_by_address_or_linked_member_in_one_step(store: Store) -> None:
    h, _ = await store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501"), NOW)
    c = await store.campaigns.create(rollcall("xingfu"), NOW)
    assert await store.campaigns.answer_at(said(c.id, "", "已做"), "9-9-909", NOW) is None
    done = await store.campaigns.answer_at(said(c.id, "", "未做"), "3-2-501", NOW)
    assert done is not None and done[1] == h.id and done[0].answers == 1
    assert await store.campaigns.answer_as_member(said(c.id, "", "已做", user="u7"), NOW) is None
    member, _ = await store.members.joined("console", "u7", "xingfu", "u7", NOW)
    member = await store.members.register(member, "王", h.address_key, h.address, h.id, NOW)
    assert await store.campaigns.answer_as_member(said(c.id, "", "已做", user="u7"), NOW) is None  # pending
    await store.members.decide(member, approve=True, household_id=h.id, who="o", reason="", now=NOW)
    done = await store.campaigns.answer_as_member(said(c.id, "", "已做", user="u7"), NOW)
    assert done is not None and done[1] == h.id and (done[0].answers, done[0].previous) == (2, "未做")
    [answer] = await store.campaigns.answers(c.id, ["xingfu"])
    assert (answer.voter, answer.address, answer.option, answer.name) == (f"h:{h.id}", "3栋2单元501", "已做", "u7")


async def test_the_sheet_pages_through_a_household_with_two_voters(store: Store) -> None:
    a, _ = await store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501"), NOW)
    await store.households.save(HouseholdData("xingfu", "3-2-502", "3栋2单元502"), NOW)
    await store.households.save(HouseholdData("yangguang", "1-1-101", "1栋1单元101"), NOW)
    vote = NewCampaign("vote", "选楼长", ("张三", "李四"), "xingfu", ("yangguang", "xingfu"), AUTHOR)
    c = await store.campaigns.create(vote, NOW)
    for user, option in (("u1", "张三"), ("u2", "李四")):
        await store.campaigns.answer(said(c.id, f"m:console:{user}", option, household=a.id, user=user), NOW)
    for page in (1, 2, 10):
        rows = [(h.address_key, x.option if x else None) async for h, x in
                store.campaigns.sheet(c.id, ["yangguang", "xingfu"], page=page)]
        assert rows == [("3-2-501", "张三"), ("3-2-501", "李四"), ("3-2-502", None), ("1-1-101", None)], page
