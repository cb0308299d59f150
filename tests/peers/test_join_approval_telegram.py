"""Real-name join on Telegram end to end: a join request, 实名 in private, the owner decides.

Real PTB over HTTP against ``tests/peers/telegram_api.py`` with every production router: the
bot (an admin of a group that vets newcomers) gets the ``chat_join_request``, writes to the
requester's ``user_chat_id``, takes ``实名`` in that private chat for that group, sends the
owner a card with one-tap 批准 / 拒绝, and the decision reaches Telegram as
``approveChatJoinRequest`` / ``declineChatJoinRequest`` exactly once, across a restart too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers.telegram_client import Person, Sent, TelegramApi
from tests.peers.test_telegram_adapter import LI, XINGFU, Running, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

LISI = Person(7301, "李", "四")
ZHAO6 = Person(7302, "赵六")
SUN7 = Person(7303, "孙七")


async def vetting_group(api: TelegramApi, tmp_path: Path) -> Running:
    """幸福小区居民群 with the bot as admin (it sees join requests); 李书记 owns it."""
    await api.add_group(XINGFU)
    await api.open_private(LI)
    await api.make_bot_admin(XINGFU)
    return await start_bot(api, tmp_path)



async def request_and_register(api: TelegramApi, person: Person, name: str, address: str,
                               code: str) -> Sent:
    """``person`` asks to join, is told how to register, sends 实名; returns the owner's card."""
    assert await api.request_join(person, XINGFU) > 0
    how = await api.wait_sent(lambda s: s.chat_id == person.id)
    assert "您申请加入「幸福小区居民群」" in how.text and "实名 姓名 地址" in how.text
    await api.say(person, f"实名 {name} {address}")  # the private chat the request opened
    ack = await api.wait_sent(lambda s: s.chat_id == person.id)
    assert f"已收到您的实名登记（{code}）" in ack.text and "幸福小区居民群" in ack.text
    card = await api.wait_sent(lambda s: s.chat_id == LI.id and f"【实名登记 {code}】" in s.text)
    assert name in card.text and f"批准 {code} 新建" in card.text
    assert card.labels == ["批准并新建住户", "拒绝"]
    return card


def decisions(api: TelegramApi, method: str) -> list[tuple[int, int]]:
    """(chat, user) of every successful ``method`` call the server recorded."""
    return [(int(e["params"]["chat_id"]), int(e["params"]["user_id"]))
            for e in api.calls(method, ok=True)]


async def test_a_tap_on_the_card_approves_the_request_once_across_a_restart(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    bot = await vetting_group(api, tmp_path)
    try:
        card = await request_and_register(api, LISI, "李四", "5栋301", "J1")
        assert api.sends() and all(s.chat_id != XINGFU.id for s in api.sends())  # group: nothing yet
        await api.tap(LI, card, "批准并新建住户")
        await api.wait_call("approveChatJoinRequest", lambda e: e["status"] == 200)
        done = await api.wait_sent(lambda s: s.chat_id == LI.id)
        assert "已批准 J1：李四" in done.text and "5栋301" in done.text  # private: the whole address
        told = await api.wait_sent(lambda s: s.chat_id == LISI.id)
        assert "实名登记已通过" in told.text
        # Telegram lets 李四 in and announces it: the group greets a registered member.
        welcome = await api.wait_sent(lambda s: s.chat_id == XINGFU.id)
        assert "已实名登记" in welcome.text and welcome.mentioned == [LISI.id]
        assert "5栋301" not in welcome.text
        member = await bot.app.store.members.find("telegram", str(LISI.id), "xingfu")
        home = await bot.app.store.households.find("xingfu", "5-301")
        assert home is not None and home.head == "李四"
        assert member is not None and member.status == "approved" and member.household_id == home.id
    finally:
        await bot.stop()
    assert (await api.state())["join_requests"] == []

    bot = await start_bot(api, tmp_path)  # the same database: nothing is done again
    try:
        start = await api.mark()
        await api.tap(LI, card, "批准并新建住户")  # a second tap after the restart
        answer = await api.wait_call("answerCallbackQuery", start=start)
        assert answer["params"]["text"] == "J1 已批准，无需再审核。"
        await api.say(LI, "批准 J1 新建")
        again = await api.wait_sent(lambda s: s.chat_id == LI.id and "J1" in s.text)
        assert "已批准，无需再审核" in again.text
        await api.fetch()
        assert decisions(api, "approveChatJoinRequest") == [(XINGFU.id, LISI.id)]
        assert len(api.calls("approveChatJoinRequest")) == 1
        assert [s.text for s in api.sends() if s.chat_id == LISI.id][-1] == told.text  # told once
    finally:
        await bot.stop()


async def test_a_decline_by_text_keeps_the_reason_private_and_an_approval_by_text(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    bot = await vetting_group(api, tmp_path)
    try:
        await request_and_register(api, ZHAO6, "赵六", "9栋909", "J1")
        await request_and_register(api, SUN7, "孙七", "3号楼2单元501", "J2")
        await api.say(LI, "拒绝 J1 本小区没有9栋")
        await api.wait_sent(lambda s: s.chat_id == LI.id and "已拒绝 J1" in s.text)
        await api.wait_call("declineChatJoinRequest", lambda e: e["status"] == 200)
        refused = await api.wait_sent(lambda s: s.chat_id == ZHAO6.id)
        assert "未通过：本小区没有9栋" in refused.text

        await api.say(LI, "批准 J2 新建")
        await api.wait_call("approveChatJoinRequest", lambda e: e["status"] == 200)
        await api.wait_sent(lambda s: s.chat_id == SUN7.id and "实名登记已通过" in s.text)
        welcome = await api.wait_sent(lambda s: s.chat_id == XINGFU.id)
        assert welcome.mentioned == [SUN7.id]
        await api.fetch()
        assert decisions(api, "declineChatJoinRequest") == [(XINGFU.id, ZHAO6.id)]
        assert decisions(api, "approveChatJoinRequest") == [(XINGFU.id, SUN7.id)]
        # The group heard only the welcome of the approved member: no reason, no address.
        assert [s.text for s in api.sends() if s.chat_id == XINGFU.id] == [welcome.text]
        assert (await api.state())["join_requests"] == []
        zhao = await bot.app.store.members.find("telegram", str(ZHAO6.id), "xingfu")
        assert zhao is not None and zhao.status == "rejected" and zhao.reason == "本小区没有9栋"
    finally:
        await bot.stop()
