"""The persisted outbox: retries, backoff, permanent failures, per-chat order, the worker."""

from __future__ import annotations

import asyncio

from bot.adapter import SendError
from bot.message import ChatRef, Reply
from tests.harness import Bot

A = ChatRef("console", "幸福小区居民群")
B = ChatRef("console", "阳光花园居民群")


async def test_transient_failure_is_retried_after_backoff(bot: Bot) -> None:
    bot.adapter.fail_next = [SendError("network down")]
    await bot.app.queue([Reply(A, "一"), Reply(A, "二"), Reply(B, "丙")])
    assert await bot.app.outbox.drain("console") == 1  # A is blocked behind its failure; B goes
    assert [r.text for r in bot.adapter.sent] == ["丙"]
    bot.clock.advance(seconds=1)
    assert await bot.app.outbox.drain("console") == 0  # backoff not over
    bot.clock.advance(seconds=2)
    assert await bot.app.outbox.drain("console") == 2
    assert [r.text for r in bot.adapter.sent] == ["丙", "一", "二"]  # order within A kept


async def test_retry_after_is_respected(bot: Bot) -> None:
    bot.adapter.fail_next = [SendError("429", retry_after=30)]
    await bot.app.queue([Reply(A, "一")])
    await bot.app.outbox.drain("console")
    bot.clock.advance(seconds=29)
    assert await bot.app.outbox.drain("console") == 0
    bot.clock.advance(seconds=1)
    assert await bot.app.outbox.drain("console") == 1
    assert [r.text for r in bot.adapter.sent] == ["一"]


async def test_permanent_failure_gives_up_and_unblocks_the_chat(bot: Bot) -> None:
    bot.adapter.fail_next = [SendError("bot was kicked", permanent=True)]
    await bot.app.queue([Reply(A, "一"), Reply(A, "二")])
    await bot.app.outbox.drain("console")
    assert [r.text for r in bot.adapter.sent] == ["二"]
    failed = await bot.app.store.outbox.items(status="failed")
    assert [i.reply.text for i in failed] == ["一"] and failed[0].attempts == 1


async def test_offline_platform_is_waited_for_without_giving_up(bot: Bot) -> None:
    bot.app.outbox.max_attempts = 3
    bot.adapter.fail_next = [SendError("gateway down", offline=True) for _ in range(10)]
    await bot.app.queue([Reply(A, "一")])
    for _ in range(10):  # a long outage: far more tries than max_attempts
        await bot.app.outbox.drain("console")
        bot.clock.advance(seconds=5)
    assert await bot.app.outbox.drain("console") == 1
    [item] = await bot.app.store.outbox.items(status="sent")
    assert item.reply.text == "一" and item.attempts == 1  # only the successful try counted


async def test_dedupe_key_queues_once(bot: Bot) -> None:
    assert await bot.app.queue([Reply(A, "通知")], dedupe_prefix="notice:1:a") == 1
    assert await bot.app.queue([Reply(A, "通知")], dedupe_prefix="notice:1:a") == 0
    assert await bot.app.outbox.drain("console") == 1


async def test_worker_sends_in_background_and_in_chat_order(bot: Bot) -> None:
    task = asyncio.create_task(bot.app.outbox.run("console"))
    try:
        done = asyncio.Event()
        original = bot.adapter.send

        async def send(reply: Reply) -> str | None:
            result = await original(reply)
            if len(bot.adapter.sent) == 6:
                done.set()
            return result

        bot.adapter.send = send  # type: ignore[method-assign]
        await bot.app.queue([Reply(A if i % 2 else B, str(i)) for i in range(6)])
        await asyncio.wait_for(done.wait(), 5)
    finally:  # shutdown lets sends under way record that they were sent
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    texts = [r.text for r in bot.adapter.sent]
    assert [t for t in texts if int(t) % 2] == ["1", "3", "5"]
    assert [t for t in texts if not int(t) % 2] == ["0", "2", "4"]
    assert await bot.app.store.outbox.items(status="pending") == []
