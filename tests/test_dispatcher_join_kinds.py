"""Join events reach fallbacks only; with no handler interested they are stored, handled, unanswered.

What the bot says to newcomers is ``handlers/join.py``'s (``tests/test_join.py``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.message import JOIN, JOIN_REQUEST, ChatRef
from handlers import ROUTERS
from tests.harness import Bot, Clock, FakeAdapter, make_config, open_app
from tests.store_backends import sqlite_db


async def test_joins_and_requests_are_stored_and_handled_without_any_reply(tmp_path: Path) -> None:
    # Every router but the one that greets newcomers: no handler is interested in a join.
    routers = [r for r in ROUTERS if r.name != "join"]
    clock = Clock()
    bot = Bot(await open_app(make_config(tmp_path), clock=clock, routers=routers), FakeAdapter(), clock)
    bot.app.attach(bot.adapter)
    try:
        await _unanswered(bot)
    finally:
        await bot.close()


async def _unanswered(bot: Bot) -> None:
    for group in ("幸福小区居民群", "阳光花园居民群"):
        for kind in (JOIN, JOIN_REQUEST):
            msg = replace(bot.message(group, "王五", ""), kind=kind,
                          reply_chat=ChatRef.private("console", "王五") if kind == JOIN_REQUEST else None)
            assert await bot.send(msg) == []  # no greeting yet, and no error reply
            assert await bot.send(msg) == []  # a redelivery is recognised
    # A command-looking name changes nothing: the text of an event is never read.
    assert await bot.send(replace(bot.message("幸福小区居民群", "帮助", ""), kind=JOIN)) == []
    rows = await sqlite_db(bot.app.store).fetchall("SELECT kind, handled_at FROM messages ORDER BY id")
    assert [r["kind"] for r in rows] == [JOIN, JOIN_REQUEST] * 2 + [JOIN]
    assert all(r["handled_at"] for r in rows)
    assert await bot.app.store.outbox.items() == []


async def test_a_join_makes_a_home_group_for_private_requests_and_a_request_does_not(bot: Bot) -> None:
    asked = replace(bot.message("幸福小区居民群", "王五", ""), kind=JOIN_REQUEST)
    await bot.send(asked)
    [reply] = await bot.say("@", "王五", "代买 大米一袋 3栋2单元501")
    assert "我还不知道您在哪个小区/村群" in reply.text  # not let in yet: no group to file into
    await bot.send(replace(bot.message("阳光花园居民群", "王五", ""), kind=JOIN))
    replies = await bot.say("@", "王五", "代买 大米一袋 3栋2单元501")
    assert any("E1" in r.text for r in replies)
    assert [t.group_key for t in await bot.app.store.tickets.list()] == ["yangguang"]
