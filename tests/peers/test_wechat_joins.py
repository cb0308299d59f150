"""WeChat room-join events through the real npm gateway: one ``join`` per invitee, stored once.

The gateway's mock emits ``room-join`` exactly as ``RoomMock.add(...).by(inviter)`` does in
wechaty-puppet-mock; the bot runs as in production (``App`` + ``WechatAdapter`` over gRPC,
a real SQLite file), with a test-only router recording the joins it is handed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.adapters.wechat import WechatAdapter
from bot.app import App
from bot.message import JOIN, ChatRef
from handlers import ROUTERS
from tests.harness import make_config, open_app
from tests.join_recorder import JoinRecorder
from tests.peers.wechat_gateway import (
    WechatGateway,
    node_missing_reason,
    wechat_gateway,  # noqa: F401  (fixture)
)
from tests.store_backends import sqlite_db

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")
#: The production routers but the one greeting newcomers (handlers/join.py, tested in
#: tests/test_join.py): these tests see the platform side only, through the recorder.
WITHOUT_JOIN = [r for r in ROUTERS if r.name != "join"]


def toml(room: str, owner: str) -> str:
    return f"""
[bot]
platforms = ["wechat"]

[[groups]]
key = "xingfu"
name = "幸福小区居民群"
platform = "wechat"
chat_id = "{room}"
owners = ["{owner}"]
"""


async def until(check: Callable[[], bool], timeout: float = 15) -> None:  # noqa: ASYNC109
    """Until ``check()`` holds (the recorder has no event to wait on)."""
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - recorder state has no change event
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def running(gw: WechatGateway, tmp_path: Path, config: str,
                  recorder: JoinRecorder) -> AsyncIterator[tuple[App, WechatAdapter]]:
    """The bot with the production routers (but the join greeting) plus the recorder."""
    app = await open_app(make_config(tmp_path, config), routers=[*WITHOUT_JOIN, recorder.router])
    adapter = WechatAdapter(gw.endpoint, gw.token, app.directory, send_interval=0.05,
                            reconnect_delays=(0.2, 0.5))
    app.attach(adapter)
    task = asyncio.create_task(app.run(scheduler=False))
    try:
        await gw.wait_client()
        yield app, adapter
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()


async def joins_handled(app: App, count: int, timeout: float = 10) -> list[tuple[str, str]]:  # noqa: ASYNC109
    """(chat, sender) of every stored join, once ``count`` of them are stored and handled."""
    async with asyncio.timeout(timeout):
        while True:
            rows = await sqlite_db(app.store).fetchall(
                "SELECT chat_id, sender_id, handled_at FROM messages WHERE kind = 'join' ORDER BY id")
            if len(rows) >= count and all(r["handled_at"] for r in rows):
                return [(r["chat_id"], r["sender_id"]) for r in rows]
            await asyncio.sleep(0.02)


async def test_two_invitees_are_two_joins_stored_once_without_a_reply(
        wechat_gateway: WechatGateway, tmp_path: Path) -> None:  # noqa: F811
    gw = wechat_gateway
    bot = await gw.create_bot("网格助手")
    owner = await gw.create_contact("王书记")
    zs = await gw.create_contact("张三")
    ww = await gw.create_contact("王五", alias="5栋王五")
    zl = await gw.create_contact("赵六")
    room = await gw.create_room("幸福小区居民群", [bot, owner, zs], owner_id=owner)
    recorder = JoinRecorder()
    async with running(gw, tmp_path, toml(room, owner), recorder) as (app, adapter):
        await gw.room_add(room, [ww, zl], inviter_id=zs)
        await until(lambda: len(recorder.seen) == 2)
        first, second = recorder.seen
        assert (first.chat, first.sender_id, first.sender_name) == (ChatRef("wechat", room), ww, "5栋王五")
        assert (second.sender_id, second.sender_name) == (zl, "赵六")
        for event in recorder.seen:
            assert event.kind == JOIN and event.is_group and event.text == ""
            assert event.chat_title == "幸福小区居民群" and not event.sender_is_admin
        assert first.message_id != second.message_id

        # The same event delivered again (a reconnect replays it): recognised, not handled twice.
        stamp = int(first.message_id.rsplit(":", 1)[1])
        again = SimpleNamespace(room_id=room, invited_ids=[ww, zl], inviter_id=zs, timestamp=stamp)
        adapter._on_room_join(again)
        await gw.room_add(room, [owner], inviter_id=zs)  # a later event: handled after the replay
        await until(lambda: len(recorder.seen) == 3)
        assert recorder.kinds()[2] == (JOIN, owner)
        assert recorder.seen[2].sender_is_admin  # the room's owner, as the payload says
        assert await joins_handled(app, 3) == [(room, ww), (room, zl), (room, owner)]
        # Nothing said in the room: no handler answers a join, and no error reply either.
        await gw.assert_no_bot_sent(within=0.5)


async def test_the_bot_added_to_a_room_is_no_join(wechat_gateway: WechatGateway,  # noqa: F811
                                                  tmp_path: Path) -> None:
    gw = wechat_gateway
    bot = await gw.create_bot("网格助手")
    owner = await gw.create_contact("王书记")
    ls = await gw.create_contact("李四")
    room = await gw.create_room("幸福小区居民群", [bot, owner], owner_id=owner)
    other = await gw.create_room("外小区3号楼群", [owner], owner_id=owner)
    recorder = JoinRecorder()
    async with running(gw, tmp_path, toml(room, owner), recorder) as (app, _):
        await gw.room_add(other, [bot], inviter_id=owner)  # only the bot: nothing to record
        await gw.room_add(other, [bot, ls], inviter_id=owner)
        await until(lambda: len(recorder.seen) == 1)
        assert recorder.kinds() == [(JOIN, ls)]
        assert recorder.seen[0].chat == ChatRef("wechat", other)
        assert await joins_handled(app, 1) == [(other, ls)]
