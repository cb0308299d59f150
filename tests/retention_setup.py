"""Shared set-up for the retention tests: answered campaigns and a log of care check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.care import day_of
from tests.campaign_setup import GROUP, link, register
from tests.harness import TZ, Bot

#: Campaign codes: a roll-call, a named vote and a secret vote, closed; a sign-up left open.
CLOSED, OPEN = ("C1", "C2", "C3"), "C4"


async def answered_campaigns(bot: Bot) -> None:
    """Four households, two linked members; six answers to closed campaigns, one to an open one."""
    await register(bot)
    await link(bot, "王阿姨", "3-2-503")
    await link(bot, "刘叔", "3-2-502")
    owner = [("接龙 核酸检测 选项 已做 未做", GROUP, "a", "3-2-501 已做 3人"),
             (None, GROUP, "王阿姨", "没做"),
             ("投票 选楼长 选项 张三 李四 记名", GROUP, "王阿姨", "C2 李四"),
             (None, GROUP, "刘叔", "C2 张三"),
             ("投票 团购 选项 同意 不同意 不记名", GROUP, "王阿姨", "C3 同意"),
             (None, GROUP, "刘叔", "C3 1")]
    for ask, chat, user, answer in owner:
        if ask:
            await bot.say("@", "李书记", ask)
        await bot.say(chat, user, answer)
    for code in CLOSED:
        await bot.say("@", "李书记", f"结束接龙 {code}")
    await bot.say("@", "李书记", "报名 义工 名额 5")
    await bot.say(GROUP, "刘叔", f"{OPEN} 报名 2人")


async def checkins(bot: Bot, days_ago: Sequence[int]) -> None:
    """王阿姨 asked about her household on each of these local days before the bot's today."""
    store, now = bot.app.store, bot.clock()
    home = await store.households.find("xingfu", "3-2-503")
    assert home is not None
    for n in days_ago:
        assert await store.care.ask(day_of(now - timedelta(days=n), TZ), home.id, "console", "王阿姨", now)
