"""The WeChat adapter end to end: the real bot, over real gRPC, against the real npm gateway.

Residents and owners are mock WeChat contacts in ``wechaty-puppet-mock``; the npm
``wechaty-puppet-service`` gateway serves it; the bot runs as in production (``App`` with the
``WechatAdapter``, a real SQLite file) and everything it says is read back from the gateway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.adapters.wechat import MENTION_GAP, WechatAdapter, WechatSetupError
from bot.app import App
from bot.message import ChatRef, Reply
from tests.harness import make_config, open_app
from tests.peers.wechat_gateway import (
    BotSent,
    WechatGateway,
    free_port,
    node_missing_reason,
    wechat_gateway,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")

FAST = {"send_interval": 0.05, "reconnect_delays": (0.2, 0.5, 1.0)}


@dataclass
class World:
    """The mock WeChat: the bot account, people and one configured room."""

    gw: WechatGateway
    bot: str
    zs: str  # resident 张三 (the bot's remark for him: 3号楼张三)
    ls: str  # resident 李四
    owner: str  # 王书记, who owns the room
    room: str

    def toml(self, extra_groups: str = "") -> str:
        return f"""
[bot]
platforms = ["wechat"]

[[groups]]
key = "xingfu"
name = "幸福小区居民群"
platform = "wechat"
chat_id = "{self.room}"
owners = ["{self.owner}"]
{extra_groups}
"""

    def in_room(self, room: str | None = None) -> Callable[[BotSent], bool]:
        return lambda s: s.room_id == (room or self.room)

    def to(self, contact: str) -> Callable[[BotSent], bool]:
        return lambda s: s.to_id == contact


@pytest.fixture
async def world(wechat_gateway: WechatGateway) -> World:  # noqa: F811
    gw = wechat_gateway
    bot = await gw.create_bot("网格助手")
    zs = await gw.create_contact("张三", alias="3号楼张三")
    ls = await gw.create_contact("李四")
    owner = await gw.create_contact("王书记")
    room = await gw.create_room("幸福小区居民群", [bot, zs, ls, owner], owner_id=owner)
    return World(gw, bot, zs, ls, owner, room)


async def until(check: Callable[[], bool], timeout: float = 15) -> None:  # noqa: ASYNC109
    """Until ``check()`` holds (polled: it reads adapter state that has no event to wait on)."""
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - adapter state has no event to await
            await asyncio.sleep(0.02)


async def settled(app: App, timeout: float = 10) -> None:  # noqa: ASYNC109
    """Until every queued send is confirmed by the gateway (so a crash cannot cut one off)."""
    async def check() -> None:
        while await app.store.outbox.items(status="pending"):  # noqa: ASYNC110 - no change event
            await asyncio.sleep(0.02)
    await asyncio.wait_for(check(), timeout)


@contextlib.asynccontextmanager
async def running(world: World, tmp_path: Path, toml: str | None = None,
                  **adapter_kw: object) -> AsyncIterator[tuple[App, WechatAdapter]]:
    """The bot as ``gridbot run`` starts it, on the gateway, until the block ends."""
    app = await open_app(make_config(tmp_path, toml or world.toml()))
    adapter = WechatAdapter(world.gw.endpoint, world.gw.token, app.directory,
                            **{**FAST, **adapter_kw})  # type: ignore[arg-type]
    app.attach(adapter)
    task = asyncio.create_task(app.run(scheduler=False))
    try:
        await world.gw.wait_client()
        yield app, adapter
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()


async def test_keyword_in_room_makes_a_ticket_and_an_at_reply(world: World, tmp_path: Path) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (app, _):
        await gw.say(world.zs, "代买 胰岛素两盒 急 5栋301", room_id=world.room)
        reply = await gw.wait_bot_sent(world.in_room())
        # The room sees the name it knows him by, not the bot's private remark.
        assert reply.text is not None and reply.text.startswith(f"@张三{MENTION_GAP}已登记代办工单 E1（紧急·买药/就医）")
        assert reply.mention_ids == (world.zs,)
        push = await gw.wait_bot_sent(world.to(world.owner))
        assert push.text is not None and "新工单 E1【紧急】" in push.text and "3号楼张三" in push.text
        assert "（可回复：接单 E1 ／ 完成 E1 ／ 驳回 E1 ／ 详情 E1）" in push.text
        ticket = await app.store.tickets.get("E1")
        assert ticket is not None and ticket.platform == "wechat" and ticket.chat_id == world.room
        assert (ticket.requester_id, ticket.requester_name) == (world.zs, "3号楼张三")
        assert ticket.address == "5栋301"
        # Ordinary chat gets nothing; the bot's own messages (echoed back) are not handled.
        await gw.say(world.ls, "谢谢大家，辛苦了", room_id=world.room)
        await gw.assert_no_bot_sent(within=0.5)
        assert await app.store.messages.count() == 2


async def test_owner_private_commands_move_the_ticket_and_tell_the_room(
    world: World, tmp_path: Path
) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (app, _):
        await gw.say(world.zs, "代買藥 老人發燒 3棟2單元", room_id=world.room)  # Traditional
        first = await gw.wait_bot_sent(world.in_room())
        assert first.text is not None and "E1（紧急·买药/就医）" in first.text and "3栋2单元" in first.text
        await gw.wait_bot_sent(world.to(world.owner))

        await gw.say(world.owner, "接单 E1")  # private chat with the bot
        card = await gw.wait_bot_sent(world.to(world.owner))
        assert card.text is not None and card.text.startswith("已接单 E1。")
        notice = await gw.wait_bot_sent(world.in_room())
        assert notice.text == f"@张三{MENTION_GAP}您的工单 E1 已由王书记接单，正在处理。"
        assert notice.mention_ids == (world.zs,)

        await gw.say(world.owner, "完成 E1 药已送到家门口")
        await gw.wait_bot_sent(world.to(world.owner))
        done = await gw.wait_bot_sent(world.in_room())
        assert done.text is not None and "E1 已完成。说明：药已送到家门口" in done.text
        ticket = await app.store.tickets.get("E1")
        assert ticket is not None and ticket.status == "done" and ticket.handler_name == "王书记"

        # A resident cannot do this, in private or in the room.
        await gw.say(world.ls, "接单 E1")
        refused = await gw.wait_bot_sent(world.to(world.ls))
        assert refused.text is not None and "只有群主" in refused.text


async def test_gateway_crash_mid_run_reconnects_without_loss_or_duplicates(
    world: World, tmp_path: Path
) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (app, adapter):
        await gw.say(world.zs, "代买 大米一袋 3栋", room_id=world.room)
        await gw.wait_bot_sent(world.in_room())
        await gw.wait_bot_sent(world.to(world.owner))
        await settled(app)

        await gw.kill()  # the gateway crashes
        # While it is down the bot goes on: a notice queued now waits for the gateway.
        await app.queue([Reply(ChatRef("wechat", world.room), "【通知】今晚8点停水")])
        await asyncio.sleep(0.3)  # a few send attempts fail against the dead gateway
        await gw.start()  # same port, token, accounts and rooms
        await gw.wait_client(timeout=15)
        held = await gw.wait_bot_sent(lambda s: s.text == "【通知】今晚8点停水", timeout=15)
        assert held.room_id == world.room

        await gw.say(world.ls, "代购 奶粉两罐 5栋", room_id=world.room)
        after = await gw.wait_bot_sent(world.in_room())
        assert after.text is not None and "E2" in after.text
        await gw.wait_bot_sent(world.to(world.owner))
        await gw.assert_no_bot_sent(within=0.5)  # nothing sent twice

    assert adapter.sessions >= 2
    texts = [s.text for s in gw.sent]
    assert texts.count("【通知】今晚8点停水") == 1
    assert sum("已登记代办工单 E1" in (t or "") for t in texts) == 1
    app2 = await open_app(make_config(tmp_path, world.toml()))
    try:
        assert [t.code for t in await app2.store.tickets.list()] == ["E1", "E2"]
        assert await app2.store.outbox.items(status="pending") == []
        assert await app2.store.outbox.items(status="failed") == []
    finally:
        await app2.close()


async def test_gateway_error_event_and_graceful_restart_are_survived(
    world: World, tmp_path: Path
) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (_, adapter):
        await gw.emit_error("watchdog reset")  # kills the Python client's event stream
        await until(lambda: adapter.sessions >= 2 and adapter.connected.is_set())
        await gw.wait_client(timeout=15)
        await gw.restart()  # SIGTERM: PuppetServer.stop(), then back on the same port
        await gw.wait_client(timeout=15)
        await gw.say(world.zs, "代买 挂面 3栋", room_id=world.room)
        reply = await gw.wait_bot_sent(lambda s: s.room_id == world.room and "挂面" in (s.text or ""))
        assert reply.text is not None and "已登记代办工单" in reply.text
        assert adapter.sessions >= 3


async def test_bot_restart_sends_what_was_queued_and_handles_each_message_once(
    world: World, tmp_path: Path
) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (app, _):
        await gw.say(world.zs, "报备 3-2-501 一家三口从外地返回", room_id=world.room)
        await gw.wait_bot_sent(world.in_room())
        await gw.wait_bot_sent(world.to(world.owner))
        # Queued while the bot is going down: it must go out after the restart, once.
        await app.queue([Reply(ChatRef("wechat", world.room), f"【提醒】第{i}条") for i in range(3)])
    async with running(world, tmp_path) as (app, _):
        for i in range(3):
            await gw.wait_bot_sent(lambda s, i=i: s.text == f"【提醒】第{i}条")  # type: ignore[misc]
        await gw.say(world.zs, "进度 V1", room_id=world.room)
        progress = await gw.wait_bot_sent(world.in_room())
        assert progress.text is not None and "工单 V1" in progress.text
        await gw.assert_no_bot_sent(within=0.5)
        assert await app.store.messages.count() == 2
    assert [s.text for s in gw.sent].count("【提醒】第0条") == 1


async def test_clean_stop_stores_every_message_already_received(world: World, tmp_path: Path) -> None:
    """The gateway never sends an event twice: a stop must not drop the ones still queued."""
    gw = world.gw
    async with running(world, tmp_path) as (app, adapter):
        for i in range(30):
            await gw.say(world.ls if i % 2 else world.zs, f"第{i}条：今天几点发物资？", room_id=world.room)
        await until(lambda: adapter.received == 30)
        # Stopped at once, with most of them still waiting to be read and stored.
    app2 = await open_app(make_config(tmp_path, world.toml()))
    try:
        assert await app2.store.messages.count() == 30
        assert await app2.store.messages.unhandled() == []
    finally:
        await app2.close()


async def test_unconfigured_room_is_hinted_and_bound_by_its_owner(world: World, tmp_path: Path) -> None:
    gw = world.gw
    other = await gw.create_room("阳光花园2号楼", [world.bot, world.zs, world.ls], owner_id=world.ls)
    async with running(world, tmp_path) as (app, _):
        await gw.say(world.zs, "代买 酱油 2号楼", room_id=other)
        hint = await gw.wait_bot_sent(world.in_room(other))
        assert hint.text is not None and "本群还没有在网格助手登记" in hint.text and "绑定" in hint.text
        await gw.say(world.zs, "绑定", room_id=other)  # not the room's owner
        refused = await gw.wait_bot_sent(world.in_room(other))
        assert refused.text is not None and "只有本群群主" in refused.text
        await gw.say(world.ls, "绑定", room_id=other)  # the owner; the topic becomes the name
        bound = await gw.wait_bot_sent(world.in_room(other))
        assert bound.text is not None and "已登记本群为「阳光花园2号楼」" in bound.text
        await gw.say(world.zs, "代买 酱油 2号楼", room_id=other)
        ticket_reply = await gw.wait_bot_sent(world.in_room(other))
        assert ticket_reply.text is not None and "已登记代办工单 E1" in ticket_reply.text
        push = await gw.wait_bot_sent(world.to(world.ls))  # the new owner hears of it
        assert push.text is not None and "新工单 E1" in push.text
        ticket = await app.store.tickets.get("E1")
        assert ticket is not None and ticket.group_name == "阳光花园2号楼"


async def test_non_text_messages(world: World, tmp_path: Path) -> None:
    gw = world.gw
    async with running(world, tmp_path) as (app, _):
        for kind in ("Image", "Audio", "Video", "MiniProgram", "Emoticon"):
            await gw.say_media(world.zs, kind, room_id=world.room)
        await gw.assert_no_bot_sent(within=0.7)  # a busy room is never answered for pictures
        await gw.say_media(world.zs, "Audio")  # a voice message in private: someone is waiting
        hint = await gw.wait_bot_sent(world.to(world.zs))
        assert hint.text is not None and "只能看懂文字" in hint.text
        assert await app.store.messages.count() == 6  # every message stored, even pictures


async def test_sends_to_many_rooms_are_paced(world: World, tmp_path: Path) -> None:
    gw = world.gw
    rooms = [await gw.create_room(f"村民群{i}", [world.bot, world.zs]) for i in range(5)]
    async with running(world, tmp_path, send_interval=0.25) as (app, _):
        start = time.monotonic()
        await app.queue([Reply(ChatRef("wechat", r), f"通知{i}") for i, r in enumerate(rooms)])
        for r in rooms:
            await gw.wait_bot_sent(world.in_room(r))
        elapsed = time.monotonic() - start
    assert elapsed >= 4 * 0.25 * 0.9  # five sends, at least four intervals apart


async def test_wrong_token_stops_with_a_clear_error(world: World, tmp_path: Path) -> None:
    app = await open_app(make_config(tmp_path, world.toml()))
    adapter = WechatAdapter(world.gw.endpoint, "insecure_wrong", app.directory, **FAST)  # type: ignore[arg-type]
    try:
        with pytest.raises(WechatSetupError, match="拒绝了令牌（UNAUTHENTICATED）"):
            await asyncio.wait_for(adapter.run(app.handle), 15)
    finally:
        await app.close()


async def test_unreachable_endpoint_is_retried_until_the_gateway_comes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    gw = WechatGateway(port=port)
    await gw.start()
    bot = await gw.create_bot("网格助手")
    zs = await gw.create_contact("张三")
    owner = await gw.create_contact("王书记")
    room = await gw.create_room("幸福小区居民群", [bot, zs, owner])
    await gw.kill()  # nothing listens on the port now; the mock state comes back on start()
    world = World(gw, bot, zs, zs, owner, room)  # an owner's own 求证 makes no ticket
    app = await open_app(make_config(tmp_path, world.toml()))
    adapter = WechatAdapter(gw.endpoint, gw.token, app.directory, **FAST)  # type: ignore[arg-type]
    app.attach(adapter)
    task = asyncio.create_task(app.run(scheduler=False))
    try:
        with caplog.at_level(logging.WARNING, logger="bot.adapters.wechat"):
            for _ in range(100):
                if caplog.text.count("is unreachable") >= 2:
                    break
                await asyncio.sleep(0.05)
        assert "is unreachable" in caplog.text and not task.done()
        await gw.start()
        await gw.wait_client(timeout=15)
        await gw.say(zs, "求证 明天全区停水是真的吗", room_id=room)
        reply = await gw.wait_bot_sent(lambda s: s.room_id == room)
        assert reply.text is not None and "已收到求证 R1" in reply.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()
        await gw.stop()


def test_gridbot_run_reads_the_gateway_from_the_environment(tmp_path: Path) -> None:
    """The command line, as an operator runs it: no endpoint, then a bad one."""
    (tmp_path / "bot.toml").write_text('[bot]\nplatforms = ["wechat"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECHATY_")}

    def run(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env={**env, **extra},
                              capture_output=True, text=True, timeout=60)

    missing = run()
    assert missing.returncode == 2 and "WECHATY_PUPPET_SERVICE_ENDPOINT" in missing.stderr
    bad = run(WECHATY_PUPPET_SERVICE_ENDPOINT="localhost", WECHATY_PUPPET_SERVICE_TOKEN="t")
    assert bad.returncode == 2 and "主机:端口" in bad.stderr
    assert "Traceback" not in missing.stderr + bad.stderr


async def test_gridbot_run_on_the_gateway(world: World, tmp_path: Path) -> None:
    """``gridbot run`` with the endpoint and token in the environment serves the room."""
    (tmp_path / "bot.toml").write_text(world.toml(), encoding="utf-8")
    env = {**os.environ, "WECHATY_PUPPET_SERVICE_ENDPOINT": world.gw.endpoint,
           "WECHATY_PUPPET_SERVICE_TOKEN": world.gw.token}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await world.gw.wait_client(timeout=20)
        await world.gw.say(world.zs, "跑腿 帮忙倒垃圾 3栋", room_id=world.room)
        reply = await world.gw.wait_bot_sent(world.in_room(), timeout=15)
        assert reply.text is not None and "E1（垃圾清运）" in reply.text
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    log_text = err.decode()
    assert "logged in as 网格助手" in log_text and "Traceback" not in log_text
