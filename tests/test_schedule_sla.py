"""The SLA scan reads only what is due (issue 13): each ticket's next moment is planned, kept
across restarts and quiet hours, planned again when the ticket or the rules change."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.message import Reply
from schedules import sla
from tests.harness import BASE_TOML, START, Bot, Clock
from tests.store_backends import sqlite_db

GROUP = "幸福小区居民群"
LIMITS = BASE_TOML + """
[sla.rumor]
accept_minutes = 30
[sla.errand]
urgent_accept_minutes = 20
"""


async def run(bot: Bot, at: datetime) -> list[tuple[str, str]]:
    """The SLA job at a fixed time: (chat, first line) of everything it queued."""
    bot.clock.now = at
    replies: list[Reply] = await sla.job(bot.app.services, at)
    return [(r.chat.chat_id, r.text.splitlines()[0]) for r in replies]


async def planned(bot: Bot, at: datetime) -> list[str]:
    """The tickets a scan at ``at`` would read."""
    return [t.code for t in await bot.app.store.sla.due(at, 100)]


async def test_each_kind_and_priority_is_read_at_its_own_moment(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, LIMITS)
    try:
        await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")  # E1 urgent errand: 20 min here
        await bot.say(GROUP, "王大爷", "代买 米 3栋")  # E2 normal errand: 2 h
        await bot.say(GROUP, "孙姐", "核实 5栋有人发烧")  # V1: 10 min (default)
        await bot.say(GROUP, "赵叔", "求证 明天全城停水")  # R1: 30 min here
        assert await run(bot, START) == []  # works each out once
        assert await planned(bot, START + timedelta(minutes=4)) == []
        assert [line[:8] for _, line in await run(bot, START + timedelta(minutes=5))] == ["【接单提醒】V1"]
        assert [line[:8] for _, line in await run(bot, START + timedelta(minutes=15))] == [
            "【接单提醒】E1", "【超时提醒】V1"]
        assert await planned(bot, START + timedelta(minutes=19)) == []
        assert [line[:8] for _, line in await run(bot, START + timedelta(minutes=25))] == [
            "【超时提醒】E1", "【超时提醒】V1", "【接单提醒】R1"]
        assert await planned(bot, START + timedelta(minutes=29)) == []
        assert await planned(bot, START + timedelta(minutes=30)) == ["R1"]
    finally:
        await bot.close()


async def test_one_reminded_already_is_not_read_again_before_its_deadline(bot: Bot) -> None:
    await bot.say(GROUP, "王大爷", "代买 米 3栋")
    assert len(await run(bot, START + timedelta(hours=1, minutes=55))) == 1
    assert await planned(bot, START + timedelta(hours=1, minutes=59)) == []
    assert await run(bot, START + timedelta(hours=1, minutes=59)) == []
    assert await run(bot, START + timedelta(hours=2)) == [
        ("@刘主任", "【超时提醒】E1 已 2 小时未接单（时限 2 小时），请督办：")]


async def test_a_held_reminder_waits_for_the_morning_unread(tmp_path: Path) -> None:
    evening = START.replace(hour=20, minute=30)
    bot = await Bot.start(tmp_path, BASE_TOML + '\n[sla]\nquiet_hours = "22:00-07:00"\n', Clock(evening))
    try:
        await bot.say(GROUP, "王大爷", "代买 米 3栋")  # reminder 22:25, in the quiet hours
        assert await run(bot, evening.replace(hour=22, minute=25)) == []
        morning = evening.replace(hour=7, minute=0) + timedelta(days=1)
        assert await planned(bot, morning - timedelta(seconds=1)) == []  # no scan in the night reads it
        assert [c for c, _ in await run(bot, morning)] == ["@李书记", "@区指挥部小王"]
    finally:
        await bot.close()


async def test_the_top_hears_once_and_the_next_phase_starts_afresh(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")
    await run(bot, START + timedelta(minutes=10))
    assert [c for c, _ in await run(bot, START + timedelta(minutes=20))] == ["@区指挥部小王"]  # the district
    assert await run(bot, START + timedelta(minutes=30)) == []  # no one further up: not told again
    assert await planned(bot, START + timedelta(days=30)) == []
    bot.clock.now = START + timedelta(minutes=31)
    await bot.say("@", "李书记", "接单 E1")
    assert await run(bot, START + timedelta(minutes=35)) == []
    assert await run(bot, START + timedelta(hours=23, minutes=55)) == [
        ("@李书记", "【办结提醒】E1 须在 09:00 前办结（时限 24 小时），请尽快办理，办好后回复 完成 E1。")]


async def test_new_rules_after_a_restart_plan_every_ticket_again(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.say(GROUP, "王大爷", "代买 米 3栋")
    assert await run(bot, START + timedelta(minutes=1)) == []  # planned for 10:55 under 2 hours
    await bot.close()
    quicker = BASE_TOML + "\n[sla.errand]\naccept_minutes = 30\n"
    again = await Bot.start(tmp_path, quicker, Clock(START + timedelta(minutes=2)))
    try:
        assert await run(again, START + timedelta(minutes=25)) == [
            ("@李书记", "【接单提醒】E1 须在 09:30 前接单（时限 30 分钟），请尽快接单或指派。")]
    finally:
        await again.close()


async def test_what_was_told_before_the_plan_existed_is_not_told_again(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")
    assert len(await run(bot, START + timedelta(minutes=10))) == 2
    # As migration 018 leaves an upgraded database: every open ticket to be worked out again.
    await sqlite_db(bot.app.store).execute("UPDATE sla_due SET due_at = ''")
    assert await run(bot, START + timedelta(minutes=11)) == []  # the outbox knows what was queued
