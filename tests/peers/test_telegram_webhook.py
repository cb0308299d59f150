"""Webhook mode end to end: the local Bot API server POSTs updates to the bot's aiohttp server.

The server pushes one update at a time, in order, with the secret the bot registered through
``setWebhook``, and sends an update again until the bot answers 2xx (as Telegram does).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.telegram import SECRET_HEADER, Webhook
from tests.peers.telegram_client import Sent, TelegramApi, free_port
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, ZHANG, Running, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def in_chat(chat_id: int, text: str = "") -> Callable[[Sent], bool]:
    return lambda s: s.chat_id == chat_id and text in s.text


async def start_webhook_bot(api: TelegramApi, tmp_path: Path, port: int) -> Running:
    """The bot in webhook mode, listening on ``port``, running once Telegram has the webhook."""
    hook = Webhook(f"http://127.0.0.1:{port}/telegram/hook", listen="127.0.0.1", port=port)
    return await start_bot(api, tmp_path, webhook=hook)


@pytest.fixture
async def world(telegram_api: TelegramApi) -> TelegramApi:
    await telegram_api.add_group(XINGFU)
    await telegram_api.open_private(LI)
    await telegram_api.control("bot", webhook_retry=0.2)
    return telegram_api


async def test_keyword_and_button_tap_arrive_by_webhook(world: TelegramApi, tmp_path: Path) -> None:
    bot = await start_webhook_bot(world, tmp_path, free_port())
    try:
        [hook] = world.calls("setWebhook")
        assert hook["params"]["url"].endswith("/telegram/hook") and len(hook["params"]["secret_token"]) >= 32
        await world.say(ZHANG, "代买 大米一袋 3栋501", XINGFU)
        ack = await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))
        push = await world.wait_sent(in_chat(LI.id, "新工单 E1"))
        await world.tap(LI, push, "接单")
        await world.wait_sent(in_chat(XINGFU.id, "E1 已由李书记接单"))
        [ticket] = await bot.tickets()
        assert ticket.status == "accepted" and ack.mentioned == [ZHANG.id]
        assert world.calls("getUpdates") == []  # nothing polled while the webhook is set
    finally:
        await bot.stop()


async def test_posts_without_the_secret_are_refused(world: TelegramApi, tmp_path: Path) -> None:
    port = free_port()
    bot = await start_webhook_bot(world, tmp_path, port)
    try:
        forged = {"update_id": 999, "message": {
            "message_id": 1, "date": 1795400000, "text": "代买 假的 1栋",
            "chat": {"id": XINGFU.id, "type": "supergroup", "title": XINGFU.title},
            "from": {"id": 666, "is_bot": False, "first_name": "冒充者"}}}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "guess"}):
                async with http.post(f"http://127.0.0.1:{port}/telegram/hook", json=forged,
                                     headers=headers) as resp:
                    assert resp.status == 403
        assert await bot.tickets() == []
        assert await bot.app.store.messages.unhandled() == []
    finally:
        await bot.stop()


async def test_a_failed_store_answers_500_and_the_resent_update_is_handled_once(
        world: TelegramApi, tmp_path: Path) -> None:
    bot = await start_webhook_bot(world, tmp_path, free_port())
    record = bot.app.store.messages.record
    failures = 0

    async def flaky(*args: object, **kwargs: object) -> object:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise OSError("disk I/O error")
        return await record(*args, **kwargs)  # type: ignore[arg-type]

    bot.app.store.messages.record = flaky  # type: ignore[method-assign]
    try:
        sent = await world.say(ZHANG, "代买 酱油 3栋501", XINGFU)
        await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))
        hooks = [e for e in world.calls("webhook") if e["params"]["update_id"] == sent.update_id]
        assert [e["status"] for e in hooks] == [500, 200]
        assert len(await bot.tickets()) == 1
    finally:
        await bot.stop()


async def test_updates_sent_while_the_bot_is_down_arrive_after_restart_once(
        world: TelegramApi, tmp_path: Path) -> None:
    port = free_port()
    bot = await start_webhook_bot(world, tmp_path, port)
    await world.say(ZHANG, "代买 大米 3栋501", XINGFU)
    await world.wait_sent(in_chat(XINGFU.id, "E1"))
    await bot.crash()

    first = await world.say(ZHANG, "代买 鸡蛋 3栋501", XINGFU)
    second = await world.say(ZHANG, "求证 听说明天全区停水是真的吗", XINGFU)
    await world.wait_call("webhook", lambda e: e["status"] == 0)  # nobody listening
    info = await world.state()
    assert info["pending"] == [first.update_id, second.update_id]

    bot = await start_webhook_bot(world, tmp_path, port)
    try:
        await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E2"))
        await world.wait_sent(in_chat(XINGFU.id, "已收到求证 R1"))
        assert [t.code for t in await bot.tickets()] == ["E1", "E2", "R1"]
        assert (await world.state())["pending"] == []
    finally:
        await bot.stop()


async def test_polling_mode_removes_a_webhook_left_behind_and_keeps_its_updates(
        world: TelegramApi, tmp_path: Path) -> None:
    port = free_port()
    bot = await start_webhook_bot(world, tmp_path, port)
    await bot.crash()
    waiting = await world.say(ZHANG, "代买 牛奶 3栋501", XINGFU)

    polling = await start_bot(world, tmp_path)
    try:
        await world.wait_call("deleteWebhook")
        assert world.calls("deleteWebhook")[-1]["params"].get("drop_pending_updates") in (None, "false")
        await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))
        polled = [e for e in world.calls("getUpdates") if waiting.update_id in e.get("pending", [])]
        assert polled, "the update left by the webhook came by getUpdates"
    finally:
        await polling.stop()


async def test_gridbot_run_in_webhook_mode_from_bot_toml(world: TelegramApi, tmp_path: Path) -> None:
    """The operator's path: [telegram] mode = "webhook" in bot.toml, token in the environment."""
    import os
    import signal
    import sys

    port = free_port()
    config = tmp_path / "bot.toml"
    config.write_text(TOML + f"""
[telegram]
base_url = "{world.base_url}"
mode = "webhook"
webhook_url = "http://127.0.0.1:{port}/tg"
listen = "127.0.0.1"
port = {port}
""", encoding="utf-8")
    env = {**os.environ, "GRIDBOT_TELEGRAM_TOKEN": world.token}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), "--db", str(tmp_path / "g.db"),
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        hook = await world.wait_call("setWebhook", timeout=30)
        assert hook["params"]["url"] == f"http://127.0.0.1:{port}/tg"
        await world.say(ZHANG, "代買 雞蛋一盒 3棟501", XINGFU)
        await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode in (0, 130), err.decode()
    assert b"Traceback" not in err, err.decode()
