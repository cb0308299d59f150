"""Regression (issue #9 §1): a 举报 naming a neighbour was echoed in full in the village group."""

from __future__ import annotations

from bot.privacy import leaks
from tests.harness import Bot, to

GROUP = "阳光花园居民群"
REPORT = "举报 阳光花园3栋王某某一家昨晚从外地返回没报备 他电话13900001111"


async def test_the_group_gets_a_short_acknowledgement_without_the_content(bot: Bot) -> None:
    replies = await bot.say(GROUP, "孙姐", REPORT)
    [ack] = to(replies, GROUP)
    assert ack.text.startswith("已收到您的核实/举报 V1") and "不在群里公开" in ack.text
    assert "王某某" not in ack.text and "外地" not in ack.text and leaks(ack.text) == []
    assert ack.mentions == ()  # the village is not pointed at the reporter
    [push] = to(replies, "@陈网格员")
    assert "王某某" in push.text and "13900001111" in push.text


async def test_later_notices_in_the_group_keep_the_findings_private(bot: Bot) -> None:
    await bot.say(GROUP, "孙姐", REPORT)
    replies = await bot.say("@", "陈网格员", "完成 V1 已上门，王某某一家已居家观察")
    [notice] = to(replies, GROUP)
    assert "王某某" not in notice.text and "私聊我发送「进度 V1」" in notice.text
    [card] = await bot.say("@", "孙姐", "进度 V1")  # the reporter reads the finding in private
    assert "王某某一家已居家观察" in card.text
    [public] = await bot.say(GROUP, "孙姐", "进度 V1")
    assert "王某某" not in public.text and "不在群里公开" in public.text


async def test_a_household_report_is_not_echoed_either(bot: Bot) -> None:
    replies = await bot.say(GROUP, "孙姐", "报备 3-2-501 一家三口从外地返回 居家观察")
    [ack] = to(replies, GROUP)
    assert ack.text.startswith("已收到报备 V1") and "3-2-501" not in ack.text and "一家三口" not in ack.text
    [mine] = await bot.say(GROUP, "孙姐", "我的工单")
    assert "一家三口" not in mine.text and "3-2-501" not in mine.text


async def test_an_errand_keeps_a_masked_one_line_echo(bot: Bot) -> None:
    [ack] = to(await bot.say(GROUP, "孙姐", "代买 大米一袋 3栋501 电话 138-1234-5678"), GROUP)
    assert "大米一袋" in ack.text and "138****5678" in ack.text and leaks(ack.text) == []
