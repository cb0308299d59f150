"""Real-name join on WeChat end to end: the npm Wechaty gateway, the real routers and store.

A resident is added to the room (``room-join``), is greeted there, sends ``实名`` in the room,
the room's owner approves (or rejects) in private, and the room hears the outcome; the address
and a rejection's reason stay out of the room. The bot runs as ``gridbot run`` does
(``App`` + ``WechatAdapter`` over gRPC, every router, a SQLite file).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.wechat import WechatAdapter
from bot.app import App
from tests.harness import make_config, open_app
from tests.peers.test_wechat_joins import toml
from tests.peers.wechat_gateway import (
    BotSent,
    WechatGateway,
    node_missing_reason,
    wechat_gateway,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")


@contextlib.asynccontextmanager
async def running(gw: WechatGateway, tmp_path: Path, room: str, owner: str) -> AsyncIterator[App]:
    """The bot with every production router on ``tmp_path/gridbot.db``, its stream open."""
    app = await open_app(make_config(tmp_path, toml(room, owner)))
    app.attach(WechatAdapter(gw.endpoint, gw.token, app.directory, send_interval=0.05,
                             reconnect_delays=(0.2, 0.5)))
    task = asyncio.create_task(app.run(scheduler=False))
    try:
        await gw.wait_client()
        yield app
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()


async def a_room_with_a_newcomer(gw: WechatGateway) -> tuple[str, str, str]:
    """(room, owner, resident): the bot and the owner in 幸福小区居民群, the resident outside."""
    bot = await gw.create_bot("网格助手")
    owner = await gw.create_contact("王书记")
    resident = await gw.create_contact("阿三", alias="3号楼阿三")
    room = await gw.create_room("幸福小区居民群", [bot, owner], owner_id=owner)
    return room, owner, resident



async def greeted_and_registered(gw: WechatGateway, room: str, owner: str,
                                 resident: str) -> BotSent:
    """The resident joins, is greeted, sends 实名 in the room; returns the owner's card."""
    await gw.room_add(room, [resident], inviter_id=owner)
    greeting = await gw.wait_bot_sent(lambda s: s.room_id == room)
    assert "本群实行实名制" in (greeting.text or "") and "实名 姓名 地址" in (greeting.text or "")
    assert greeting.mention_ids == (resident,)
    await gw.say(resident, "实名 张三 3号楼2单元501", room_id=room)
    ack = await gw.wait_bot_sent(lambda s: s.room_id == room)
    assert "已收到您的实名登记（J1）" in (ack.text or "") and ack.mention_ids == (resident,)
    assert "501" not in (ack.text or "")  # the address is not repeated in the room
    card = await gw.wait_bot_sent(lambda s: s.to_id == owner)
    assert "【实名登记 J1】" in (card.text or "") and "张三" in (card.text or "")
    assert "3栋2单元501" in (card.text or "") and "批准 J1 新建" in (card.text or "")
    return card


async def test_a_newcomer_is_greeted_registers_and_the_owner_approves_in_private(
        wechat_gateway: WechatGateway, tmp_path: Path) -> None:  # noqa: F811
    gw = wechat_gateway
    room, owner, resident = await a_room_with_a_newcomer(gw)
    async with running(gw, tmp_path, room, owner) as app:
        await greeted_and_registered(gw, room, owner, resident)
        await gw.say(owner, "批准 J1 新建")
        done = await gw.wait_bot_sent(lambda s: s.to_id == owner)
        assert "已批准 J1" in (done.text or "") and "3栋2单元501" in (done.text or "")
        welcome = await gw.wait_bot_sent(lambda s: s.room_id == room)
        assert "实名登记已通过" in (welcome.text or "") and welcome.mention_ids == (resident,)
        assert "501" not in (welcome.text or "")

        home = await app.store.households.find("xingfu", "3-2-501")
        assert home is not None and home.head == "张三"
        member = await app.store.members.find("wechat", resident, "xingfu")
        assert member is not None and member.status == "approved"
        assert (member.household_id, member.real_name, member.name) == (home.id, "张三", "3号楼阿三")
        [rate] = await app.store.households.join_rates(["xingfu"])
        assert (rate.households, rate.joined) == (1, 1)
        await gw.assert_no_bot_sent(within=0.5)  # nothing else: no error reply, no repeat


async def test_a_rejection_tells_the_reason_in_private_only(
        wechat_gateway: WechatGateway, tmp_path: Path) -> None:  # noqa: F811
    gw = wechat_gateway
    room, owner, resident = await a_room_with_a_newcomer(gw)
    async with running(gw, tmp_path, room, owner) as app:
        await greeted_and_registered(gw, room, owner, resident)
        await gw.say(owner, "拒绝 J1 本小区没有3号楼2单元")
        done = await gw.wait_bot_sent(lambda s: s.to_id == owner)
        assert "已拒绝 J1" in (done.text or "")
        told = await gw.wait_bot_sent(lambda s: s.to_id == resident)
        assert "未通过：本小区没有3号楼2单元" in (told.text or "")
        public = await gw.wait_bot_sent(lambda s: s.room_id == room)
        assert "私聊" in (public.text or "") and public.mention_ids == (resident,)
        assert "3号楼" not in (public.text or "") and "没有" not in (public.text or "")
        member = await app.store.members.find("wechat", resident, "xingfu")
        assert member is not None and member.status == "rejected" and member.household_id is None
        assert await app.store.households.find("xingfu", "3-2-501") is None
        await gw.assert_no_bot_sent(within=0.5)
