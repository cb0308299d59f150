"""A platform that sends a message again until it is handled (Telegram) has it stored in the
transaction that handles it: one commit for message, ticket and replies, nothing at all when
the run is cut short, and a message seen before is not acted on twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

import handlers.tickets
from bot.app import ERROR_REPLY
from bot.dispatcher import Ctx, Router
from bot.message import ChatRef, Incoming, Reply
from bot.store.households import HouseholdData
from bot.store.sqlite.base import Database
from bot.tickets import NewTicket
from tests.harness import Bot, Clock, FakeAdapter, make_config, open_app
from tests.store_backends import sqlite_db

REQUEST = "代买 大米一袋 3栋2单元501"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path)
    bot.adapter.redelivers = True  # as the Telegram adapter: an update comes again until handled
    yield bot
    await bot.close()


class Trace:
    """The statements SQLite runs on the bot's connection, and the trips to its thread."""

    def __init__(self, db: Database):
        self.db, self.statements, self.trips = db, list[str](), 0

    async def __aenter__(self) -> Trace:
        raw = self.db.conn._conn
        await self.db.conn._execute(lambda: raw.set_trace_callback(self._seen))  # type: ignore[no-untyped-call]
        original = self.db.conn._execute

        async def counted(fn: Callable[..., Any], *args: Any) -> Any:
            self.trips += 1
            return await original(fn, *args)  # type: ignore[no-untyped-call]

        self.db.conn._execute = counted  # type: ignore[method-assign]
        return self

    async def __aexit__(self, *exc: object) -> None:
        del self.db.conn._execute  # back to the class's own
        raw = self.db.conn._conn
        await self.db.conn._execute(lambda: raw.set_trace_callback(None))  # type: ignore[no-untyped-call]

    def _seen(self, sql: str) -> None:
        if not sql.startswith("--"):  # a trigger's statement, part of the one that fired it
            self.statements.append(" ".join(sql.split()))

    @property
    def commits(self) -> int:
        return sum(s.upper().startswith("COMMIT") for s in self.statements)


async def rows(bot: Bot, sql: str) -> list[sqlite3.Row]:
    return list(await sqlite_db(bot.app.store).fetchall(sql))


async def test_a_request_is_stored_filed_and_answered_in_one_commit(bot: Bot) -> None:
    msg = bot.message("幸福小区居民群", "张阿姨", REQUEST)
    async with Trace(sqlite_db(bot.app.store)) as trace:
        replies = await bot.app.handle(msg)
    assert trace.commits == 1
    begin = trace.statements.index("BEGIN IMMEDIATE")
    assert trace.statements[begin + 1].startswith("INSERT INTO messages")  # stored before anything else
    assert trace.statements[-1] == "COMMIT"
    [stored] = await rows(bot, "SELECT handled_at FROM messages")
    assert stored["handled_at"] is not None
    [ticket] = await rows(bot, "SELECT code, text FROM tickets")
    assert ticket["text"] == "大米一袋 3栋2单元501"
    assert len(await rows(bot, "SELECT id FROM outbox")) == len(replies) == 2
    await bot.app.outbox.drain("console")
    assert any(ticket["code"] in r.text for r in bot.adapter.sent)


async def test_a_message_sent_again_is_not_acted_on_twice(bot: Bot) -> None:
    msg = bot.message("幸福小区居民群", "张阿姨", REQUEST)
    assert await bot.send(msg)
    assert await bot.app.handle(msg) == []  # the platform resent it: seen before
    assert len(await rows(bot, "SELECT id FROM tickets")) == 1
    assert len(await rows(bot, "SELECT id FROM messages")) == 1
    assert len(await rows(bot, "SELECT id FROM outbox")) == 2


async def test_chat_that_no_handler_reads_is_stored_once_and_the_next_message_is_handled(bot: Bot) -> None:
    msg = bot.message("幸福小区居民群", "张阿姨", "大家早上好")
    assert await bot.send(msg) == []
    assert await bot.send(msg) == []  # resent: found out at the commit itself, rolled back there
    assert len(await bot.say("幸福小区居民群", "王大爷", REQUEST)) == 2
    assert [r["text"] for r in await rows(bot, "SELECT text FROM messages ORDER BY id")] == ["大家早上好", REQUEST]


