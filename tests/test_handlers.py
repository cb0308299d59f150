"""The ticket loop end to end through the fake adapter: residents, owners, staff."""

from __future__ import annotations

import re

from bot.tickets import ACCEPTED, ASSIGNED, DONE, OPEN, REJECTED
from tests.harness import Bot, to

GROUP = "幸福小区居民群"
OTHER = "阳光花园居民群"


async def test_keyword_creates_ticket_and_acks_in_group(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", "代買胰島素兩盒，急！5棟301")
    group = to(replies, GROUP)
    assert len(group) == 1
    assert "E1" in group[0].text and "紧急" in group[0].text and "5栋301" in group[0].text
    assert [m.name for m in group[0].mentions] == ["张阿姨"]
    push = to(replies, "@李书记")
    assert len(push) == 1 and "新工单 E1" in push[0].text
    assert [b.command for b in push[0].buttons] == ["接单 E1", "完成 E1", "驳回 E1", "详情 E1"]
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and (t.kind, t.category, t.priority, t.status) == (
        "errand", "medicine", "urgent", OPEN)
    assert t.requester_name == "张阿姨" and t.group_key == "xingfu"


async def test_ticket_numbers_are_per_kind(bot: Bot) -> None:
    await bot.say(GROUP, "a", "代买 米 1栋")
    await bot.say(GROUP, "b", "报备 2栋 一人返乡")
    await bot.say(GROUP, "c", "代买 面条 3栋")
    await bot.say(OTHER, "d", "求证 听说明天停电")
    codes = [t.code for t in await bot.app.store.tickets.list()]
    assert codes == ["E1", "V1", "E2", "R1"]


async def test_ordinary_chat_gets_no_reply(bot: Bot) -> None:
    # "请问明天几点发菜" is a resident's question now: it goes to the owner (tests/test_faq_handler.py).
    for text in ("谢谢大家", "收到", "明天几点发菜呀", "代买的菜收到了，谢谢"):
        assert await bot.say(GROUP, "王大爷", text) == []
    picture = bot.message(GROUP, "王大爷", "[图片]", kind="image")
    assert await bot.send(picture) == []
    assert await bot.app.store.tickets.list() == []
    assert await bot.app.store.messages.count() == 5  # stored all the same


async def test_keyword_alone_explains_what_to_add(bot: Bot) -> None:
    [reply] = await bot.say(GROUP, "王大爷", "代买")
    assert "后面请写上" in reply.text and "代买 大米一袋" in reply.text
    assert await bot.app.store.tickets.list() == []


async def test_owner_full_loop_notifies_group(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 降压药 3-2-501")
    replies = await bot.say("@", "李书记", "接单 E1")
    assert "已接单 E1" in to(replies, "@李书记")[0].text
    [notice] = to(replies, GROUP)
    assert "E1" in notice.text and "李书记" in notice.text and notice.mentions[0].name == "张阿姨"

    replies = await bot.say("@", "李书记", "指派 E1 王小明")
    assert "王小明" in to(replies, GROUP)[0].text
    replies = await bot.say("@", "李书记", "进展 E1 药已买到，下午送达")
    assert "药已买到，下午送达" in to(replies, GROUP)[0].text
    replies = await bot.say("@", "李书记", "备注 E1 居民电话 138")
    assert to(replies, GROUP) == []  # internal
    replies = await bot.say("@", "李书记", "完成 E1 已送到家门口")
    assert "已完成" in to(replies, GROUP)[0].text and "评价 E1" in to(replies, GROUP)[0].text

    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == DONE and t.assignee == "王小明"
    history = await bot.app.store.tickets.history(t)
    assert [(e.action, e.from_status, e.to_status) for e in history] == [
        ("create", None, OPEN), ("accept", OPEN, ACCEPTED), ("assign", ACCEPTED, ASSIGNED),
        ("progress", ASSIGNED, ASSIGNED), ("note", ASSIGNED, ASSIGNED), ("done", ASSIGNED, DONE),
    ]
    assert history[-1].actor_name == "李书记" and history[-1].note == "已送到家门口"


async def test_todo_lists_own_groups_urgent_first(bot: Bot) -> None:
    await bot.say(GROUP, "a", "代买 米 1栋")
    await bot.say(GROUP, "b", "求助 老人发烧 2栋")
    await bot.say(OTHER, "c", "代买 面 3栋")
    [reply] = await bot.say("@", "李书记", "待办")
    lines = reply.text.splitlines()
    assert lines[0] == "未办结工单（2 张）："
    assert lines[1].startswith("E2【急】") and lines[2].startswith("E1")
    assert "E3" not in reply.text
    [staff] = await bot.say("@", "区指挥部小王", "待办")
    assert "（3 张）" in staff.text
    [filtered] = await bot.say("@", "李书记", "待办 核实")
    assert "没有了" in filtered.text
    [bad] = await bot.say("@", "李书记", "待办 火星")
    assert "既不是工单类别也不是您负责的群" in bad.text


async def test_residents_cannot_manage(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [reply] = await bot.say("@", "张阿姨", "接单 E1")
    assert "只有群主" in reply.text
    [reply] = await bot.say("@", "张阿姨", "待办")
    assert "只有群主" in reply.text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == OPEN


async def test_owner_cannot_touch_other_groups(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [reply] = await bot.say("@", "陈网格员", "完成 E1")
    assert "您不是该群的负责人" in reply.text
    [reply] = await bot.say("@", "陈网格员", "详情 E1")
    assert "您不是该群的负责人" in reply.text


async def test_owner_command_in_group_points_to_private(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [reply] = await bot.say(GROUP, "李书记", "接单 E1")
    assert "私聊" in reply.text
    # A resident saying the same words in the group is just chat.
    assert await bot.say(GROUP, "张阿姨", "完成了吗") == []


async def test_bad_ticket_references(bot: Bot) -> None:
    [r] = await bot.say("@", "李书记", "接单")
    assert "缺少工单编号" in r.text
    [r] = await bot.say("@", "李书记", "接单 abc")
    assert "不是工单编号" in r.text
    [r] = await bot.say("@", "李书记", "接单 E99")
    assert "没有找到工单 E99" in r.text
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [r] = await bot.say("@", "李书记", "驳回 E1")
    assert "需要写明原因" in r.text
    [r] = await bot.say("@", "李书记", "指派 E1")
    assert "志愿者姓名" in r.text
    replies = await bot.say("@", "李书记", "接单 e1")  # lower case and full-width work
    assert "已接单 E1" in to(replies, "@李书记")[0].text
    [r] = await bot.say("@", "李书记", "接单 Ｅ１")
    assert "您已接过 E1" in r.text
    [r] = await bot.say("@", "刘主任", "接单 E1")  # the township owner, above this village
    assert "已有人接单" in r.text


async def test_reject_and_closed_tickets_stay_closed(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    replies = await bot.say("@", "李书记", "驳回 E1 不在本网格，请联系所在社区")
    assert "不在本网格" in to(replies, GROUP)[0].text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == REJECTED
    [r] = await bot.say("@", "李书记", "完成 E1")
    assert "已是「已驳回」状态" in r.text


async def test_progress_and_privacy(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    await bot.say("@", "李书记", "备注 E1 居民电话 13800000000")
    [mine] = await bot.say(GROUP, "张阿姨", "进度 E1")
    assert "工单 E1" in mine.text and "13800000000" not in mine.text
    [other] = await bot.say(GROUP, "王大爷", "进度 E1")
    assert "不是您登记的工单" in other.text
    [owner] = await bot.say("@", "李书记", "详情 E1")
    assert "13800000000" in owner.text
    [listing] = await bot.say(GROUP, "张阿姨", "我的工单")
    assert "E1" in listing.text
    [empty] = await bot.say(GROUP, "王大爷", "我的工单")
    assert "还没有工单" in empty.text


async def test_rating_once_after_done(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [r] = await bot.say(GROUP, "张阿姨", "评价 E1 5")
    assert "完成后才能评价" in r.text
    await bot.say("@", "李书记", "完成 E1")
    [r] = await bot.say(GROUP, "王大爷", "评价 E1 5")
    assert "本人" in r.text
    [r] = await bot.say(GROUP, "张阿姨", "评价 E1 很好")
    assert "1 到 5 分" in r.text
    [r] = await bot.say(GROUP, "张阿姨", "评价 E1 9")
    assert "1 到 5 分" in r.text
    [r] = await bot.say(GROUP, "张阿姨", "评价E1 五星 送得很快")
    assert "5 分" in r.text
    [r] = await bot.say(GROUP, "张阿姨", "评价 E1 4")
    assert "已经评价过了" in r.text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and await bot.app.store.tickets.rating(t) == 5


async def test_rumor_verdicts_and_repeat_answered_at_once(bot: Bot) -> None:
    await bot.say(OTHER, "孙姐", "求证 听说明天全区停水是真的吗")
    [r] = await bot.say("@", "陈网格员", "完成 R1")
    assert "辟谣 R1" in r.text  # rumours need a verdict, not a plain close
    [r] = await bot.say("@", "陈网格员", "辟谣 R1")
    assert "官方说法" in r.text
    replies = await bot.say("@", "陈网格员", "辟谣 R1 自来水公司通知：明天正常供水")
    [notice] = to(replies, OTHER)
    assert "【辟谣】R1" in notice.text and "自来水公司通知：明天正常供水" in notice.text

    replies = await bot.say(GROUP, "赵大妈", "闢謠：聽說明天全區停水")
    [auto] = to(replies, GROUP)
    assert "R2" in auto.text and "明天正常供水" in auto.text and "同 R1" in auto.text
    r2 = await bot.app.store.tickets.get("R2")
    assert r2 is not None and r2.status == DONE and r2.verdict == "false"
    # A different claim is not answered from the library.
    replies = await bot.say(GROUP, "赵大妈", "求证 明天超市关门")
    assert "已收到求证 R3" in to(replies, GROUP)[0].text


async def test_rumor_confirmed(bot: Bot) -> None:
    await bot.say(GROUP, "孙姐", "求证 明天上午停电检修")
    replies = await bot.say("@", "李书记", "属实 R1 供电所通知 9:00-12:00 检修")
    assert "经核实情况属实" in to(replies, GROUP)[0].text
    [r] = await bot.say("@", "李书记", "属实 E5")
    assert "没有找到工单 E5" in r.text


async def test_private_chat_is_never_silent(bot: Bot) -> None:
    [r] = await bot.say("@", "张阿姨", "你好")
    assert "帮助" in r.text
    # Not yet seen in any group: the bot cannot tell which group to file it for.
    [r] = await bot.say("@", "张阿姨", "代买 米")
    assert "还不知道您在哪个小区/村群" in r.text
    [r] = await bot.say("@", "张阿姨", "辟谣 网传封城")
    assert "还不知道您在哪个小区/村群" in r.text
    [r] = await bot.send(bot.message("@", "张阿姨", "", kind="voice"))
    assert "文字" in r.text
    [r] = await bot.say("@", "张阿姨", "帮助")
    assert "代买" in r.text and "待办" not in r.text
    [r] = await bot.say("@", "李书记", "帮助")
    assert "待办" in r.text


async def test_button_tap_edits_the_card(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    card = to(replies, "@李书记")[0]
    tap = bot.message("@", "李书记", card.buttons[0].command, tapped_message_id="m2")
    replies = await bot.send(tap)
    [edited] = to(replies, "@李书记")
    assert edited.edit_message_id == "m2" and "已接单" in edited.text
    assert "接单 E1" not in [b.command for b in edited.buttons]
    # A stale tap on the same button answers plainly instead of changing anything.
    [stale] = await bot.send(bot.message("@", "李书记", "接单 E1", tapped_message_id="m2"))
    assert "您已接过 E1" in stale.text and stale.edit_message_id is None


async def test_unknown_group_is_told_to_bind(bot: Bot) -> None:
    from bot.message import ChatRef, Incoming

    msg = Incoming(chat=ChatRef("console", "陌生群"), sender_id="x", sender_name="x",
                   text="代买 米", message_id="z1", sent_at=bot.clock())
    replies = await bot.send(msg)
    assert "还没有在网格助手登记" in replies[0].text
    msg2 = Incoming(chat=ChatRef("console", "陌生群"), sender_id="x", sender_name="x",
                    text="谢谢", message_id="z2", sent_at=bot.clock())
    assert await bot.send(msg2) == []


async def test_todo_pages_by_keyset_and_says_how_to_see_more(bot: Bot) -> None:
    for i in range(63):
        await bot.say(GROUP, f"居民{i}", f"代买 米{i} {i % 9 + 1}栋{301 + i}")
        bot.clock.advance(minutes=3)  # no flood guard: residents ask one by one
    await bot.say(GROUP, "急1", "求助 老人发烧 2栋")
    await bot.say(GROUP, "急2", "求助 老人发烧 5栋")
    seen: list[str] = []
    text = "待办"
    heads, pages = [], 0
    while text:
        [reply] = await bot.say("@", "李书记", text)
        lines = reply.text.splitlines()
        heads.append(lines[0])
        seen += [line.split("【")[0].split(" ")[0] for line in lines[1:] if line[:1] in "EVR"]
        more = re.search(r"回复「(待办 下一页 E\d+)」看下一页", reply.text)
        text = more.group(1) if more else ""
        pages += 1
    assert pages == 3 and heads[0] == "未办结工单（65 张）："
    assert re.fullmatch(r"未办结工单（共 65 张，E\d+ 之后 35 张）：", heads[1])
    assert len(seen) == 65 == len(set(seen)) and seen[:2] == ["E64", "E65"]  # urgent first
    assert seen[2:] == [f"E{i}" for i in range(1, 64)]
    [bad] = await bot.say("@", "李书记", "待办 下一页")
    assert "上一页最后一张工单的编号" in bad.text
    [bad] = await bot.say("@", "李书记", "待办 下一页 E999")
    assert "上一页最后一张工单的编号" in bad.text


async def test_todo_next_page_keeps_the_kind_filter(bot: Bot) -> None:
    for i in range(33):
        await bot.say(GROUP, f"居民{i}", f"代买 面{i} {i % 9 + 1}栋{301 + i}")
        bot.clock.advance(minutes=3)
    await bot.say(GROUP, "报备人", "报备 3-2-501 一家三口从外地返回")
    [first] = await bot.say("@", "李书记", "待办 代买")
    assert first.text.startswith("未办结的代办工单（33 张）：") and "……还有 3 张，回复「待办 代买 下一页 E30」" in first.text
    [second] = await bot.say("@", "李书记", "待办 代买 下一页 E30")
    assert [ln.split(" ")[0] for ln in second.text.splitlines()[1:4]] == ["E31", "E32", "E33"]
    assert "V1" not in second.text and "还有" not in second.text
