"""Regression: "评价 E1 10" was stored as 1 分 and "4.5" as 4; reports invited a rating."""

from __future__ import annotations

import pytest

from tests.harness import Bot

GROUP = "幸福小区居民群"


@pytest.mark.parametrize("score", ["10", "4.5", "0", "六", "很好"])
async def test_scores_outside_one_to_five_are_refused(bot: Bot, score: str) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    await bot.say("@", "李书记", "完成 E1")
    [r] = await bot.say(GROUP, "张阿姨", f"评价 E1 {score}")
    assert f"「{score}」不是 1 到 5 之间的整数分" in r.text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and await bot.app.store.tickets.rating(t) is None


async def test_a_household_report_is_not_rated(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "报备 3-2-501 一家三口从外地返回")
    replies = await bot.say("@", "李书记", "完成 V1 已登记")
    assert all("评价" not in r.text for r in replies)
    [r] = await bot.say(GROUP, "张阿姨", "评价 V1 5")
    assert "不需要评价" in r.text
