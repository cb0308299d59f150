"""Dispatch end to end on the harness: a card in the team group, exactly one claim wins, the
volunteer works the errand in private and the resident hears as from an owner."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.tickets import ASSIGNED, DONE, OPEN
from tests.harness import Bot, to
from tests.volunteer_setup import GROUP, TEAM_GROUP, TOML, volunteer

ERRAND = "代买 降压药两盒 3栋2单元501 电话13812345678"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML)
    await volunteer(bot, "小明", "王小明", "13900001111")
    await volunteer(bot, "小红", "李小红", "13900002222")
    yield bot
    await bot.close()


async def test_an_errand_is_posted_to_the_team_group_without_private_data(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", ERRAND)
    [card] = to(replies, TEAM_GROUP)
    assert card.text.startswith("【待接单】E1 买药/就医") and "幸福小区居民群·3栋" in card.text
    assert "13812345678" not in card.text and "501" not in card.text and "2单元" not in card.text
    assert [(b.label, b.command) for b in card.buttons] == [("我来", "抢单 E1")]
    assert to(replies, "@李书记")  # the owner's push as before


async def test_two_claims_at_once_exactly_one_wins(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    a = bot.message(TEAM_GROUP, "小明", "抢单 E1")
    b = bot.message(TEAM_GROUP, "小红", "抢单 E1")
    first, second = await asyncio.gather(bot.app.handle(a), bot.app.handle(b))
    await bot.app.outbox.drain("console")
    won = [r for r in (first, second) if any(x.chat.chat_id == "@小明" or x.chat.chat_id == "@小红" for x in r)]
    assert len(won) == 1
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == ASSIGNED and t.handler_name in ("王小明", "李小红")
    lost = second if won[0] is first else first
    assert [r.text for r in lost] == [f"E1 已由 {t.handler_name} 接单，谢谢您！请留意其他待接的单。"]
    holder = await bot.app.store.volunteers.holder(t)
    assert holder is not None and holder.name == t.handler_name
    events = [e.action for e in await bot.app.store.tickets.history(t)]
    assert events.count("claim") == 1


async def test_the_winner_gets_address_and_phone_the_resident_a_name_the_owner_who(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    replies = await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    [follow] = to(replies, TEAM_GROUP)
    assert follow.text.endswith("已由 王小明 接单。") and "13812345678" not in follow.text
    [brief] = to(replies, "@小明")
    assert "电话：13812345678" in brief.text and "地址：3栋2单元501" in brief.text
    [resident] = to(replies, GROUP)
    assert resident.text == "您的工单 E1 已由志愿者 王小明 接单，正在赶来，请保持电话畅通。"
    assert [m.user_id for m in resident.mentions] == ["张阿姨"]
    [owner] = to(replies, "@李书记")
    assert "王小明" in owner.text and "13900001111" in owner.text and "配送小分队" in owner.text
    # A late claim, by text or tap, hears who has it.
    [late] = await bot.say(TEAM_GROUP, "小红", "抢单 E1")
    assert late.text == "E1 已由 王小明 接单，谢谢您！请留意其他待接的单。"


async def test_a_tap_on_the_card_edits_it(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    msg = bot.message(TEAM_GROUP, "小明", "抢单 E1", tapped_message_id="m7")
    replies = await bot.send(msg)
    assert replies[0].edit_message_id == "m7" and replies[0].text.endswith("已由 王小明 接单。")
    assert not replies[0].buttons


async def test_the_volunteer_completes_and_the_resident_hears_as_from_an_owner(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    [mine] = await bot.say("@", "小明", "我的任务")
    assert "E1" in mine.text and "降压药" in mine.text
    progress = await bot.say("@", "小明", "进展 E1 药已买到，半小时后送到")
    assert [r.text for r in to(progress, GROUP)] == ["工单 E1 进展：药已买到，半小时后送到"]
    done = await bot.say("@", "小明", "完成 E1 已送到门口")
    assert to(done, "@小明")[0].text == "E1 已完成，辛苦了！已告知居民。"
    [notice] = to(done, GROUP)
    assert notice.text == "您的工单 E1 已完成。说明：已送到门口。满意的话请发送「评价 E1 5」（1-5 分）。"
    assert [m.user_id for m in notice.mentions] == ["张阿姨"]
    assert "志愿者 王小明 已完成 E1：已送到门口" in to(done, "@李书记")[0].text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == DONE
    history = await bot.app.store.tickets.history(t)
    assert (history[-1].action, history[-1].actor_name) == ("done", "王小明")
    [empty] = await bot.say("@", "小明", "我的任务")
    assert "没有未完成的任务" in empty.text


async def test_a_volunteer_cannot_act_on_someone_elses_ticket(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    for command in ("完成 E1", "进展 E1 快到了", "退回 E1 有事"):
        [r] = await bot.say("@", "小红", command)
        assert r.text == "E1 不是交给您的任务，不能处理。发送「我的任务」查看您手上的工单。"
    [r] = await bot.say("@", "路人甲", "完成 E1")  # neither volunteer nor owner
    assert "只有群主（社区工作人员）、网格员和接了单的志愿者可以使用" in r.text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == ASSIGNED


async def test_an_owner_keeps_the_owners_commands(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    replies = await bot.say("@", "李书记", "完成 E1 已由社区送达")
    assert to(replies, "@李书记")[0].text.startswith("E1 已完成。")
    [r] = await bot.say(GROUP, "李书记", "完成 E1")
    assert r.text == "管理指令请私聊我发送，例如「完成 E1」。"
    assert await bot.say(GROUP, "张阿姨", "完成 E1") == []  # a resident's words stay chat


async def test_a_non_volunteer_cannot_claim(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    [r] = await bot.say(TEAM_GROUP, "路人甲", "抢单 E1")
    assert "还不是已通过审核的志愿者" in r.text and "志愿者报名" in r.text
    await bot.say("@", "小刚", "志愿者报名 赵小刚 13900003333 配送")  # pending is not enough
    [r] = await bot.say(TEAM_GROUP, "小刚", "抢单 E1")
    assert "还不是已通过审核的志愿者" in r.text
    [r] = await bot.say(TEAM_GROUP, "小明", "抢单 E99")
    assert "没有找到工单 E99" in r.text


async def test_a_given_back_errand_is_posted_again_and_can_be_claimed(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    [r] = await bot.say("@", "小明", "退回 E1")
    assert "请写明原因" in r.text
    replies = await bot.say("@", "小明", "退回 E1 临时要值班")
    assert to(replies, "@小明")[0].text == "已退回 E1，谢谢您告知。"
    assert to(replies, TEAM_GROUP)[0].text.startswith("【待接单】E1")
    [resident] = to(replies, GROUP)
    assert "正在重新安排" in resident.text and "值班" not in resident.text
    assert "志愿者 王小明 退回了 E1：临时要值班" in to(replies, "@李书记")[0].text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and (t.status, t.handler_id, t.assignee) == (OPEN, "", "")
    replies = await bot.say(TEAM_GROUP, "小红", "抢单 E1")
    assert to(replies, "@小红")
    [mine] = await bot.say("@", "小明", "我的任务")
    assert "没有未完成的任务" in mine.text


async def test_an_errand_of_another_platform_is_neither_posted_nor_claimed(tmp_path: Path) -> None:
    toml = TOML.replace('platforms = ["console"]', 'platforms = ["console", "telegram"]') + """