async def test_a_failing_handler_keeps_the_message_with_an_apology_and_nothing_it_wrote(
    bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def files_then_fails(ctx: Ctx, found: NewTicket) -> list[Reply]:
        assert ctx.group is not None
        await ctx.store.tickets.create(found, ctx.group, ctx.msg, None, ctx.now)
        raise RuntimeError("a bug after the ticket was written")

    monkeypatch.setattr(handlers.tickets, "file_request", files_then_fails)
    replies = await bot.say("幸福小区居民群", "张阿姨", REQUEST)
    assert [r.text for r in replies] == [ERROR_REPLY]
    assert await rows(bot, "SELECT id FROM tickets") == []  # rolled back with the handler
    [stored] = await rows(bot, "SELECT text, handled_at FROM messages")
    assert stored["text"] == REQUEST and stored["handled_at"] is not None


async def test_a_run_cut_short_keeps_nothing_and_the_resent_message_is_handled_once(
    bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    inside, never = asyncio.Event(), asyncio.Event()
    original = handlers.tickets.file_request

    async def stalls(ctx: Ctx, found: NewTicket) -> list[Reply] | Reply:
        assert ctx.group is not None
        await ctx.store.tickets.create(found, ctx.group, ctx.msg, None, ctx.now)
        inside.set()
        await never.wait()  # the process dies here
        return []

    monkeypatch.setattr(handlers.tickets, "file_request", stalls)
    msg = bot.message("幸福小区居民群", "张阿姨", REQUEST)
    run = asyncio.create_task(bot.app.handle(msg))
    await inside.wait()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    for table in ("messages", "tickets", "outbox"):
        assert await rows(bot, f"SELECT id FROM {table}") == [], table
    # Not confirmed to the platform, so it comes again, and this time it is handled.
    monkeypatch.setattr(handlers.tickets, "file_request", original)
    assert len(await bot.send(msg)) == 2
    assert len(await rows(bot, "SELECT id FROM tickets")) == 1


async def test_work_after_the_commit_leaves_the_message_unhandled_until_it_is_done(tmp_path: Path) -> None:
    router = Router("slow")
    release = asyncio.Event()

    @router.command("慢")
    async def slow(ctx: Ctx) -> list[Reply]:
        async def later() -> list[Reply]:
            await release.wait()
            return [ctx.reply("好了")]

        ctx.after_commit(later)
        return [ctx.reply("稍等")]

    app = await open_app(make_config(tmp_path), clock=Clock(), routers=[router])
    app.attach(FakeAdapter(redelivers=True))
    try:
        msg = Incoming(ChatRef.private("console", "李书记"), "李书记", "李书记", "慢", "p1", Clock()())
        run = asyncio.create_task(app.handle(msg))
        db = sqlite_db(app.store)
        for _ in range(100):
            if await db.fetchall("SELECT id FROM outbox"):
                break
            await asyncio.sleep(0.01)
        [stored] = await db.fetchall("SELECT handled_at FROM messages")
        assert stored["handled_at"] is None  # a crash now: recovery runs it again
        release.set()
        assert [r.text for r in await run] == ["稍等", "好了"]
        [stored] = await db.fetchall("SELECT handled_at FROM messages")
        assert stored["handled_at"] is not None
    finally:
        await app.close()


async def test_a_household_is_found_by_its_registered_member_first_then_by_address(bot: Bot) -> None:
    store, now = bot.app.store, bot.clock()
    here, theirs = [(await store.households.save(HouseholdData("xingfu", key, address), now))[0]
                    for key, address in (("3-2-501", "3栋2单元501"), ("5-1-101", "5栋1单元101"))]
    found = await store.households.of_sender("console", "张阿姨", "xingfu", "3-2-501")
    assert found is not None and found.id == here.id
    assert await store.households.of_sender("console", "张阿姨", "xingfu", None) is None
    member, _ = await store.members.joined("console", "张阿姨", "xingfu", "张阿姨", now)
    member = await store.members.register(member, "张桂英", "5-1-101", theirs.address, theirs.id, now)
    found = await store.households.of_sender("console", "张阿姨", "xingfu", "3-2-501")
    assert found is not None and found.id == theirs.id  # their own, whatever the request says
    assert await store.households.of_sender("console", "张阿姨", "yangguang", "3-2-501") is None


async def test_a_message_that_cannot_be_stored_is_left_to_the_platform_to_resend(
    bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def disk_error(msg: Incoming, at: object) -> None:
        raise OSError("disk I/O error")

    msg = bot.message("幸福小区居民群", "张阿姨", REQUEST)
    monkeypatch.setattr(bot.app.store.messages, "record_handled", disk_error)
    with pytest.raises(OSError, match="disk I/O error"):  # the adapter does not confirm it
        await bot.app.handle(msg)
    assert await rows(bot, "SELECT id FROM messages") == []
    monkeypatch.undo()
    assert len(await bot.send(msg)) == 2  # sent again: handled
