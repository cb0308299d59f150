"""``入群率`` and ``未入群`` on hand-made households and members, through the dispatcher."""

from __future__ import annotations

from bot.store.households import Household, HouseholdData
from handlers.join_rate import PAGE
from tests.harness import Bot

BASE_EXTRA = """
[[groups]]
key = "xicheng"
name = "西城街道群"
level = "township"
parent = "hexi"
owners = ["周主任"]

[[groups]]
key = "lijia"
name = "李家村村民群"
parent = "xicheng"
owners = ["李村长"]
"""


def texts(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


async def homes(bot: Bot, group: str, count: int) -> list[Household]:
    saved = []
    for n in range(count):
        h, _ = await bot.app.store.households.save(
            HouseholdData(group, f"1-1-{n + 1:03d}", f"1-1-{n + 1:03d}", f"户主{n + 1}",
                          f"138{n + 1:08d}"), bot.clock())
        saved.append(h)
    return saved


async def link(bot: Bot, h: Household, user: str, approve: bool = True) -> None:
    store, now = bot.app.store, bot.clock()
    member, _ = await store.members.joined("console", user, h.group_key, user, now)
    member = await store.members.register(member, user, h.address_key, h.address, h.id, now)
    if approve:
        await store.members.decide(member, approve=True, household_id=h.id, who="o", reason="", now=now)


async def start(tmp_path) -> Bot:  # type: ignore[no-untyped-def]
    from tests.harness import BASE_TOML

    bot = await Bot.start(tmp_path, BASE_TOML + BASE_EXTRA)
    xingfu = await homes(bot, "xingfu", 4)     # 3 of 4 joined: 75%
    for i, h in enumerate(xingfu[:3]):
        await link(bot, h, f"x{i}")
    await link(bot, xingfu[0], "x-again")      # a second member of the same household counts once
    await link(bot, xingfu[3], "waiting", approve=False)  # pending: not joined yet
    yangguang = await homes(bot, "yangguang", 5)  # 1 of 5: 20%
    await link(bot, yangguang[2], "y")
    await homes(bot, "lijia", 2)                # 0 of 2
    return bot


async def test_owners_see_their_groups_and_staff_all_by_township(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = await start(tmp_path)
    try:
        said = texts(await bot.say("@", "李书记", "入群率"))
        assert "合计 3/4 户（75%）" in said and "阳光花园" not in said
        said = texts(await bot.say("@", "刘主任", "入群率"))
        assert "合计 4/9 户（44%）" in said
        # Lowest first: the group to work on leads.
        assert said.index("阳光花园居民群 1/5 户（20%）") < said.index("幸福小区居民群 3/4 户（75%）")
        said = texts(await bot.say("@", "区指挥部小王", "入群率"))
        assert "合计 4/11 户（36%）" in said
        assert "东城街道群：4/9 户（44%）" in said and "西城街道群：0/2 户（0%）" in said
        assert said.index("东城街道群") < said.index("幸福小区") < said.index("西城街道群") < said.index("李家村")
        assert "未登记住户的群" in said and "河西区指挥部" in said
    finally:
        await bot.close()


async def test_unjoined_lists_head_and_phone_per_group(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = await start(tmp_path)
    try:
        said = texts(await bot.say("@", "李书记", "未入群"))
        assert "1 户还没有人入群" in said and "1-1-004 户主4 13800000004" in said
        assert "1-1-001" not in said
        said = texts(await bot.say("@", "刘主任", "未入群 阳光花园"))
        assert "阳光花园居民群：4 户" in said and "1-1-003" not in said and "1-1-005 户主5" in said
        said = texts(await bot.say("@", "刘主任", "未入群"))
        assert "5 户" in said and said.index("幸福小区居民群：") < said.index("阳光花园居民群：")
        said = texts(await bot.say("@", "刘主任", "未入群 李家村"))
        assert "您负责的群里没有叫「李家村」" in said
        said = texts(await bot.say("@", "李书记", "未入群 阳光花园居民群"))
        assert "您不负责「阳光花园居民群」" in said
    finally:
        await bot.close()


async def test_unjoined_pages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.harness import BASE_TOML

    bot = await Bot.start(tmp_path, BASE_TOML)
    try:
        await homes(bot, "xingfu", PAGE + 5)
        first = texts(await bot.say("@", "李书记", "未入群"))
        assert f"{PAGE + 5} 户" in first and "第 1/2 页" in first and "下一页：未入群 2" in first
        assert first.count("\n· ") == PAGE
        second = texts(await bot.say("@", "李书记", "未入群 2"))
        assert second.count("\n· ") == 5 and f"1-1-{PAGE + 1:03d}" in second and "1-1-001" not in second
        assert "没有第 3 页" in texts(await bot.say("@", "李书记", "未入群 3"))
    finally:
        await bot.close()


async def test_no_households_yet(bot: Bot) -> None:
    assert "还没有登记住户" in texts(await bot.say("@", "李书记", "入群率"))
    assert "还没有登记住户" in texts(await bot.say("@", "李书记", "未入群"))


async def test_a_huge_number_is_not_a_page(bot: Bot) -> None:
    said = texts(await bot.say("@", "李书记", "未入群 " + "1" * 5000))
    assert "您负责的群里没有叫" in said and len(said) < 200


async def test_join_rate_of_one_named_group_and_below(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = await start(tmp_path)
    try:
        said = texts(await bot.say("@", "区指挥部小王", "入群率 西城街道群"))
        assert "合计 0/2 户（0%）" in said and "幸福小区" not in said
        said = texts(await bot.say("@", "李书记", "入群率 阳光花园居民群"))
        assert "您不负责「阳光花园居民群」" in said
    finally:
        await bot.close()
