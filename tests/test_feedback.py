"""The feedback kind (建议 / 投诉 / 意见) end to end: filed, routed, answered, the resident told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.directory import Directory, Role
from bot.store.households import HouseholdData
from tests.harness import BASE_TOML, Bot, make_config, to

GROUP = "幸福小区居民群"
CONTACTS = BASE_TOML + """
[[grids]]
key = "xf-1"
group = "xingfu"
workers = ["网格员小周"]

[feedback]
contacts = { xingfu = ["物业小刘"] }
"""


async def test_a_complaint_is_filed_acked_without_its_content_and_pushed_to_the_owner(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", "投诉 物业消毒不到位，保洁员王某不戴口罩")
    [ack] = to(replies, GROUP)
    assert "F1" in ack.text and "投诉" in ack.text and "不在群里公开" in ack.text
    assert "王某" not in ack.text and "消毒" not in ack.text
    assert ack.mentions == ()  # the village is not pointed at who complained
    [push] = to(replies, "@李书记")
    assert "F1" in push.text and "保洁员王某" in push.text and "完成 F1" in push.text
    assert [b.command for b in push.buttons] == ["接单 F1", "完成 F1", "驳回 F1", "详情 F1"]
    ticket = await bot.app.store.tickets.get("F1")
    assert ticket is not None and ticket.kind == "feedback" and ticket.category == "complaint"


async def test_owner_lists_answers_and_the_resident_reads_the_outcome(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "投诉 物业消毒不到位")
    await bot.say(GROUP, "王大爷", "建议 小区门口多放一个消毒点")
    await bot.say(GROUP, "孙姐", "代买 大米一袋 3栋2单元501")
    [todo] = await bot.say("@", "李书记", "待办 建议")
    assert "意见建议" in todo.text and "F1" in todo.text and "F2" in todo.text and "E1" not in todo.text
    replies = await bot.say("@", "李书记", "完成 F1 已约物业整改，明天起每天消毒两次")
    assert "F1 已完成" in to(replies, "@李书记")[0].text
    [told] = to(replies, GROUP)
    assert "F1" in told.text and "已办结" in told.text and "每天消毒" not in told.text
    assert [m.user_id for m in told.mentions] == ["张阿姨"]
    [card] = await bot.say("@", "张阿姨", "进度 F1")
    assert "已完成" in card.text and "每天消毒两次" in card.text
    replies = await bot.say("@", "李书记", "驳回 F2 门口是消防通道，不能摆放")
    assert "未能受理" in to(replies, GROUP)[0].text
    [rate] = await bot.say(GROUP, "张阿姨", "评价 F1 5")
    assert "不需要评价" in rate.text


async def test_feedback_sent_in_private_is_answered_in_private(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "大家好")  # her group, known from where she posts
    replies = await bot.say("@", "张阿姨", "意见 电梯坏了三天没人修")
    assert "F1" in to(replies, "@张阿姨")[0].text and not to(replies, GROUP)
    replies = await bot.say("@", "李书记", "完成 F1 电梯已报修，维保明天上午到")
    [told] = to(replies, "@张阿姨")
    assert "维保明天上午到" in told.text and not to(replies, GROUP)


@pytest.mark.parametrize(("text", "category"), [
    ("投訴 物業消毒不到位", "complaint"),
    ("建議 多開一個核酸點", "suggestion"),
    ("/feedback 垃圾站太臭了", "suggestion"),
])
async def test_traditional_chinese_and_the_slash_command_file_feedback(
        bot: Bot, text: str, category: str) -> None:
    [ack, *_] = await bot.say(GROUP, "張阿姨", text)
    assert "F1" in ack.text
    ticket = await bot.app.store.tickets.get("F1")
    assert ticket is not None and ticket.category == category


@pytest.mark.parametrize("chat", [
    "建议大家少出门", "我建议大家戴口罩", "专家建议多喝水", "投诉电话是多少？", "我对这个没意见",
    "意见", "投诉",
])
async def test_talk_about_suggestions_files_nothing(bot: Bot, chat: str) -> None:
    replies = await bot.say(GROUP, "张阿姨", chat)
    assert await bot.app.store.tickets.list() == []
    if chat in ("意见", "投诉"):  # the bare keyword: told what to add
        assert "想反映的事" in replies[0].text
    else:
        assert replies == []


@pytest.fixture
async def contact_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, CONTACTS)
    await bot.app.store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501", grid_key="xf-1"),
                                        bot.clock())
    yield bot
    await bot.close()


async def test_a_property_contact_gets_and_answers_the_groups_feedback_only(contact_bot: Bot) -> None:
    bot = contact_bot
    replies = await bot.say(GROUP, "张阿姨", "投诉 3栋2单元501 门口垃圾三天没清")
    assert [r.chat.chat_id for r in replies[1:]] == ["@物业小刘"]  # not the owner, not the grid worker
    await bot.say(GROUP, "张阿姨", "代买 大米一袋 3栋2单元501")
    [todo] = await bot.say("@", "物业小刘", "待办")
    assert "F1" in todo.text and "E1" not in todo.text
    [card] = await bot.say("@", "物业小刘", "帮助")
    assert "意见建议联系人指令" in card.text and "网格员指令" not in card.text
    [refused] = await bot.say("@", "物业小刘", "完成 E1")
    assert "不能处理" in refused.text
    [refused] = await bot.say("@", "网格员小周", "详情 F1")  # a complaint may be about the grid
    assert "不能处理" in refused.text
    replies = await bot.say("@", "物业小刘", "完成 F1 已清运，以后每天清一次")
    assert "F1 已完成" in replies[0].text and "已办结" in to(replies, GROUP)[0].text
    [todo] = await bot.say("@", "李书记", "待办 投诉")  # the owner still sees the group's feedback
    assert "没有了" in todo.text


def test_a_contact_has_narrow_rights_in_their_group_only(tmp_path: Path) -> None:
    directory = Directory(make_config(tmp_path, CONTACTS))
    xingfu, sunny = directory.group("xingfu"), directory.group("yangguang")
    assert xingfu is not None and sunny is not None
    assert directory.role("console", "物业小刘") == Role.GRID
    assert directory.role("console", "物业小刘", xingfu) == Role.GRID
    assert directory.role("console", "物业小刘", sunny) == Role.RESIDENT
    assert directory.may_act_on("console", "物业小刘", "xingfu", "", "feedback")
    assert not directory.may_act_on("console", "物业小刘", "xingfu", "", "errand")
    assert not directory.may_act_on("console", "物业小刘", "yangguang", "", "feedback")


@pytest.mark.parametrize(("extra", "why"), [
    ('[feedback]\ncontacts = { nowhere = ["物业小刘"] }\n', "没有这个群"),
    ('[feedback]\ncontacts = { xingfu = [] }\n', "联系人列表是空的"),
    ('[feedback]\ncontacts = ["物业小刘"]\n', "应写成"),
    ('[feedback]\ncontact = { xingfu = ["物业小刘"] }\n', "contacts"),
    ('[feedback]\ncontacts = { xingfu = ["a"], "幸福小区居民群" = ["b"] }\n', "写了两次"),
])
def test_bad_feedback_tables_are_explained_in_chinese(tmp_path: Path, extra: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        make_config(tmp_path, BASE_TOML + extra)
