"""Regression: owner pushes said every action twice, and rumour cards offered 驳回 but not 辟谣."""

from __future__ import annotations

from tests.harness import Bot, to


async def test_an_errand_push_names_each_action_once(bot: Bot) -> None:
    [push] = to(await bot.say("幸福小区居民群", "张阿姨", "代买 大米一袋 3栋2单元501"), "@李书记")
    commands = [b.command for b in push.buttons]
    assert commands == ["接单 E1", "完成 E1", "驳回 E1", "详情 E1"]
    for command in commands:
        assert command not in push.text  # the buttons say it; the text does not repeat it
    assert "指派 E1 姓名" in push.text  # the one action that needs the owner's own words


async def test_a_rumour_push_offers_debunk_and_confirm_and_a_tap_on_debunk_asks_for_the_statement(
        bot: Bot) -> None:
    [push] = to(await bot.say("幸福小区居民群", "张阿姨", "求证 听说明天全区停水"), "@李书记")
    assert [b.label for b in push.buttons] == ["接单", "辟谣", "属实", "驳回", "详情"]
    assert "辟谣 R1 官方说法" in push.text
    [prompt] = await bot.say("@", "李书记", "辟谣 R1")
    assert "请写上官方说法" in prompt.text
