"""``[群名]`` resolution (``bot/group_scope.py``) for owners' commands."""

from __future__ import annotations

from bot.config import GroupConfig
from bot.group_scope import managed_subtree
from tests.harness import Bot


async def test_a_name_picks_a_group_and_its_subtree_among_the_owners(bot: Bot) -> None:
    d = bot.app.directory
    mine = d.managed_groups("console", "刘主任")

    def pick(name: str, among: list[GroupConfig] = mine) -> list[str] | str:
        found = managed_subtree(d, name, among, hint="（提示）", example="图表")
        return found if isinstance(found, str) else [g.key for g in found]

    assert pick("东城街道群") == ["dongcheng", "xingfu", "yangguang"]
    assert pick("幸福") == ["xingfu"]
    assert pick("居民群") == "「居民群」对应 2 个群：幸福小区居民群、阳光花园居民群。请写完整群名，例如：图表 幸福小区居民群"
    assert pick("河西区指挥部") == "您不负责「河西区指挥部」，只能查看您负责的群。"
    assert pick("没有这个群") == "您负责的群里没有叫「没有这个群」的群。（提示）"
    # Staff's subtree of a township keeps only what they manage (everything, here).
    assert pick("东城街道群", d.managed_groups("console", "区指挥部小王")) == ["dongcheng", "xingfu", "yangguang"]
