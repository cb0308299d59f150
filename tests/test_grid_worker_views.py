"""Grid workers (网格员) in private chat: their grid's households (住户) and the roll-call
households of their grid yet to answer (接龙进度), read only and nothing of other grids."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.households import HouseholdData
from tests.campaign_setup import GROUP, HOMES
from tests.harness import BASE_TOML, Bot

GRIDS = BASE_TOML + ('\n[[grids]]\nkey = "xf-1"\ngroup = "xingfu"\nname = "幸福一网格"\nworkers = ["网格员小周"]\n'
                     '\n[[grids]]\nkey = "xf-2"\ngroup = "xingfu"\nname = "幸福二网格"\nworkers = ["网格员小吴"]\n')
#: 501 and 502 are in grid xf-1; 503 and 504 in xf-2.
GRID_OF = {"3-2-501": "xf-1", "3-2-502": "xf-1", "3-2-503": "xf-2", "3-2-504": "xf-2"}


@pytest.fixture
async def bot(tmp_path: Path) -> Bot:  # type: ignore[misc]
    bot = await Bot.start(tmp_path, GRIDS)
    for key, (address, head, phone) in HOMES.items():
        await bot.app.store.households.save(
            HouseholdData("xingfu", key, address, head, phone, tags=("独居老人",) if key == "3-2-501" else (),
                          grid_key=GRID_OF[key]), bot.clock())
    yield bot
    await bot.close()


def text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


async def test_a_grid_worker_lists_and_opens_the_households_of_their_grid_only(bot: Bot) -> None:
    said = text(await bot.say("@", "网格员小周", "住户"))
    assert "您的网格（幸福一网格）共 2 户，已入群 0 户" in said
    assert "3栋2单元501 张三 13812345671 未入群 独居老人" in said and "3栋2单元502 李四" in said
    assert "王五" not in said and "赵六" not in said
    card = text(await bot.say("@", "网格员小周", "住户 3号楼2单元502室"))
    assert "户主：李四" in card and "13812345672" in card
    assert "您的网格里没有登记 3栋2单元503" in text(await bot.say("@", "网格员小周", "住户 3-2-503"))
    assert "请联系群主" in text(await bot.say("@", "网格员小周", "住户 删除 3-2-501"))
    assert await bot.app.store.households.count() == 4
    assert "不是能识别的地址" in text(await bot.say("@", "网格员小周", "住户 东边那家"))
    # In the group, a grid worker is pointed to private chat like an owner; a resident is refused.
    assert "请私聊我" in text(await bot.say(GROUP, "网格员小周", "住户"))
    assert "只有" in text(await bot.say("@", "张阿姨", "住户"))


async def test_a_grid_worker_follows_up_the_roll_call_in_their_grid(bot: Bot) -> None:
    await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做")
    await bot.say(GROUP, "张阿姨", "3-2-501 已做")
    await bot.say(GROUP, "王大爷", "3-2-503 已做")
    mine = text(await bot.say("@", "网格员小周", "接龙进度 C1"))
    assert "您的网格：幸福一网格" in mine and "已回复 1/2 户" in mine
    assert "3栋2单元502 李四 13812345672" in mine
    assert "3栋2单元504" not in mine and "赵六" not in mine and "3栋2单元501 张三" not in mine
    other = text(await bot.say("@", "网格员小吴", "接龙进度 C1"))
    assert "幸福二网格" in other and "已回复 1/2 户" in other and "3栋2单元504 赵六" in other
    # The owner still sees the whole group; the grid worker's list of campaigns is their group's.
    owner = text(await bot.say("@", "李书记", "接龙进度 C1"))
    assert "已回复 2/4 户" in owner and "李四" in owner and "赵六" in owner
    assert "C1" in text(await bot.say("@", "网格员小周", "接龙进度"))
    # Ending one stays with the owners.
    assert "只有" in text(await bot.say("@", "网格员小周", "结束接龙 C1"))


async def test_a_campaign_outside_the_grid_workers_group_is_refused(bot: Bot) -> None:
    await bot.say("@", "刘主任", "接龙 阳光花园居民群：防疫物资 选项 已领 未领")
    said = text(await bot.say("@", "网格员小周", "接龙进度 C1"))
    assert "不是您负责的群或网格" in said


async def test_the_grid_workers_help_card_names_both_views(bot: Bot) -> None:
    card = text(await bot.say("@", "网格员小周", "帮助"))
    assert "住户　本网格的住户和电话" in card and "接龙进度 C1　本网格还没回复的住户" in card
