"""Volunteers on Telegram end to end: real PTB over HTTP to the local Bot API, every router.

A volunteer signs up in private, the team leader taps 「通过」; a resident's errand is posted to
the team group with a 「我来」 button; two volunteers tap it at once and exactly one gets it (the
card is edited to say who); the winner gets the address and phone in private, the resident hears
a name in the group, and the winner's 完成 reaches the resident as an owner's would.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.peers.telegram_client import Group, Person, TelegramApi
from tests.peers.test_telegram_adapter import LI, XINGFU, ZHANG, in_chat, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TEAM = Group(-1003003003, "配送志愿者群")
MING = Person(7401, "王小明")
HONG = Person(7402, "李小红")
LEADER = Person(7403, "王队长")

TOML = f"""
[bot]
name = "网格助手"
platforms = ["telegram"]
timezone = "Asia/Shanghai"

[[groups]]
key = "xingfu"
name = "{XINGFU.title}"
platform = "telegram"
chat_id = "{XINGFU.id}"
owners = ["{LI.id}"]

[[groups]]
key = "team"
name = "{TEAM.title}"
platform = "telegram"
chat_id = "{TEAM.id}"
owners = ["{LI.id}"]
tickets = false

[[teams]]
key = "peisong"
name = "配送小分队"
categories = ["groceries", "medicine"]
group = "team"
leaders = ["{LEADER.id}"]
"""


async def sign_up(api: TelegramApi, person: Person, name: str, phone: str) -> None:
    """``person`` signs up in private and the leader taps 「通过」 on the card."""
    await api.say(person, f"志愿者报名 {name} {phone} 配送小分队")
    await api.wait_sent(in_chat(person.id, "已收到您的报名"))
    card = await api.wait_sent(in_chat(LEADER.id, f"【志愿者报名】{name}"))
    assert card.labels == ["通过", "拒绝"]
    await api.tap(LEADER, card, "通过")
    edited = await api.wait_sent(in_chat(LEADER.id), method="editMessageText")
    assert edited.message_id == card.message_id and edited.text.startswith(f"已通过 {name}")
    await api.wait_sent(in_chat(person.id, "已通过审核"))


async def test_two_taps_on_the_card_one_volunteer_gets_it_and_completes(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    for group in (XINGFU, TEAM):
        await api.add_group(group)
    for person in (LI, MING, HONG, LEADER):
        await api.open_private(person)
    bot = await start_bot(api, tmp_path, TOML)
    try:
        await sign_up(api, MING, "王小明", "13900001111")
        await sign_up(api, HONG, "李小红", "13900002222")

        await api.say(ZHANG, "代买 降压药两盒 3栋2单元501 电话13812345678", XINGFU)
        card = await api.wait_sent(in_chat(TEAM.id, "【待接单】E1"))
        assert card.buttons == ((("我来", "抢单 E1"),),)
        assert "13812345678" not in card.text and "501" not in card.text

        await asyncio.gather(api.tap(MING, card, "我来"), api.tap(HONG, card, "我来"))
        edited = await api.wait_sent(in_chat(TEAM.id), method="editMessageText")
        assert edited.message_id == card.message_id and edited.buttons == ()
        ticket = await bot.app.store.tickets.get("E1")
        assert ticket is not None and ticket.status == "assigned"
        winner, loser = (MING, HONG) if ticket.handler_id == str(MING.id) else (HONG, MING)
        assert edited.text.endswith(f"已由 {ticket.handler_name} 接单。")
        brief = await api.wait_sent(in_chat(winner.id, "您已接下 E1"))
        assert "电话：13812345678" in brief.text and "地址：3栋2单元501" in brief.text
        told = await api.wait_sent(in_chat(XINGFU.id, "已由志愿者"))
        assert told.mentioned == [ZHANG.id] and "139" not in told.text
        await api.wait_sent(in_chat(LI.id, f"志愿者 {ticket.handler_name}"))
        refused = await api.wait_sent(in_chat(TEAM.id, f"E1 已由 {ticket.handler_name} 接单，谢谢您"))
        assert refused.mentioned == [loser.id]
        assert not [s for s in api.sends() if s.chat_id == loser.id and "您已接下" in s.text]

        await api.say(loser, "完成 E1")
        await api.wait_sent(in_chat(loser.id, "E1 不是交给您的任务"))
        await api.say(winner, "完成 E1 已送到门口")
        await api.wait_sent(in_chat(winner.id, "E1 已完成，辛苦了"))
        done = await api.wait_sent(in_chat(XINGFU.id, "您的工单 E1 已完成。说明：已送到门口。"))
        assert done.mentioned == [ZHANG.id]
        ticket = await bot.app.store.tickets.get("E1")
        assert ticket is not None and ticket.status == "done"
        group_texts = [s.text for s in api.sends() if s.chat_id in (XINGFU.id, TEAM.id)]
        assert not [t for t in group_texts if "13812345678" in t or "1390000" in t]
    finally:
        await bot.stop()
