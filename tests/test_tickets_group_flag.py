"""Regression: only groups at the village level could take residents' tickets (``tickets`` flag)."""

from __future__ import annotations

from pathlib import Path

from tests.harness import BASE_TOML, Bot, to

# A township that runs its own residents' group, and a village group used only for notices.
TOML = (BASE_TOML
        .replace('level = "township"\n', 'level = "township"\ntickets = true\n')
        .replace('key = "yangguang"\n', 'key = "yangguang"\ntickets = false\n'))


async def test_township_group_with_tickets_true_takes_a_ticket(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, TOML)
    try:
        replies = await bot.say("东城街道群", "张阿姨", "代买 大米一袋 3栋2单元501")
        assert "已登记代办工单 E1" in to(replies, "东城街道群")[0].text
        assert to(replies, "@刘主任")  # the township's owner is told
        [ticket] = await bot.app.store.tickets.list()
        assert ticket.group_key == "dongcheng"
    finally:
        await bot.close()


async def test_village_group_with_tickets_false_makes_none(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, TOML)
    try:
        assert await bot.say("阳光花园居民群", "孙姐", "代买 大米一袋 3栋2单元501") == []
        assert await bot.say("阳光花园居民群", "孙姐", "代买") == []
        assert await bot.app.store.tickets.list() == []
        # Other village groups keep taking tickets.
        replies = await bot.say("幸福小区居民群", "张阿姨", "代买 大米一袋 3栋2单元501")
        assert "已登记代办工单 E1" in to(replies, "幸福小区居民群")[0].text
    finally:
        await bot.close()


async def test_default_still_follows_the_level(bot: Bot) -> None:
    assert await bot.say("东城街道群", "张阿姨", "代买 大米一袋 3栋2单元501") == []
    assert await bot.say("河西区指挥部", "张阿姨", "求证 明天停水") == []
    assert await bot.app.store.tickets.list() == []
