"""Requests without a keyword: to the owners as 「可能需要帮助」, filed for the resident with one tap."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tests.harness import Bot, to

GROUP = "幸福小区居民群"
OWNER = "@李书记"
ASK = "谁能帮忙去药店买盒布洛芬，8号楼602"


def _row(text: str) -> str:
    found = re.search(r"M\d+", text)
    assert found is not None, text
    return found.group(0)


async def test_a_request_without_keyword_goes_to_the_owner_only(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", ASK)
    assert not to(replies, GROUP)  # nothing at all in the group
    [push] = to(replies, OWNER)
    m = _row(push.text)
    assert push.text.startswith(f"「可能需要帮助」{m}") and "张阿姨" in push.text and ASK in push.text
    assert [(b.label, b.command) for b in push.buttons] == [
        ("登记为代办", f"登记 {m} 代办"), ("登记为核实", f"登记 {m} 核实"), ("忽略", f"忽略 {m}")]
    assert await bot.app.store.tickets.list() == []
    assert not to(replies, "@陈网格员")  # another group's owner hears nothing


async def test_registering_files_it_for_the_resident_in_the_group(bot: Bot) -> None:
    m = _row(to(await bot.say(GROUP, "张阿姨", ASK), OWNER)[0].text)
    replies = await bot.say("@", "李书记", f"登记 {m} 代办")
    [ack] = to(replies, GROUP)
    assert ack.text.startswith("已登记代办工单 E1（买药/就医）") and "8号楼602" in ack.text
    assert [x.user_id for x in ack.mentions] == ["张阿姨"]
    assert to(replies, OWNER)[0].text.startswith(f"已为 张阿姨 登记 E1（{m}）")
    [t] = await bot.app.store.tickets.list()
    assert (t.code, t.requester_id, t.category, t.address) == ("E1", "张阿姨", "medicine", "8号楼602")
    again = await bot.say("@", "李书记", f"登记 {m} 核实")  # at most once, whatever the kind
    assert [r.text for r in again] == [f"{m} 已登记为 E1，不会重复登记。发送「详情 E1」查看。"]
    assert len(await bot.app.store.tickets.list()) == 1


async def test_registering_as_a_check_says_nothing_private_in_the_group(bot: Bot) -> None:
    text = "5栋有户人家从外地回来了，好像没登记，半夜回来好几个人，电话13912345678"
    m = _row(to(await bot.say(GROUP, "王大爷", text), OWNER)[0].text)
    replies = await bot.say("@", "李书记", f"登记 {m} 核实")
    [ack] = to(replies, GROUP)
    assert ack.text.startswith("已收到您的核实/举报 V1") and "外地" not in ack.text
    assert "13912345678" not in ack.text and not ack.mentions
    [t] = await bot.app.store.tickets.list()
    assert (t.kind, t.category) == ("verification", "check")


async def test_ignoring_files_nothing_and_says_nothing_in_the_group(bot: Bot) -> None:
    m = _row(to(await bot.say(GROUP, "张阿姨", ASK), OWNER)[0].text)
    replies = await bot.say("@", "李书记", f"忽略 {m}")
    assert [(r.chat.chat_id, r.text.split("，")[0]) for r in replies] == [(OWNER, f"已忽略 {m}")]
    assert await bot.app.store.tickets.list() == []
    [entry] = await bot.app.store.audit.latest()  # the other owners can see who set it aside
    assert (entry.action, entry.target, entry.actor.id) == ("maybe_ignore", m, "李书记")


async def test_only_the_groups_managers_may_register(bot: Bot) -> None:
    m = _row(to(await bot.say(GROUP, "张阿姨", ASK), OWNER)[0].text)
    for who in ("陈网格员", "张阿姨"):
        [r] = await bot.say("@", who, f"登记 {m} 代办")
        assert r.text.startswith(f"没有找到您可以登记的群消息 {m}")
    replies = await bot.say("@", "刘主任", f"登记 {m} 代办")  # the township above manages it
    assert "登记 E1" in to(replies, "@刘主任")[0].text and to(replies, GROUP)


async def test_bad_commands_say_how_to_write_them(bot: Bot) -> None:
    m = _row(to(await bot.say(GROUP, "张阿姨", ASK), OWNER)[0].text)
    [r] = await bot.say("@", "李书记", f"登记 {m} 随便")
    assert r.text == "不知道要登记成什么。请写成「登记 M12 代办」或「登记 M12 核实」，不登记请发「忽略 M12」。"
    [r] = await bot.say("@", "张阿姨", f"登记 {m}")  # not hers to register: no usage hint either
    assert r.text.startswith(f"没有找到您可以登记的群消息 {m}")
    [r] = await bot.say("@", "张阿姨", "登记 我家住5栋301")  # not about a message: as before
    assert r.text.startswith("没看懂「登记 我家住5栋301」")
    [r] = await bot.say("@", "李书记", "登记 M999999 代办")
    assert r.text.startswith("没有找到您可以登记的群消息 M999999")


async def test_a_registration_survives_a_restart(tmp_path: Path) -> None:
    first = await Bot.start(tmp_path)
    m = _row(to(await first.say(GROUP, "张阿姨", ASK), OWNER)[0].text)
    await first.close()
    second = await Bot.start(tmp_path)
    second._ids = itertools.count(1000)  # message ids of the first run are taken
    try:
        replies = await second.say("@", "李书记", f"登记 {m} 代办")
        assert to(replies, GROUP)[0].text.startswith("已登记代办工单 E1")
    finally:
        await second.close()


async def test_pushes_are_rate_limited_per_person(bot: Bot) -> None:
    assert len(to(await bot.say(GROUP, "张阿姨", ASK), OWNER)) == 1
    assert await bot.say(GROUP, "张阿姨", ASK) == []  # the same message again
    asks = ["家里没米了，谁能帮忙送一袋", "能不能派人来取一下药", "卫生纸用完了，谁能帮忙带一提",
            "能不能帮忙送两桶水"]
    pushed = [len(to(await bot.say(GROUP, "张阿姨", a), OWNER)) for a in asks]
    assert pushed == [1, 1, 0, 0]  # three pushes per person per window
    bot.clock.advance(minutes=11)
    assert len(to(await bot.say(GROUP, "张阿姨", asks[-1]), OWNER)) == 1


async def test_owners_and_chat_push_nothing(bot: Bot) -> None:
    assert await bot.say(GROUP, "李书记", ASK) == []  # an owner's own words in the group
    assert await bot.say(GROUP, "张阿姨", "今天的菜真新鲜，谢谢志愿者") == []
    assert await bot.say("东城街道群", "王大爷", ASK) == []  # a cadres' group files no tickets


async def test_the_owners_help_card_lists_the_commands(bot: Bot) -> None:
    assert any("登记 M12 代办|核实 ／ 忽略 M12" in r.text for r in await bot.say("@", "李书记", "帮助"))
    assert not any("登记 M12" in r.text for r in await bot.say("@", "张阿姨", "帮助"))
