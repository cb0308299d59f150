"""Regression: a rumour ticket rejected (驳回) told only its own group, not the other groups
whose reports had joined it; they waited for an answer that never came."""

from __future__ import annotations

from tests.harness import Bot, to

XINGFU, YANGGUANG = "幸福小区居民群", "阳光花园居民群"


async def test_a_rejected_rumour_ticket_reaches_every_reporters_group_once(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "求证 听说明天超市关门")
    await bot.say(YANGGUANG, "小陈", "求证 网传明天超市关门，是真的吗")
    await bot.say(YANGGUANG, "老周", "求证 明天超市关门吗")
    replies = await bot.say("@", "李书记", "驳回 R1 说法不清，请说明是哪个超市")
    [own] = to(replies, XINGFU)
    [other] = to(replies, YANGGUANG)
    assert "说法不清" in own.text and "说法不清" in other.text
    assert [m.user_id for m in other.mentions] == ["小陈", "老周"]
