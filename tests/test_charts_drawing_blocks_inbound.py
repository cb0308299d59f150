"""Regression: ``图表`` drew its charts inside the message's transaction, so every other write
of the process (messages of all groups, sent marks) waited 1–3 s for matplotlib.

The drawing now runs after the commit (``Ctx.after_commit``); the message is marked handled
with the charts' replies in a second transaction, so a crash in between re-sends them once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from bot import charts
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from tests.chart_setup import busy_week
from tests.harness import Bot, Clock, FakeAdapter, make_config, open_app


class Killed(BaseException):
    """The process dying: not an error the bot answers, nothing after it runs."""


def _slow_draw(monkeypatch: pytest.MonkeyPatch, started: threading.Event, finished: list[float]) -> None:
    real = charts.draw_all

    def slow(data: charts.ChartData) -> list[bytes]:
        started.set()
        time.sleep(0.5)
        images = real(data)
        finished.append(time.monotonic())
        return images

    monkeypatch.setattr(charts, "draw_all", slow)


async def test_another_group_is_handled_while_the_charts_are_drawn(
    bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    await busy_week(bot)
    started, finished = threading.Event(), list[float]()
    _slow_draw(monkeypatch, started, finished)
    drawing = asyncio.create_task(bot.app.handle(bot.message("@", "区指挥部小王", "图表 周报")))
    assert await asyncio.to_thread(started.wait, 5)
    [(chart_row, _)] = await bot.app.store.messages.unhandled()  # stored, its mark waits for the drawing

    replies = await bot.app.handle(bot.message("阳光花园居民群", "王大爷", "代买 鸡蛋一盒 3栋201"))
    handled_at = time.monotonic()
    assert any("E3" in r.text for r in replies)
    assert [row for row, _ in await bot.app.store.messages.unhandled()] == [chart_row]
    assert not finished  # the second message did not wait for the drawing

    pictures = await drawing
    assert finished and handled_at < finished[0]
    assert [r.attachment.name for r in pictures if r.attachment] == [
        "每日新工单-周报.png", "平均处理时长-周报.png", "通知回执率-周报.png"]
    assert await bot.app.store.messages.unhandled() == []
    await bot.app.outbox.drain("console")
    assert sum(r.attachment is not None for r in bot.adapter.sent) == 3


async def _restart(tmp_path: Path, routers: list[Router] | None = None) -> tuple[Bot, int]:
    """The bot after a restart, and how many stored messages it recovered."""
    clock = Clock()
    app = await (open_app(make_config(tmp_path), clock=clock) if routers is None
                 else open_app(make_config(tmp_path), clock=clock, routers=routers))
    adapter = FakeAdapter()
    app.attach(adapter)
    recovered = await app.recover()
    assert await app.recover() == 0
    await app.outbox.drain("console")
    return Bot(app, adapter, clock), recovered


async def test_a_crash_while_drawing_sends_the_charts_once_after_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = await Bot.start(tmp_path)
    await busy_week(bot)
    real = charts.draw_all

    def dies(data: charts.ChartData) -> list[bytes]:
        raise Killed

    monkeypatch.setattr(charts, "draw_all", dies)
    with pytest.raises(Killed):
        await bot.app.handle(bot.message("@", "区指挥部小王", "图表 周报"))
    await bot.app.outbox.drain("console")
    assert not [r for r in bot.adapter.sent if r.attachment is not None]
    await bot.close()

    monkeypatch.setattr(charts, "draw_all", real)
    again, recovered = await _restart(tmp_path)
    assert recovered == 1
    assert [r.attachment.name for r in again.adapter.sent if r.attachment] == [
        "每日新工单-周报.png", "平均处理时长-周报.png", "通知回执率-周报.png"]
    await again.close()


async def test_a_crash_between_the_two_commits_queues_the_first_replies_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A handler's own replies commit before its deferred work; recovery runs it again."""
    slow = Router("slow")
    runs: list[str] = []

    @slow.command("慢活")
    async def slow_work(ctx: Ctx) -> Reply:
        async def later() -> list[Reply]:
            runs.append(ctx.msg.message_id)
            if len(runs) == 1:
                raise Killed
            return [ctx.reply("做完了")]

        ctx.after_commit(later)
        return ctx.reply("马上就好")

    app = await open_app(make_config(tmp_path), clock=Clock(), routers=[slow])
    adapter = FakeAdapter()
    app.attach(adapter)
    bot = Bot(app, adapter, Clock())
    with pytest.raises(Killed):
        await bot.say("@", "张阿姨", "慢活")
    await app.close()

    again, recovered = await _restart(tmp_path, [slow])
    assert recovered == 1 and len(runs) == 2
    assert [r.text for r in [*adapter.sent, *again.adapter.sent]] == ["马上就好", "做完了"]
    await again.close()


async def test_an_error_in_the_deferred_work_is_answered_and_not_replayed(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    await busy_week(bot)

    def broken(data: charts.ChartData) -> list[bytes]:
        raise RuntimeError("bug")

    monkeypatch.setattr(charts, "draw_all", broken)
    [reply] = await bot.say("@", "区指挥部小王", "图表")
    assert "出了问题" in reply.text
    assert await bot.app.recover() == 0


async def test_work_deferred_by_a_handler_that_passes_is_dropped(tmp_path: Path) -> None:
    passing = Router("passing")
    ran: list[str] = []

    @passing.command("慢活")
    async def not_mine(ctx: Ctx) -> None:
        async def later() -> list[Reply]:
            ran.append(ctx.msg.message_id)
            return [ctx.reply("不该发")]

        ctx.after_commit(later)
        return None  # not a command after all: the next route decides

    app = await open_app(make_config(tmp_path), clock=Clock(), routers=[passing])
    adapter = FakeAdapter()
    app.attach(adapter)
    bot = Bot(app, adapter, Clock())
    assert await bot.say("@", "张阿姨", "慢活") == []
    assert ran == [] and await app.store.messages.unhandled() == []
    await app.close()
