"""Requests sent in private chat are filed for the sender's own group and answered in private."""

from __future__ import annotations

from pathlib import Path

from bot.privacy import leaks
from tests.harness import Bot, to

XINGFU, YANGGUANG = "幸福小区居民群", "阳光花园居民群"
REPORT = "举报 3栋王某某一家昨晚从外地返回没报备 他电话13900001111"


async def test_one_known_group_files_at_once_and_says_nothing_in_the_group(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "大家早上好")
    replies = await bot.say("@", "老王", REPORT)
    assert {r.chat.chat_id for r in replies} == {"@老王", "@李书记"}  # no group reply at all
    [ack] = to(replies, "@老王")
    assert "已为您在「幸福小区居民群」登记核实 V1" in ack.text and "王某某" in ack.text
    [push] = to(replies, "@李书记")
    assert "13900001111" in push.text and [b.command for b in push.buttons][0] == "接单 V1"
    # The owner's answers go back to the private chat, in full.
    replies = await bot.say("@", "李书记", "完成 V1 已上门核实，王某某一家已居家观察")
    [notice] = to(replies, "@老王")
    assert "王某某一家已居家观察" in notice.text
    assert not [r for r in replies if not r.chat.is_private]


async def test_several_groups_ask_which_with_buttons(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "早")
    await bot.say(YANGGUANG, "老王", "早")
    await bot.say(XINGFU, "张阿姨", "早")  # another person's groups do not count
    [question] = await bot.say("@", "老王", "代买 降压药一盒 3栋501")
    assert question.chat.chat_id == "@老王"
    assert [b.label for b in question.buttons] == [YANGGUANG, XINGFU]  # latest first
    tap = question.buttons[1].command
    assert tap.startswith(f"提交 {XINGFU} ")
    replies = await bot.send(bot.message("@", "老王", tap, tapped_message_id="m1"))
    [ack] = to(replies, "@老王")
    assert "已为您在「幸福小区居民群」登记代办 E1" in ack.text and "降压药" in ack.text
    assert to(replies, "@李书记") and not to(replies, "@陈网格员")
    [again] = await bot.say("@", "老王", tap)
    assert "已经提交过了" in again.text
    [mine] = await bot.say("@", "老王", "我的工单")
    assert mine.text.count("E1") == 1


async def test_the_choice_survives_a_restart_and_can_be_typed(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.say(XINGFU, "老王", "早")
    await bot.say(YANGGUANG, "老王", "早")
    await bot.say("@", "老王", REPORT)
    await bot.close()
    bot = await Bot.start(tmp_path)
    try:
        replies = await bot.say("@", "老王", f"提交 {YANGGUANG}")  # typed, without the number
        [ack] = to(replies, "@老王")
        assert "已为您在「阳光花园居民群」登记核实 V1" in ack.text
        assert to(replies, "@陈网格员") and all(r.chat.is_private for r in replies)
    finally:
        await bot.close()


async def test_submit_refuses_groups_the_sender_is_not_in(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "早")
    await bot.say(YANGGUANG, "老王", "早")
    await bot.say("@", "老王", "代买 米一袋 3栋")
    [r] = await bot.say("@", "老王", "提交 东城街道群")
    assert "不是您发过言的小区/村群" in r.text
    [r] = await bot.say("@", "老王", "提交")
    assert "请这样写：提交 群名" in r.text
    [r] = await bot.say("@", "路人", f"提交 {XINGFU}")
    assert "不是您发过言" in r.text
    [r] = await bot.say("@", "老王", f"提交 {XINGFU} " + "1" * 5000)  # found by hypothesis
    assert "不是您发过言" in r.text


async def test_nothing_to_submit_is_said_plainly(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "早")
    await bot.say(YANGGUANG, "老王", "早")
    [r] = await bot.say("@", "老王", f"提交 {XINGFU}")
    assert "没有找到要提交的事" in r.text


async def test_unknown_sender_is_told_how_to_start(bot: Bot) -> None:
    [r] = await bot.say("@", "路人", "代买 米一袋 3栋")
    assert "还不知道您在哪个小区/村群" in r.text and "群主" in r.text


async def test_groups_that_take_no_tickets_do_not_count(bot: Bot) -> None:
    await bot.say("东城街道群", "老王", "早")  # a township work group
    [r] = await bot.say("@", "老王", "代买 米一袋 3栋")
    assert "还不知道您在哪个小区/村群" in r.text


async def test_a_bare_keyword_in_private_says_what_to_add(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "早")
    [r] = await bot.say("@", "老王", "举报")
    assert "后面请写上" in r.text


async def test_private_rumour_check_is_answered_in_private(bot: Bot) -> None:
    await bot.say(XINGFU, "老王", "早")
    replies = await bot.say("@", "老王", "求证 听说明天全小区停水 电话13812345678")
    assert all(r.chat.is_private for r in replies)
    replies = await bot.say("@", "李书记", "辟谣 R1 自来水公司：明天正常供水")
    [verdict] = to(replies, "@老王")
    assert "正常供水" in verdict.text
    assert all(leaks(r.text) == [] for r in replies if not r.chat.is_private)
