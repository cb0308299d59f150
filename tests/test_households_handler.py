"""``住户`` in chat: owners see, add, change and delete their groups' households, in private only."""

from __future__ import annotations

from pathlib import Path

from bot.privacy import leaks
from bot.store.households import HouseholdData
from tests.harness import BASE_TOML, Bot


def texts(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


async def add(bot: Bot, group: str, address: str, head: str = "张三", phone: str = "13812345678",
              **more: object) -> None:
    await bot.app.store.households.save(
        HouseholdData(group, address, address, head, phone, **more), bot.clock())  # type: ignore[arg-type]


async def test_an_owner_adds_shows_changes_and_deletes_a_household(bot: Bot) -> None:
    said = texts(await bot.say("@", "李书记", "住户 新增 3-2-501 张三 13812345678 3 独居老人、慢病"))
    assert "已登记" in said and "13812345678" in said and "独居老人、慢病" in said and "人数：3" in said
    # Any way of writing the address is the same household, Traditional and full-width too.
    for form in ("3-2-501", "3号楼2单元501室", "３－２－５０１", "3棟2單元501"):
        said = texts(await bot.say("@", "李书记", f"住户 {form}"))
        assert "户主：张三" in said and "幸福小区居民群" in said and "还没有人" in said, form
    said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 电话 13900001111"))
    assert "已修改电话" in said and "13900001111" in said and "独居老人" in said
    said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 标签 无"))
    assert "标签：无" in said
    said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 人数 很多"))
    assert "没有修改" in said and "1 到 99" in said
    said = texts(await bot.say("@", "李书记", "住户 删除 3-2-501"))
    assert "已删除" in said
    assert await bot.app.store.households.count() == 0
    actions = [e.action for e in await bot.app.store.audit.latest()]
    assert actions.count("household") == 4  # added, two changes, deleted: the failed change is not


async def test_bad_input_gets_an_answer_that_says_how(bot: Bot) -> None:
    said = texts(await bot.say("@", "李书记", "住户 新增 3-2-501 张三 12345"))
    assert "没有登记" in said and "11 位" in said
    said = texts(await bot.say("@", "李书记", "住户 新增 3-2-501"))
    assert "户主和电话" in said
    said = texts(await bot.say("@", "李书记", "住户 9-9-909"))
    assert "没有登记 9栋9单元909 这一户" in said
    said = texts(await bot.say("@", "李书记", "住户 新增 后面那栋 张三 13812345678"))
    assert "「后面那栋」既不是您负责的群名，也不是能识别的地址" in said
    said = texts(await bot.say("@", "李书记", "住户 新增 幸福小区居民群 门口 张三 13812345678"))
    assert "「门口」不是能识别的地址" in said
    said = texts(await bot.say("@", "李书记", "住户 阳光花园居民群 1-1-101"))
    assert "您不负责「阳光花园居民群」" in said
    said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 颜色 红"))
    assert "没有登记" in said  # the address comes first
    await add(bot, "xingfu", "3-2-501")
    said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 颜色 红"))
    assert "电话|户主|人数|标签|网格" in said


async def test_an_address_in_several_groups_asks_which(bot: Bot) -> None:
    await add(bot, "xingfu", "3-2-501", head="张三")
    await add(bot, "yangguang", "3-2-501", head="王五")
    # 刘主任 runs the township: both villages are theirs.
    said = texts(await bot.say("@", "刘主任", "住户 3-2-501"))
    assert "2 个群都有登记" in said and "请写明群名" in said
    said = texts(await bot.say("@", "刘主任", "住户 阳光花园 3-2-501"))
    assert "户主：王五" in said
    said = texts(await bot.say("@", "刘主任", "住户 新增 5-1-101 赵六 13811112222"))
    assert "请写明加到哪个群" in said
    said = texts(await bot.say("@", "刘主任", "住户 新增 幸福小区居民群 5-1-101 赵六 13811112222"))
    assert "已登记" in said and "幸福小区居民群" in said
    # An owner of one village sees only theirs.
    assert "户主：张三" in texts(await bot.say("@", "李书记", "住户 3-2-501"))


async def test_households_alone_counts_per_group(bot: Bot) -> None:
    for n in range(3):
        await add(bot, "xingfu", f"1-1-{101 + n}")
    said = texts(await bot.say("@", "刘主任", "住户"))
    assert "共登记 3 户" in said and "· 幸福小区居民群 3 户" in said and "用法" in said


async def test_nothing_private_in_a_group(bot: Bot) -> None:
    await add(bot, "xingfu", "3-2-501", tags=("独居老人",))
    for text in ("住户 3-2-501", "住户 新增 3-2-502 李四 13812340000", "住户", "入群率", "未入群"):
        replies = await bot.say("幸福小区居民群", "李书记", text)
        said = texts(replies)
        assert replies and "私聊" in said, text
        assert not leaks(said) and "独居老人" not in said and "张三" not in said
    assert await bot.app.store.households.count() == 1  # nothing added from the group


async def test_residents_cannot_read_households(bot: Bot) -> None:
    await add(bot, "xingfu", "3-2-501")
    said = texts(await bot.say("@", "张阿姨", "住户 3-2-501"))
    assert "只有群主" in said and "13812345678" not in said


async def test_the_owner_help_card_lists_the_household_commands(bot: Bot) -> None:
    said = texts(await bot.say("@", "李书记", "帮助"))
    assert "住户 新增" in said and "入群率" in said and "未入群" in said
    assert "住户" not in texts(await bot.say("幸福小区居民群", "李书记", "帮助"))


async def test_the_card_names_the_grid_and_the_members_linked(tmp_path: Path) -> None:
    grids = '\n[[grids]]\nkey = "g1"\ngroup = "xingfu"\nname = "三号楼网格"\nworkers = ["王网格"]\n'
    bot = await Bot.start(tmp_path, BASE_TOML + grids)
    try:
        await add(bot, "xingfu", "3-2-501", grid_key="g1")
        h = await bot.app.store.households.find("xingfu", "3-2-501")
        assert h is not None
        store, now = bot.app.store, bot.clock()
        member, _ = await store.members.joined("console", "u1", "xingfu", "老张", now)
        member = await store.members.register(member, "张三", h.address_key, h.address, h.id, now)
        await store.members.decide(member, approve=True, household_id=h.id, who="李书记", reason="", now=now)
        said = texts(await bot.say("@", "李书记", "住户 3-2-501"))
        assert "网格：三号楼网格（g1 · 网格员 王网格）" in said and "已入群：老张（实名 张三）" in said
        said = texts(await bot.say("@", "李书记", "住户 修改 3-2-501 网格 g7"))
        assert "网格：g7" in said  # a grid only the register names
    finally:
        await bot.close()
