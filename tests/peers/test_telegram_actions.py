"""Join decisions queued in the outbox reach Telegram as approve/declineChatJoinRequest, once.

Real PTB over HTTP against ``tests/peers/telegram_api.py``; the decisions are queued the way a
handler's replies are (rows in the outbox), including before a restart. The production join
greeting is left out (``start`` from ``test_telegram_inbound``): only the queued rows act.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.message import ChatRef, JoinDecision, Reply
from tests.harness import make_config, open_app
from tests.join_recorder import JoinRecorder
from tests.peers.telegram_client import Person, TelegramApi
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, Running
from tests.peers.test_telegram_inbound import start

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

GROUP = ChatRef("telegram", str(XINGFU.id))
WANG5 = Person(7201, "王", "五")
ZHAO6 = Person(7202, "赵六")


async def queue_offline(tmp_path: Path, *replies: Reply) -> None:
    """Queue replies with no bot running (a CLI command, or a run that stopped before sending)."""
    app = await open_app(make_config(tmp_path, TOML))
    try:
        assert await app.queue(list(replies)) == len(replies)
    finally:
        await app.close()


async def settled(bot: Running, timeout: float = 10) -> list[tuple[str, str]]:  # noqa: ASYNC109
    """(status, last error) of every outbox row, once none is pending."""
    async with asyncio.timeout(timeout):
        while await bot.app.store.outbox.items(status="pending"):  # noqa: ASYNC110 - no change event
            await asyncio.sleep(0.02)
    items = await bot.app.store.outbox.items()
    return [(i.status, i.reply.text) for i in items]


async def test_a_queued_approval_is_done_exactly_once_across_a_restart(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    await api.add_group(XINGFU)
    await api.open_private(LI)
    await api.make_bot_admin(XINGFU)
    await api.request_join(WANG5, XINGFU)
    await queue_offline(tmp_path, Reply(GROUP, "", action=JoinDecision(str(WANG5.id), True, "王 五")),
                        Reply(GROUP, "欢迎王五入群"))
    bot = await start(api, tmp_path, JoinRecorder())
    try:
        call = await api.wait_call("approveChatJoinRequest")
        assert call["status"] == 200 and call["params"]["chat_id"] in (XINGFU.id, str(XINGFU.id))
        welcome = await api.wait_sent(lambda s: s.chat_id == XINGFU.id)
        assert welcome.text == "欢迎王五入群" and welcome.seq > call["seq"]  # the group's order kept
        assert await settled(bot) == [("sent", ""), ("sent", "欢迎王五入群")]
    finally:
        await bot.stop()
    assert (await api.state())["join_requests"] == []

    bot = await start(api, tmp_path, JoinRecorder())  # the same database: nothing is done again
    try:
        await bot.app.queue([Reply(GROUP, "重启后的消息")])
        await api.wait_sent(lambda s: s.text == "重启后的消息")
        assert len(api.calls("approveChatJoinRequest")) == 1
    finally:
        await bot.stop()


async def test_a_settled_request_is_done_and_a_refusal_given_up_not_retried(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    await api.add_group(XINGFU)
    await api.open_private(LI)
    await api.make_bot_admin(XINGFU)
    await api.request_join(ZHAO6, XINGFU)
    await api.say(WANG5, "我已经在群里了", XINGFU)  # a member already
    await queue_offline(
        tmp_path,
        Reply(GROUP, "", action=JoinDecision(str(ZHAO6.id), False, "赵六")),   # declined
        Reply(GROUP, "", action=JoinDecision(str(ZHAO6.id), True, "赵六")),    # settled already
        Reply(GROUP, "", action=JoinDecision(str(WANG5.id), True, "王 五")),   # in the group already
    )
    bot = await start(api, tmp_path, JoinRecorder())
    try:
        assert await settled(bot) == [("sent", "")] * 3
        await api.fetch()
        answers = [(e["method"], e["status"], e.get("error", "")) for e in api.log
                   if e["method"] in ("approveChatJoinRequest", "declineChatJoinRequest")]
        assert answers == [
            ("declineChatJoinRequest", 200, ""),
            ("approveChatJoinRequest", 400, "Bad Request: HIDE_REQUESTER_MISSING"),
            ("approveChatJoinRequest", 400, "Bad Request: USER_ALREADY_PARTICIPANT"),
        ]
        # The bot loses its admin right: Telegram refuses, and retrying cannot help.
        await api.control("member", chat_id=XINGFU.id, user_id=int(api.token.split(":")[0]),
                          status="member")
        await api.request_join(Person(7203, "孙七"), XINGFU)
        await bot.app.queue([Reply(GROUP, "", action=JoinDecision("7203", True, "孙七"))])
        assert (await settled(bot))[-1] == ("failed", "")
        await api.fetch()
        refused = api.calls("approveChatJoinRequest")[-1]
        assert refused["error"] == "Bad Request: CHAT_ADMIN_REQUIRED"
        assert len(api.calls("approveChatJoinRequest")) == 3
    finally:
        await bot.stop()
