"""Regression: a clean stop cut off a send under way, so it went out again after the restart.

``App.run`` cancelled the adapters and the outbox workers together. Stopping the WeChat
adapter closes its gRPC channel, so a send the gateway had already accepted lost its
answer, was recorded as a retry and was sent a second time by the next process (the owner
got 「新工单 V1」 twice in tests/peers/test_wechat_adapter.py, 5 runs in 17).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.adapter import Dispatch, SendError
from bot.message import ChatRef, Reply
from tests.harness import make_config, open_app

ROOM = ChatRef("console", "幸福小区居民群")


class ConnectionAdapter:
    """Like the WeChat adapter: stopping its receiver closes the connection sends use."""

    platform = "console"
    max_in_flight = 1
    self_draining = False
    redelivers = False

    def __init__(self) -> None:
        self.connected = True
        self.in_flight = asyncio.Event()
        self.answer = asyncio.Event()
        self.accepted: list[str] = []  # what the platform got, answered or not

    async def run(self, dispatch: Dispatch) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            self.connected = False

    async def send(self, reply: Reply) -> str | None:
        self.accepted.append(reply.text)
        self.in_flight.set()
        await self.answer.wait()  # the platform has it; its answer is on the way
        if not self.connected:
            raise SendError("connection lost mid-send", offline=True)
        return "m1"

    async def close(self) -> None:
        self.connected = False


async def test_stop_lets_the_send_under_way_be_recorded_before_the_adapter_closes(
    tmp_path: Path,
) -> None:
    app = await open_app(make_config(tmp_path), routers=[])
    adapter = ConnectionAdapter()
    app.attach(adapter)
    run = asyncio.create_task(app.run(scheduler=False))
    await app.queue([Reply(ROOM, "新工单 V1")])
    await asyncio.wait_for(adapter.in_flight.wait(), 5)
    run.cancel()  # Ctrl-C while the send waits for its answer
    asyncio.get_running_loop().call_later(0.05, adapter.answer.set)
    await asyncio.gather(run, return_exceptions=True)
    await app.close()

    app = await open_app(make_config(tmp_path), routers=[])
    try:
        [item] = await app.store.outbox.items()
        assert item.status == "sent" and item.platform_message_id == "m1"
        assert adapter.accepted == ["新工单 V1"]
    finally:
        await app.close()
