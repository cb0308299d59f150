"""The daily check-in (每日平安问询) through the user's path: asked, answers, help, the missing list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import care
from bot.store.households import Household, HouseholdData
from schedules import care as care_job
from tests.harness import BASE_TOML, TZ, Bot, Clock, to

TOML = BASE_TOML + """
[[grids]]
key = "xf-1"
group = "xingfu"
name = "幸福小区第一网格"
workers = ["网格员小周"]

[care]
tags = ["独居老人", "残疾"]
ask_at = "09:00"
list_at = "11:00"
"""
GROUP = "幸福小区居民群"
ASK = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
LIST = ASK.replace(hour=11)


async def household(bot: Bot, address: str, head: str, tags: tuple[str, ...], *people: str,
                    grid: str = "xf-1") -> Household:
    """A household of 幸福小区 with these approved, linked members."""
    home, _ = await bot.app.store.households.save(
        HouseholdData("xingfu", address, address, head, "13812345678", 1, tags, grid), bot.clock())
    for user in people:
        member, _ = await bot.app.store.members.joined("console", user, "xingfu", user, bot.clock())
        member = await bot.app.store.members.register(member, head, address, address, home.id, bot.clock())
        await bot.app.store.members.decide(member, approve=True, household_id=home.id, who="李书记",
                                           reason="", now=bot.clock())
    return home


@pytest.fixture
async def care_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML, Clock(ASK - timedelta(days=1)))
    await household(bot, "3-2-501", "张奶奶", ("独居老人",), "张奶奶")
    await household(bot, "5-1-101", "王爷爷", ("残疾", "慢病"), "王爷爷", "王爷爷的女儿")
    await household(bot, "7-1-301", "赵大爷", ("独居老人",))  # nobody in the group
    await household(bot, "9-9-909", "钱叔", ("慢病",), "钱叔")  # no care tag
    bot.clock.now = ASK
    yield bot
    await bot.close()


async def run(bot: Bot, at: datetime) -> list[str]:
    """Run the job at ``at`` and return ``<chat>|<text>`` of what went out."""
    bot.clock.now = at
    before = len(bot.adapter.sent)
    await care_job.job(bot.app.services, at)
    await bot.app.outbox.drain("console")
    return [f"{r.chat.chat_id}|{r.text}" for r in bot.adapter.sent[before:]]


async def test_linked_members_of_care_households_are_asked_once_a_day_in_private(care_bot: Bot) -> None:
    assert await run(care_bot, ASK - timedelta(minutes=1)) == []  # before ask_at: nothing
    sent = await run(care_bot, ASK)
    assert sorted(sent) == sorted(f"@{who}|{care.QUESTION}" for who in ("张奶奶", "王爷爷", "王爷爷的女儿"))
    assert await run(care_bot, ASK + timedelta(minutes=5)) == []  # a second run asks nobody again
    assert len(await run(care_bot, ASK + timedelta(days=1))) == 3  # the next day, again


async def test_a_restart_does_not_ask_twice(care_bot: Bot, tmp_path: Path) -> None:
    assert len(await run(care_bot, ASK)) == 3
    await care_bot.close()
    again = await Bot.start(tmp_path, TOML, Clock(ASK + timedelta(minutes=1)))
    try:
        assert await run(again, ASK + timedelta(minutes=1)) == []
        [thanks] = await again.say("@", "张奶奶", "1")  # the check-in survived the restart too
        assert thanks.text == care.THANKS
    finally:
        await again.close()


async def test_answers_in_either_script_are_recorded_and_thanked(care_bot: Bot) -> None:
    await run(care_bot, ASK)
    care_bot.clock.now = ASK + timedelta(minutes=10)
    [thanks] = await care_bot.say("@", "张奶奶", "１")  # a full-width digit
    assert thanks.text == care.THANKS
    [thanks] = await care_bot.say("@", "王爷爷", "平安。")
    assert thanks.text == care.THANKS
    [checkin] = await care_bot.app.store.care.of_person("console", "王爷爷", "2026-11-23")
    assert checkin.answer == "ok" and checkin.answered_at == care_bot.clock()
    sent = await run(care_bot, LIST)
    assert all("3-2-501" not in s and "5-1-101" not in s for s in sent)  # both answered


async def test_help_opens_one_urgent_errand_for_the_household_and_the_owner_is_told(care_bot: Bot) -> None:
    await run(care_bot, ASK)
    care_bot.clock.now = ASK + timedelta(minutes=3)
    [thanks] = await care_bot.say("@", "王爷爷", "1")
    assert thanks.text == care.THANKS
    care_bot.clock.now += timedelta(minutes=30)
    replies = await care_bot.say("@", "王爷爷", "需要幫助")  # Traditional; after a 1: still help
    assert replies[0].text == care.HELP_COMING
    assert "E1" in to(replies, "@王爷爷")[1].text and "紧急" in to(replies, "@王爷爷")[1].text
    [push] = to(replies, "@李书记")
    assert "E1" in push.text and "需要帮助" in push.text
    assert to(replies, "@网格员小周"), "the grid worker hears it first"
    assert not [r for r in replies if not r.chat.chat_id.startswith("@")], "nothing in the group"
    ticket = await care_bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.priority == "urgent" and ticket.kind == "errand"
    assert ticket.address == "5-1-101" and ticket.grid_key == "xf-1" and ticket.household_id is not None
    assert ticket.group_key == "xingfu" and "残疾" not in ticket.text  # tags never in a ticket
    [mine] = await care_bot.say(GROUP, "王爷爷", "我的工单")
    assert "5-1-101" not in mine.text and "慢病" not in mine.text

    replies = await care_bot.say("@", "王爷爷的女儿", "2")  # the same household: no second errand
    assert "E1" in replies[-1].text and not to(replies, "@李书记")
    assert await care_bot.app.store.tickets.get("E2") is None


async def test_households_not_answered_by_list_at_go_to_grid_worker_and_owner_in_private(care_bot: Bot) -> None:
    await run(care_bot, ASK)
    care_bot.clock.now = ASK + timedelta(hours=1)
    await care_bot.say("@", "王爷爷的女儿", "1")  # one member answering is enough for the household
    sent = await run(care_bot, LIST)
    assert sorted(s.split("|")[0] for s in sent) == ["@李书记", "@网格员小周"]
    for line in sent:
        assert "3-2-501 户主 张奶奶 电话 13812345678" in line  # asked, no answer
        assert care.NOBODY in line and "7-1-301 户主 赵大爷" in line
        assert "5-1-101" not in line and "9-9-909" not in line
    assert await run(care_bot, LIST + timedelta(minutes=1)) == []  # listed once


async def test_someone_without_a_check_in_typing_1_is_unaffected(care_bot: Bot) -> None:
    before = await care_bot.say("@", "路人甲", "1")
    await run(care_bot, ASK)
    care_bot.clock.now = ASK + timedelta(minutes=1)
    assert [r.text for r in await care_bot.say("@", "路人甲", "1")] == [r.text for r in before]
    assert "没看懂" in before[0].text
    assert await care_bot.say(GROUP, "张奶奶", "2") == []  # in the group: plain chat
    await care_bot.say("@", "钱叔", "2")  # linked, but no care tag: never asked
    assert await care_bot.app.store.care.of_person("console", "钱叔", "2026-11-23") == []
    assert await care_bot.app.store.tickets.get("E1") is None


@pytest.mark.parametrize(("text", "want"), [
    ("1", "ok"), ("１", "ok"), ("1 平安", "ok"), ("平安", "ok"), ("平安！", "ok"),
    ("2", "help"), ("2 需要帮助", "help"), ("需要帮助", "help"),
    ("12", None), ("1栋", None), ("代买 大米", None), ("平安夜", None), ("", None),
])
def test_answers_are_read_loosely_but_not_from_other_text(text: str, want: str | None) -> None:
    from bot.text import normalize

    assert care.parse_answer(normalize(text)) == want


async def test_the_running_scheduler_holds_both_care_triggers(care_bot: Bot) -> None:
    from bot.scheduler import Scheduler
    from schedules import JOBS

    scheduler = Scheduler(care_bot.app.services, JOBS)
    await scheduler.start()
    try:
        assert {"care-ask", "care-list"} <= set(scheduler.job_ids())
        ask_next = scheduler.aps.get_job("care-ask").next_run_time
        assert (ask_next.hour, ask_next.minute) == (9, 0)
    finally:
        await scheduler.stop()
