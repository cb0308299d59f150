"""Regression (issue #9, found by the dispatcher property tests): owners' long texts were
repeated whole, and an owner's note typed in the group was echoed back into it."""

from __future__ import annotations

from bot.tickets import TEXT_LIMIT
from tests.harness import Bot, to

GROUP = "幸福小区居民群"


async def test_a_long_progress_note_reaches_the_group_capped(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米一袋 3栋")
    replies = await bot.say("@", "李书记", "进展 E1 " + "已经在路上" * 4000)
    [notice] = to(replies, GROUP)
    assert "字已截去" in notice.text and len(notice.text) < TEXT_LIMIT + 60


async def test_a_volunteer_name_is_a_name(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米一袋 3栋")
    [r] = await bot.say("@", "李书记", "指派 E1 " + "王" * 41)
    assert "最多 40 个字" in r.text
    replies = await bot.say("@", "李书记", "指派 E1 王小明 13900001111")
    assert "已把 E1 指派给 王小明 13900001111" in replies[0].text


async def test_a_note_typed_in_the_group_is_not_echoed(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米一袋 3栋")
    [r] = await bot.say(GROUP, "李书记", "备注 E1 家里钥匙在门垫下")
    assert r.text == "管理指令请私聊我发送，例如「备注 E1 …」。"
    [r] = await bot.say(GROUP, "李书记", "接单 E1")
    assert r.text == "管理指令请私聊我发送，例如「接单 E1」。"


async def test_a_bad_code_is_quoted_short(bot: Bot) -> None:
    [r] = await bot.say("@", "李书记", "接单 " + "米" * 10_000)
    assert len(r.text) < 100 and "不是工单编号" in r.text
