"""Checkpoint duty rosters through the user's path: reminders, check-in, missed check-in, roster view."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot import rosters
from schedules import rosters as roster_job
from tests.harness import BASE_TOML, TZ, Bot, Clock
from tests.store_backends import sqlite_db

TOML = BASE_TOML + """
[[checkpoints]]
key = "north"
name = "北门卡点"
group = "xingfu"
leads = ["卡点组长老周"]
remind_before_minutes = 30
late_after_minutes = 15
shifts = [
  { name = "早班", start = "08:00", end = "16:00", people = ["王小明:王小明", "张三"] },
  { name = "夜班", start = "22:00", end = "06:00", people = ["李四:李四"] },
]

[[checkpoints]]
key = "south"
name = "南门卡点"
group = "xingfu"
shifts = [{ name = "早班", start = "08:00", end = "16:00", people = ["赵六:赵六"] }]
"""
DAY = datetime(2026, 11, 23, 0, 0, tzinfo=TZ)
SHIFT = DAY.replace(hour=8)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML, Clock(DAY))
    yield bot
    await bot.close()


async def run(bot: Bot, at: datetime) -> list[str]:
    """Run the roster job at ``at``; ``<chat>|<text>`` of what went out."""
    bot.clock.now = at
    before = len(bot.adapter.sent)
    await roster_job.job(bot.app.services, at)
    await bot.app.outbox.drain("console")
    return [f"{r.chat.chat_id}|{r.text}" for r in bot.adapter.sent[before:]]


async def say(bot: Bot, user: str, text: str, at: datetime) -> list[str]:
    bot.clock.now = at
    return [f"{r.chat.chat_id}|{r.text}" for r in await bot.say("@", user, text)]


def test_days_and_shift_times() -> None:
    today = date(2026, 11, 23)
    assert rosters.parse_day("明天", today) == date(2026, 11, 24)
    assert rosters.parse_day("11月25日", today) == rosters.parse_day("11-25", today) == date(2026, 11, 25)
    assert rosters.parse_day("2026-02-30", today) is None and rosters.parse_day("早班", today) is None
    start, end = rosters.shift_times(today, "22:00", "06:00", TZ)
    assert (start.hour, end.day, end.hour) == (22, 24, 6)
    assert rosters.shift_times(today, "16:00", "24:00", TZ)[1] == datetime(2026, 11, 24, 0, 0, tzinfo=TZ)


async def test_each_known_person_is_reminded_once_thirty_minutes_before(bot: Bot, tmp_path: Path) -> None:
    assert await run(bot, SHIFT - timedelta(minutes=31)) == []
    sent = await run(bot, SHIFT - timedelta(minutes=30))
    assert sorted(s.split("|")[0] for s in sent) == ["@王小明", "@赵六"]  # 张三 has no id yet
    assert "08:00-16:00 在「北门卡点」值班" in next(s for s in sent if s.startswith("@王小明"))
    assert await run(bot, SHIFT - timedelta(minutes=29)) == []
    await bot.close()  # a restart reminds nobody twice
    again = await Bot.start(tmp_path, TOML, Clock(SHIFT - timedelta(minutes=20)))
    try:
        assert await run(again, SHIFT - timedelta(minutes=20)) == []
        night = await run(again, DAY.replace(hour=21, minute=30))
        assert [s.split("|")[0] for s in night] == ["@李四"]
    finally:
        await again.close()


async def test_a_bot_that_was_down_does_not_remind_after_the_start(bot: Bot) -> None:
    assert [s for s in await run(bot, SHIFT + timedelta(minutes=1)) if "上岗提醒" in s] == []


async def test_missed_check_in_alerts_the_lead_and_the_owner_once(bot: Bot) -> None:
    await run(bot, SHIFT - timedelta(minutes=30))
    assert "已到岗" in (await say(bot, "王小明", "到岗 北门卡点", SHIFT - timedelta(minutes=5)))[0]
    assert await run(bot, SHIFT + timedelta(minutes=14)) == []
    sent = await run(bot, SHIFT + timedelta(minutes=15))
    north = [s for s in sent if "北门卡点" in s]
    assert sorted(s.split("|")[0] for s in north) == ["@卡点组长老周", "@李书记"]
    assert "张三" in north[0] and "王小明" not in north[0]
    assert any("南门卡点" in s and "赵六" in s for s in sent)
    assert await run(bot, SHIFT + timedelta(minutes=16)) == []  # once
    assert await run(bot, SHIFT + timedelta(hours=3)) == []
    late = await say(bot, "赵六", "到岗 南门", SHIFT + timedelta(minutes=40))
    assert late[0].startswith("@赵六|已到岗：「南门卡点」早班")
    assert len(late) == 1  # south has no lead to tell of the late arrival


async def test_first_check_in_identifies_a_person_without_an_id(bot: Bot) -> None:
    await run(bot, SHIFT - timedelta(minutes=30))
    ask = await say(bot, "微信用户8848", "到岗 北门卡点", SHIFT - timedelta(minutes=10))
    assert ask == ["@微信用户8848|第一次到岗请写上您在排班表上的姓名，例如：到岗 北门卡点 张三"
                   "（确认一次后，以后会提前提醒您上岗）。"]
    ok = await say(bot, "微信用户8848", "到岗 北门卡点 张三", SHIFT - timedelta(minutes=9))
    assert "已确认您就是排班表上的 张三" in ok[0] and "已到岗" in ok[0]
    assert "不用重复签到" in (await say(bot, "微信用户8848", "到岗 北门", SHIFT))[0]
    tomorrow = await run(bot, SHIFT + timedelta(days=1, minutes=-30))  # reminders now reach them
    assert "@微信用户8848" in [s.split("|")[0] for s in tomorrow]
    taken = await say(bot, "冒名者", "到岗 北门卡点 张三", SHIFT + timedelta(days=1))
    assert "已由另一个账号确认过身份" in taken[0]


async def test_check_in_at_the_wrong_checkpoint_or_time_gets_a_clear_answer(bot: Bot) -> None:
    wrong = await say(bot, "王小明", "到岗 南门卡点", SHIFT)
    assert wrong == ["@王小明|您现在的班在「北门卡点」（08:00-16:00），不是「南门卡点」。请到北门卡点后回复「到岗 北门卡点」。"]
    early = await say(bot, "李四", "到岗 北门卡点", SHIFT)
    assert early == ["@李四|您在「北门卡点」今天的班是 夜班（22:00-06:00），还不到上岗时间（开班前 30 分钟起可以到岗）。"]
    nobody = await say(bot, "路人甲", "到岗 北门卡点", DAY.replace(hour=23))  # everyone on it is known
    assert "您现在不在「北门卡点」的排班里" in nobody[0]
    over = await say(bot, "王小明", "到岗 北门卡点", DAY.replace(hour=17))
    assert over == ["@王小明|您在「北门卡点」今天的班是 早班（08:00-16:00），已经结束。"]
    unknown = await say(bot, "王小明", "到岗 西门", SHIFT)
    assert unknown[0] == "@王小明|没有「西门」这个卡点。现有卡点：北门卡点、南门卡点。例如：到岗 北门卡点"
    assert "请写上卡点名" in (await say(bot, "王小明", "到岗", SHIFT))[0]


async def test_roster_view_shows_who_checked_in_without_phones(bot: Bot) -> None:
    await say(bot, "王小明", "到岗 北门卡点", SHIFT)
    view = await say(bot, "李书记", "排班 北门", SHIFT + timedelta(minutes=20))
    assert view == ["@李书记|【卡点排班】2026-11-23\n■ 北门卡点\n"
                    "  早班（08:00-16:00）：张三（未到岗）、王小明（已到岗 08:00）\n"
                    "  夜班（22:00-06:00）：李四（未开始）"]
    assert "南门卡点" in (await say(bot, "王小明", "排班 明天", SHIFT))[0]  # on the roster: may view
    assert "只给卡点负责人" in (await say(bot, "路人甲", "排班", SHIFT))[0]
    assert "没有排班" in (await say(bot, "李书记", "排班 2026-11-01", SHIFT))[0]
    assert "看不懂「西门」" in (await say(bot, "李书记", "排班 西门", SHIFT))[0]


async def test_a_display_name_that_is_the_roster_name_identifies_at_once(bot: Bot) -> None:
    said = await say(bot, "张三", "到岗 北门卡点", SHIFT - timedelta(minutes=30))
    assert said[0].startswith("@张三|已确认您就是排班表上的 张三，以后会在开班前提醒您。已到岗：「北门卡点」早班")
    in_group = await bot.say("幸福小区居民群", "王小明", "到岗 北门卡点")  # in the group too, @-mentioning
    assert in_group[0].chat.chat_id == "幸福小区居民群" and in_group[0].mentions


async def test_the_every_minute_run_writes_nothing_once_the_days_are_made(bot: Bot) -> None:
    store, config = bot.app.store, bot.app.config
    assert await rosters.ensure_days(store, config, (DAY.date(),)) == 3
    said: list[str] = []
    await sqlite_db(store).conn.set_trace_callback(said.append)
    assert await rosters.ensure_days(store, config, (DAY.date(),)) == 0
    await sqlite_db(store).conn.set_trace_callback(lambda _: None)
    assert said and all(s.lstrip().startswith("SELECT") for s in said), said
