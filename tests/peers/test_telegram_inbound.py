"""Telegram joins through real PTB over HTTP: ``new_chat_members`` and ``chat_join_request``.

The bot runs as in production against ``tests/peers/telegram_api.py``, with a test-only
router recording the join events (see ``tests/join_recorder.py``), so nothing here depends
on the production join handlers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter, Webhook
from bot.message import JOIN, JOIN_REQUEST, ChatRef, Incoming, JoinDecision, Reply
from handlers import ROUTERS
from tests.harness import make_config, open_app
from tests.join_recorder import JoinRecorder
from tests.peers.telegram_client import Person, TelegramApi, free_port
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, Running

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
#: The production routers but the one greeting newcomers (handlers/join.py, tested in
#: tests/test_join.py): these tests see the platform side only, through the recorder.
WITHOUT_JOIN = [r for r in ROUTERS if r.name != "join"]

WANG5 = Person(7201, "王", "五")
ZHAO6 = Person(7202, "赵六")
HELPER_BOT = Person(7299, "别的机器人", username="other_bot")
BOT_ID = 123456


async def start(api: TelegramApi, tmp_path: Path, recorder: JoinRecorder, *,
                webhook: Webhook | None = None) -> Running:
    """The bot with the production routers (but the join greeting) plus ``recorder``, polling."""
    await api.add_group(XINGFU)
    await api.open_private(LI)
    app = await open_app(make_config(tmp_path, TOML), routers=[*WITHOUT_JOIN, recorder.router])
    adapter = TelegramAdapter(api.token, base_url=api.base_url, poll_timeout=1, webhook=webhook)
    app.attach(adapter)
    first = await api.mark()
    task = asyncio.create_task(app.run(scheduler=False))
    await api.wait_call("setWebhook" if webhook else "getUpdates", start=first)
    return Running(app, adapter, task)


async def until(check: Callable[[], bool], timeout: float = 10) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - the recorder has no change event
            await asyncio.sleep(0.02)


async def test_new_chat_members_are_one_join_each_bots_left_out(telegram_api: TelegramApi,
                                                                  tmp_path: Path) -> None:
    api = telegram_api
    recorder = JoinRecorder()
    bot = await start(api, tmp_path, recorder)
    try:
        me = Person(BOT_ID, "网格助手", username="gridbot_test_bot")
        joined = await api.join(XINGFU, WANG5, ZHAO6, by=LI, bots=(HELPER_BOT, me))
        await api.wait_confirmed(joined.update_id)
        assert [(m.kind, m.sender_id, m.sender_name) for m in recorder.seen] == [
            (JOIN, str(WANG5.id), "王 五"), (JOIN, str(ZHAO6.id), "赵六")]
        for m in recorder.seen:
            assert m.chat == ChatRef("telegram", str(XINGFU.id)) and m.is_group and m.text == ""
            assert m.chat_title == XINGFU.title and m.reply_chat is None
        assert len({m.message_id for m in recorder.seen}) == 2
        only_bots = await api.join(XINGFU, bots=(me,))  # the bot itself added: nothing to record
        await api.wait_confirmed(only_bots.update_id)
        assert len(recorder.seen) == 2
        assert api.sends() == []  # no handler answers a join, and no error reply either
    finally:
        await bot.stop()


async def test_a_join_request_arrives_and_its_approval_lets_the_person_in(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api

    def welcome(m: Incoming) -> Sequence[Reply]:
        if m.kind != JOIN_REQUEST or m.reply_chat is None:
            return []
        return [Reply(m.reply_chat, "已收到您的入群申请"),
                Reply(m.chat, "", action=JoinDecision(m.sender_id, True, m.sender_name))]

    recorder = JoinRecorder(answer=welcome)
    bot = await start(api, tmp_path, recorder)
    try:
        assert await api.request_join(ZHAO6, XINGFU) == 0  # not an admin: Telegram keeps it away
        await api.make_bot_admin(XINGFU)
        update_id = await api.request_join(WANG5, XINGFU)
        assert update_id > 0  # delivered: the bot asked for chat_join_request
        # WANG5 never pressed Start: the request's user_chat_id is what lets the bot write.
        note = await api.wait_sent(lambda s: s.chat_id == WANG5.id)
        assert note.text == "已收到您的入群申请"
        approve = await api.wait_call("approveChatJoinRequest")
        assert approve["status"] == 200
        assert approve["params"]["user_id"] in (WANG5.id, str(WANG5.id))
        await until(lambda: len(recorder.seen) == 2)  # Telegram announces the approved member
        request, joined = recorder.seen
        assert (request.kind, request.sender_id, request.sender_name) == (JOIN_REQUEST, str(WANG5.id), "王 五")
        assert request.is_group and request.chat == ChatRef("telegram", str(XINGFU.id))
        assert request.reply_chat == ChatRef.private("telegram", str(WANG5.id))
        assert (joined.kind, joined.sender_id) == (JOIN, str(WANG5.id))
        assert (await api.state())["join_requests"] == [{"chat_id": XINGFU.id, "user_id": ZHAO6.id}]
        assert len(api.calls("approveChatJoinRequest")) == 1
    finally:
        await bot.stop()


async def test_a_join_request_comes_by_webhook_too(telegram_api: TelegramApi, tmp_path: Path) -> None:
    api = telegram_api
    recorder = JoinRecorder()
    port = free_port()
    bot = await start(api, tmp_path, recorder, webhook=Webhook(f"http://127.0.0.1:{port}/tg", port=port))
    try:
        await api.make_bot_admin(XINGFU)
        assert await api.request_join(WANG5, XINGFU) > 0
        await until(lambda: len(recorder.seen) == 1)
        assert recorder.kinds() == [(JOIN_REQUEST, str(WANG5.id))]
        await api.wait_call("webhook", lambda e: e["status"] == 200)
    finally:
        await bot.stop()
