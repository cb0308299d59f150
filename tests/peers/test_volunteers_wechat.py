"""Volunteers on WeChat end to end: the npm Wechaty gateway, every router, a SQLite file.

WeChat has no buttons: the leader approves with ``志愿者 通过`` and volunteers claim with the
text ``抢单 E1``. Two volunteers send it at once and exactly one gets the errand; the winner's
完成 reaches the resident in their room.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.adapters.wechat import WechatAdapter
from bot.app import App
from tests.harness import make_config, open_app
from tests.peers.wechat_gateway import (
    BotSent,
    WechatGateway,
    node_missing_reason,
    wechat_gateway,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")


def toml(room: str, team_room: str, owner: str, leader: str) -> str:
    return f"""
[bot]
platforms = ["wechat"]

[[groups]]
key = "xingfu"
name = "幸福小区居民群"
platform = "wechat"
chat_id = "{room}"
owners = ["{owner}"]

[[groups]]
key = "team"
name = "配送志愿者群"
platform = "wechat"
chat_id = "{team_room}"
owners = ["{owner}"]
tickets = false

[[teams]]
key = "peisong"
name = "配送小分队"
categories = ["groceries", "medicine"]
group = "team"
leaders = ["{leader}"]
"""


def private(to: str, part: str) -> Callable[[BotSent], bool]:
    """A predicate for wait_bot_sent: sent to ``to`` in private, containing ``part``."""
    return lambda s: s.to_id == to and part in (s.text or "")


@contextlib.asynccontextmanager
async def running(gw: WechatGateway, tmp_path: Path, config: str) -> AsyncIterator[App]:
    app = await open_app(make_config(tmp_path, config))
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


async def test_two_text_claims_one_volunteer_gets_it_and_completes(
        wechat_gateway: WechatGateway, tmp_path: Path) -> None:  # noqa: F811
    gw = wechat_gateway
    bot = await gw.create_bot("网格助手")
    owner, leader = await gw.create_contact("李书记"), await gw.create_contact("王队长")
    resident = await gw.create_contact("张阿姨")
    ming, hong = await gw.create_contact("王小明"), await gw.create_contact("李小红")
    room = await gw.create_room("幸福小区居民群", [bot, owner, resident], owner_id=owner)
    team = await gw.create_room("配送志愿者群", [bot, owner, leader, ming, hong], owner_id=owner)
    async with running(gw, tmp_path, toml(room, team, owner, leader)) as app:
        for who, name, phone in ((ming, "王小明", "13900001111"), (hong, "李小红", "13900002222")):
            await gw.say(who, f"志愿者报名 {name} {phone} 配送小分队")
            await gw.wait_bot_sent(private(who, "已收到您的报名"))
            card = await gw.wait_bot_sent(lambda s: s.to_id == leader and "【志愿者报名】" in (s.text or ""))
            assert f"志愿者 通过 {name}" in (card.text or "")
            await gw.say(leader, f"志愿者 通过 {name}")
            await gw.wait_bot_sent(private(leader, f"已通过 {name}"))
            await gw.wait_bot_sent(private(who, "已通过审核"))

        await gw.say(resident, "代买 降压药两盒 3栋2单元501 电话13812345678", room_id=room)
        card = await gw.wait_bot_sent(lambda s: s.room_id == team and "【待接单】E1" in (s.text or ""))
        assert "抢单 E1" in (card.text or "") and "13812345678" not in (card.text or "")
        assert "501" not in (card.text or "")

        await asyncio.gather(gw.say(ming, "抢单 E1", room_id=team), gw.say(hong, "抢单 E1", room_id=team))
        taken = await gw.wait_bot_sent(lambda s: s.room_id == team and "接单。" in (s.text or ""))
        refused = await gw.wait_bot_sent(lambda s: s.room_id == team and "谢谢您" in (s.text or ""))
        ticket = await app.store.tickets.get("E1")
        assert ticket is not None and ticket.status == "assigned"
        winner, loser = (ming, hong) if ticket.handler_id == ming else (hong, ming)
        assert (taken.text or "").endswith(f"已由 {ticket.handler_name} 接单。")
        assert f"E1 已由 {ticket.handler_name} 接单" in (refused.text or "") and refused.mention_ids == (loser,)
        brief = await gw.wait_bot_sent(lambda s: s.to_id == winner and "您已接下 E1" in (s.text or ""))
        assert "电话：13812345678" in (brief.text or "")
        told = await gw.wait_bot_sent(lambda s: s.room_id == room and "已由志愿者" in (s.text or ""))
        assert told.mention_ids == (resident,) and "139" not in (told.text or "")
        await gw.wait_bot_sent(lambda s: s.to_id == owner and "接下了 E1" in (s.text or ""))

        await gw.say(winner, "完成 E1 已送到门口")
        await gw.wait_bot_sent(lambda s: s.to_id == winner and "E1 已完成，辛苦了" in (s.text or ""))
        done = await gw.wait_bot_sent(lambda s: s.room_id == room and "您的工单 E1 已完成" in (s.text or ""))
        assert done.mention_ids == (resident,) and "已送到门口" in (done.text or "")
        await gw.wait_bot_sent(lambda s: s.to_id == owner and "已完成 E1" in (s.text or ""))
        assert not [s for s in gw.sent if s.to_id == loser and "您已接下" in (s.text or "")]
        ticket = await app.store.tickets.get("E1")
        assert ticket is not None and ticket.status == "done"
