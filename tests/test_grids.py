"""Grid workers (网格员): tickets from their grid's households reach them first, and only those."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.directory import Role
from bot.store.households import HouseholdData
from tests.harness import BASE_TOML, Bot, make_config, to

GRIDS = BASE_TOML + """
[[grids]]
key = "xf-1"
group = "xingfu"
name = "幸福小区第一网格"
workers = ["网格员小周"]

[[grids]]
key = "xf-2"
group = "幸福小区居民群"
workers = ["网格员小吴"]
"""
GROUP = "幸福小区居民群"


@pytest.fixture
async def grid_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, GRIDS)
    await bot.app.store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501", grid_key="xf-1"),
                                        bot.clock())
    yield bot
    await bot.close()


async def test_a_ticket_from_a_grid_household_goes_to_its_grid_worker_first(grid_bot: Bot) -> None:
    replies = await grid_bot.say(GROUP, "张阿姨", "代买 胰岛素两盒 3号楼2单元501")
    assert [r.chat.chat_id for r in replies[1:]] == ["@网格员小周", "@李书记"]
    push = to(replies, "@网格员小周")[0]
    assert "E1" in push.text and [b.command for b in push.buttons][:1] == ["接单 E1"]
    ticket = await grid_bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.grid_key == "xf-1" and ticket.household_id is not None


async def test_a_grid_worker_acts_on_their_grid_only(grid_bot: Bot) -> None:
    await grid_bot.say(GROUP, "张阿姨", "代买 胰岛素两盒 3-2-501")
    await grid_bot.say(GROUP, "王大爷", "代买 面条 7栋101")  # no household: no grid
    [todo] = await grid_bot.say("@", "网格员小周", "待办")
    assert "E1" in todo.text and "E2" not in todo.text
    replies = await grid_bot.say("@", "网格员小周", "接单 E1")
    assert "已接单" in replies[0].text or "接单" in replies[0].text
    [refused] = await grid_bot.say("@", "网格员小周", "完成 E2")
    assert "不是该群的负责人或该网格的网格员" in refused.text
    [refused] = await grid_bot.say("@", "网格员小吴", "详情 E1")  # another grid of the same group
    assert "不能处理" in refused.text
    [not_owner] = await grid_bot.say("@", "网格员小周", "通知 停水")
    assert "只有群主" in not_owner.text


def test_roles_follow_the_grid(tmp_path: Path) -> None:
    from bot.directory import Directory

    directory = Directory(make_config(tmp_path, GRIDS))
    xingfu = directory.group("xingfu")
    assert directory.role("console", "网格员小周", xingfu) == Role.GRID
    assert directory.role("console", "网格员小周", directory.group("yangguang")) == Role.RESIDENT
    assert directory.role("console", "网格员小周") == Role.GRID
    assert directory.role("console", "李书记", xingfu) == Role.OWNER


@pytest.mark.parametrize(("extra", "why"), [
    ('[[grids]]\nkey = "g"\ngroup = "nowhere"\n', "没有这个群"),
    ('[[grids]]\nkey = "g"\ngroup = "xingfu"\n[[grids]]\nkey = "g"\ngroup = "xingfu"\n', "重复"),
    ('[[grids]]\nkey = "g"\ngroup = "xingfu"\nworker = ["a"]\n', "workers"),
    ('[join]\nremind_after_minutes = "一天"\n', "整数"),
])
def test_bad_grid_and_join_tables_are_explained_in_chinese(tmp_path: Path, extra: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        make_config(tmp_path, BASE_TOML + extra)


async def test_a_grid_worker_gets_the_grid_help_card(grid_bot: Bot) -> None:
    [card] = await grid_bot.say("@", "网格员小周", "帮助")
    assert "网格员指令" in card.text and "通知 [群名]" not in card.text
