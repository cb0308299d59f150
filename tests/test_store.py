"""The SQLite store: migrations, WAL, messages stored first and handled once, crash recovery."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.dispatcher import Ctx, Router
from bot.message import ChatRef, Reply
from tests.harness import Bot, Clock, FakeAdapter, make_config, open_app
from tests.store_backends import sqlite_db


async def test_schema_wal_and_migrations_are_idempotent(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.close()
    bot = await Bot.start(tmp_path)  # second open applies nothing new
    await bot.close()
    con = sqlite3.connect(tmp_path / "gridbot.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version")]
    assert versions == sorted(set(versions)) and versions[0] == 1
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"messages", "tickets", "ticket_events", "ratings", "outbox"} <= tables


async def test_every_message_is_stored_before_handling(bot: Bot) -> None:
    await bot.say("幸福小区居民群", "王大爷", "大家好")
    await bot.say("@", "王大爷", "你好")
    rows = await sqlite_db(bot.app.store).fetchall("SELECT * FROM messages ORDER BY id")
    assert [(r["chat_id"], r["sender_id"], r["text"]) for r in rows] == [
        ("幸福小区居民群", "王大爷", "大家好"), ("@王大爷", "王大爷", "你好")]
    assert all(r["handled_at"] for r in rows)


async def test_same_platform_message_is_handled_once(bot: Bot) -> None:
    msg = bot.message("幸福小区居民群", "张阿姨", "代买 米 1栋")
    first = await bot.send(msg)
    again = await bot.send(msg)  # a platform redelivery
    assert first and again == []
    assert [t.code for t in await bot.app.store.tickets.list()] == ["E1"]


async def test_crash_between_storing_and_handling_is_recovered_once(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    msg = bot.message("幸福小区居民群", "张阿姨", "代买 米 1栋")
    await bot.app.store.messages.record(msg, bot.clock())  # stored, then the process died
    await bot.close()

    clock = Clock()
    app = await open_app(make_config(tmp_path), clock=clock)
    adapter = FakeAdapter()
    app.attach(adapter)
    assert await app.recover() == 1
    assert await app.recover() == 0
    await app.outbox.drain("console")
    assert [t.code for t in await app.store.tickets.list()] == ["E1"]
    assert sum("E1" in r.text for r in adapter.sent if r.chat.chat_id == "幸福小区居民群") == 1
    await app.close()


async def test_replies_queued_before_a_crash_are_sent_once_after_restart(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.app.handle(bot.message("幸福小区居民群", "张阿姨", "代买 米 1栋"))
    await bot.close()  # died before the outbox sent anything

    app = await open_app(make_config(tmp_path), clock=Clock())
    adapter = FakeAdapter()
    app.attach(adapter)
    assert await app.outbox.drain("console") == 2  # group ack + owner push
    assert await app.outbox.drain("console") == 0
    assert len(adapter.sent) == 2
    await app.close()


async def test_handler_error_rolls_back_and_answers(tmp_path: Path) -> None:
    broken = Router("broken")

    @broken.command("坏了", where="any")
    async def explode(ctx: Ctx) -> None:
        await ctx.store.tickets.create(
            __import__("bot.classify").classify.classify("代买 米"),
            ctx.directory.find("幸福小区居民群"), ctx.msg, None, ctx.now)  # type: ignore[arg-type]
        raise RuntimeError("bug")

    app = await open_app(make_config(tmp_path), clock=Clock(), routers=[broken])
    adapter = FakeAdapter()
    app.attach(adapter)
    bot = Bot(app, adapter, Clock())
    [reply] = await bot.say("@", "张阿姨", "坏了")
    assert "出了问题" in reply.text
    assert await app.store.tickets.list() == []  # the half-done ticket was rolled back
    assert await app.recover() == 0  # and the message will not be replayed into a crash loop
    await app.close()


async def test_a_sent_mark_commits_after_the_writer_now_not_after_every_waiting_one(bot: Bot) -> None:
    """Until a platform-accepted send is marked, a crash repeats it: the mark jumps the queue."""
    store = bot.app.store
    await bot.app.queue([Reply(ChatRef("console", "幸福小区居民群"), "一")])
    [item] = await store.outbox.items()
    order: list[str] = []
    writing, release = asyncio.Event(), asyncio.Event()

    async def handler_tx(name: str) -> None:
        async with store.tx():
            writing.set()
            order.append(name)
            await release.wait()

    first = asyncio.create_task(handler_tx("handler 1"))
    await writing.wait()
    waiting = [asyncio.create_task(handler_tx(f"handler {n}")) for n in (2, 3)]
    await asyncio.sleep(0)  # both now wait their turn

    async def mark() -> None:
        await store.outbox.mark_sent(item.id, "m1", bot.clock())
        order.append("mark")

    marked = asyncio.create_task(mark())
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, *waiting, marked)
    assert order[:2] == ["handler 1", "mark"]
    assert [i.status for i in await store.outbox.items()] == ["sent"]


async def test_deferred_writes_commit_with_the_transaction_and_roll_back_with_it(tmp_path: Path) -> None:
    from bot.store.sqlite.base import Database

    db = Database(tmp_path / "d.db")
    await db.open()
    try:
        await db.execute("CREATE TABLE t (x INTEGER UNIQUE)")
        async with db.tx():
            db.defer("INSERT INTO t (x) VALUES (1)")
            # A read in the same transaction sees it: queued statements go first.
            row = await db.fetchone("SELECT COUNT(*) AS n FROM t")
            assert row is not None and row["n"] == 1
            db.defer("INSERT INTO t (x) VALUES (2)")  # goes with the COMMIT
        try:
            async with db.tx():
                db.defer("INSERT INTO t (x) VALUES (3)")
                db.defer("INSERT INTO t (x) VALUES (1)")  # breaks UNIQUE: the error reaches us
                await db.fetchone("SELECT 1")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the failing deferred insert was not reported")
        async with db.tx():  # nothing written: no BEGIN, no COMMIT sent
            pass
        rows = await db.fetchall("SELECT x FROM t ORDER BY x")
        assert [r["x"] for r in rows] == [1, 2]  # 3 rolled back with the failed transaction
    finally:
        await db.close()