[[groups]]
key = "tg"
name = "电报居民群"
platform = "telegram"
chat_id = "-1001"
parent = "dongcheng"
owners = ["7001"]
"""
    bot = await Bot.start(tmp_path, toml)
    try:
        await volunteer(bot, "小明", "王小明")
        replies = await bot.say("电报居民群", "7101", "代买 大米 3栋501")
        assert not [r for r in replies if r.chat.chat_id == TEAM_GROUP]
        [r] = await bot.say(TEAM_GROUP, "小明", "抢单 E1")
        assert r.text == "E1 是另一个平台上的群的工单，请由那边的志愿者接单。"
    finally:
        await bot.close()


async def test_the_volunteer_hears_when_an_owner_closes_their_errand(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", ERRAND)
    await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    replies = await bot.say("@", "李书记", "驳回 E1 居民已自行购买")
    [told] = to(replies, "@小明")
    assert told.text == "您接的 E1 已由 李书记 处理（已驳回，原因：居民已自行购买），不用再去办了。谢谢您！"
    await bot.say(GROUP, "张阿姨", "代买 大米一袋 3栋2单元501")
    await bot.say(TEAM_GROUP, "小红", "抢单 E2")
    done = await bot.say("@", "小红", "完成 E2 已送到")
    assert to(done, "@小红") and not any("不用再去办" in r.text for r in done)  # their own close
