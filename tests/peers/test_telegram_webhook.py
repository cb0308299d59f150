"""Webhook mode end to end: the local Bot API server POSTs updates to the bot's aiohttp server.

The server pushes one update at a time, in order, with the secret the bot registered through
``setWebhook``, and sends an update again until the bot answers 2xx (as Telegram does).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.telegram import SECRET_HEADER, Webhook
from tests.peers.telegram_client import Sent, TelegramApi, free_port
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, ZHANG, Running, start_bot
from tests.store_backends import sqlite_db

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
    # Telegram resends until answered, so the message is stored in the handling transaction.
    record = bot.app.store.messages.record_handled
    failures = 0

    async def flaky(*args: object, **kwargs: object) -> None:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise OSError("disk I/O error")
        await record(*args, **kwargs)  # type: ignore[arg-type]

    bot.app.store.messages.record_handled = flaky  # type: ignore[method-assign]
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


# --- issue 9 §6: bodies that are not updates, updates the bot cannot use, broken text ------

class Poster:
    """POSTs to the bot's webhook as Telegram would (with the registered secret) or not."""

    def __init__(self, world: TelegramApi, port: int):
        self.url = f"http://127.0.0.1:{port}/telegram/hook"
        self.secret = world.calls("setWebhook")[-1]["params"]["secret_token"]

    async def __call__(self, body: bytes, content_type: str | None = "application/json",
                       secret: str | None = None) -> tuple[int, str]:
        headers = {SECRET_HEADER: self.secret if secret is None else secret}
        if content_type is not None:
            headers["Content-Type"] = content_type
        async with aiohttp.ClientSession() as http, http.post(self.url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()


def update(update_id: int, **message: object) -> dict[str, object]:
    """A group message update from 张阿姨 in 幸福小区居民群; ``message`` overrides fields."""
    base: dict[str, object] = {
        "message_id": 500 + update_id, "date": 1795400000, "text": "代买 大米一袋 3栋501",
        "chat": {"id": XINGFU.id, "type": "supergroup", "title": XINGFU.title},
        "from": {"id": ZHANG.id, "is_bot": False, "first_name": "张", "last_name": "阿姨"}}
    return {"update_id": update_id, "message": {**base, **message}}


def body(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()


@pytest.fixture
async def hooked(world: TelegramApi, tmp_path: Path) -> AsyncIterator[tuple[Running, Poster]]:
    port = free_port()
    bot = await start_webhook_bot(world, tmp_path, port)
    yield bot, Poster(world, port)
    await bot.stop()


async def test_bodies_that_are_not_updates_answer_400(hooked: tuple[Running, Poster]) -> None:
    bot, post = hooked
    for raw in (b"[]", b"[1, 2]", b"null", b'"hello"', b"42", b"{not json", b"\xff\xfe\xfa",
                b"", b'{"message": {}}', b'{"update_id": "7"}', b'{"update_id": true}'):
        status, _ = await post(raw)
        assert status == 400, raw
    assert await bot.app.store.messages.count() == 0


async def test_wrong_content_type_answers_415(hooked: tuple[Running, Poster]) -> None:
    bot, post = hooked
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        status, _ = await post(body(update(1)), content_type)
        assert status == 415, content_type
    assert (await post(body(update(1)), "application/json; charset=utf-8"))[0] == 200
    assert [t.code for t in await bot.tickets()] == ["E1"]


async def test_a_secret_header_with_non_ascii_is_refused_not_a_crash(hooked: tuple[Running, Poster]) -> None:
    bot, post = hooked
    payload = body(update(1))
    head = (f"POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n").encode()
    # Raw bytes: HTTP clients refuse to send a non-ASCII header value, a forger need not.
    reader, writer = await asyncio.open_connection("127.0.0.1", int(post.url.split(":")[2].split("/")[0]))
    writer.write(head + SECRET_HEADER.encode() + ": 密钥".encode() + b"\r\n\r\n" + payload)
    status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] == b"403"
    assert await bot.app.store.messages.count() == 0


async def test_updates_the_bot_cannot_use_are_acknowledged_and_kept_when_possible(
        world: TelegramApi, hooked: tuple[Running, Poster], caplog: pytest.LogCaptureFixture) -> None:
    bot, post = hooked
    caplog.set_level(logging.INFO, logger="bot.adapters")
    numeric = update(1, text=12345)
    assert await post(body(numeric)) == (200, "")
    [(_, stored)] = await sqlite_db(bot.app.store).fetchall("SELECT id, kind FROM messages")
    assert stored == "other"  # kept, and not read as a request
    odd = [
        {"update_id": 2, "edited_channel_post_v9": {"anything": True}},  # a kind the bot never asked for
        {"update_id": 3, "message": {"message_id": 3, "date": 1795400000, "text": "代买 盐"}},  # no chat
        update(4, chat="幸福小区"),  # a chat that is not an object
        update(5, date="yesterday"),
        {"update_id": 6, "callback_query": {"id": "q", "data": 7, "chat_instance": "c",
                                            "from": {"id": ZHANG.id, "is_bot": False, "first_name": "张"}}},
    ]
    for u in odd:
        assert (await post(body(u)))[0] == 200, u
    assert any("cannot be read" in r.message or "nothing the bot reads" in r.message
               for r in caplog.records if r.levelno == logging.INFO)
    assert await bot.tickets() == []
    # The bot still serves what comes next.
    await world.say(ZHANG, "代买 酱油 3栋501", XINGFU)
    await world.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))


async def test_nul_and_lone_surrogates_are_cleaned_at_the_adapter(hooked: tuple[Running, Poster]) -> None:
    bot, post = hooked
    dirty = update(1, text="代买 大米\u0000一袋\ud800 3栋501",
                   chat={"id": XINGFU.id, "type": "supergroup", "title": "幸福\udc00小区"},
                   **{"from": {"id": ZHANG.id, "is_bot": False, "first_name": "张\u0000", "last_name": "\ud83d"}})
    assert (await post(body(dirty)))[0] == 200
    [ticket] = await bot.tickets()
    assert ticket.text == "大米一袋\ufffd 3栋501" and ticket.requester_name == "张 \ufffd"
    [row] = await sqlite_db(bot.app.store).fetchall("SELECT text, chat_title FROM messages")
    assert "\x00" not in row["text"] and row["chat_title"] == "幸福\ufffd小区"
