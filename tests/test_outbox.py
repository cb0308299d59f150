"""The persisted outbox: retries, backoff, permanent failures, per-chat order, the worker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

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


async def test_worker_sends_a_chats_later_rows_without_waiting_for_its_poll(bot: Bot) -> None:
    """A send's end wakes the worker only when something may follow it: a chat's next rows,
    queued with it or while it was under way, must still go at once, not at the next poll."""
    original = bot.adapter.send
    first_started = asyncio.Event()

    async def slow(reply: Reply) -> str | None:
        first_started.set()
        await asyncio.sleep(0.05)
        return await original(reply)

    bot.adapter.send = slow  # type: ignore[method-assign]
    task = asyncio.create_task(bot.app.outbox.run("console"))
    try:
        start = asyncio.get_running_loop().time()
        await bot.app.queue([Reply(A, "1"), Reply(A, "2"), Reply(B, "3")])
        await first_started.wait()
        await bot.app.queue([Reply(A, "4")])  # while A's first send is under way
        while len(bot.adapter.sent) < 4:  # noqa: ASYNC110 (the adapter has no event to wait on)
            await asyncio.sleep(0.01)
        elapsed = asyncio.get_running_loop().time() - start
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [r.text for r in bot.adapter.sent if r.chat == A] == ["1", "2", "4"]
    assert elapsed < 1.0  # the worker's poll is 2 s: each row went when the one before it ended


async def _run_until(bot: Bot, sent: int) -> None:
    """Run the send worker until the adapter has ``sent`` replies and none is pending."""
    task = asyncio.create_task(bot.app.outbox.run("console"))
    try:
        for _ in range(500):
            if len(bot.adapter.sent) >= sent and not await bot.app.store.outbox.items(status="pending"):
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{len(bot.adapter.sent)} of {sent} sent")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_marks_of_sends_finished_during_a_mark_commit_together(bot: Bot) -> None:
    repo = bot.app.store.outbox
    release = asyncio.Event()
    calls: list[list[int]] = []
    mark_one, mark_many = repo.mark_sent, repo.mark_sent_many

    async def slow_one(item_id: int, message_id: str | None, now: datetime) -> None:
        calls.append([item_id])
        await release.wait()  # the first mark is under way while the other sends finish
        await mark_one(item_id, message_id, now)

    async def many(sent: Sequence[tuple[int, str | None]], now: datetime) -> None:
        calls.append([i for i, _ in sent])
        await mark_many(sent, now)

    repo.mark_sent, repo.mark_sent_many = slow_one, many  # type: ignore[method-assign, assignment]
    send = bot.adapter.send

    async def later(reply: Reply) -> str | None:  # c0 answers first, the others a moment later
        if reply.chat.chat_id != "c0":
            await asyncio.sleep(0.05)
        return await send(reply)

    bot.adapter.send = later  # type: ignore[method-assign]
    chats = [ChatRef("console", f"c{i}") for i in range(4)]  # max_in_flight is 4: all at once
    await bot.app.queue([Reply(c, c.chat_id) for c in chats])
    runner = asyncio.create_task(_run_until(bot, 4))
    for _ in range(500):
        if len(bot.adapter.sent) == 4:
            break
        await asyncio.sleep(0.01)
    release.set()
    await runner
    assert calls == [[1], [2, 3, 4]]  # c0's mark alone, then the three that came meanwhile
    items = await repo.items()
    assert {i.status for i in items} == {"sent"}
    assert sorted(i.platform_message_id or "" for i in items) == ["m1", "m2", "m3", "m4"]


async def test_outbox_crash_before_batched_marks_resends_one_per_chat(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    repo = bot.app.store.outbox
    gate = asyncio.Event()

    async def dies(*_: object) -> None:  # the process dies before any mark commits
        await gate.wait()
        raise asyncio.CancelledError

    repo.mark_sent = repo.mark_sent_many = dies  # type: ignore[method-assign, assignment]
    chats = [ChatRef("console", f"c{i}") for i in range(3)]
    await bot.app.queue([Reply(c, f"{c.chat_id}-{n}") for n in range(3) for c in chats])
    task = asyncio.create_task(bot.app.outbox.run("console"))
    for _ in range(500):
        if len(bot.adapter.sent) == 3:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    gate.set()
    await asyncio.gather(task, return_exceptions=True)
    first = [r.text for r in bot.adapter.sent]
    assert sorted(first) == ["c0-0", "c1-0", "c2-0"]  # one under way per chat, none marked
    await bot.app.store.close()  # the restart: same file, new process
    again = await Bot.start(tmp_path)
    try:
        await again.app.outbox.drain("console")
        resent = [r.text for r in again.adapter.sent]
    finally:
        await again.close()
    # Each chat's send under way goes again (at most one per chat); nothing else twice.
    assert sorted(resent) == sorted(f"c{i}-{n}" for i in range(3) for n in range(3))
    assert sorted(set(first) & set(resent)) == ["c0-0", "c1-0", "c2-0"]
