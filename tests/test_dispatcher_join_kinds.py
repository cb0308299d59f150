"""Join events reach fallbacks only; with no handler interested they are stored, handled, unanswered."""

from __future__ import annotations

from dataclasses import replace

from bot.message import JOIN, JOIN_REQUEST, ChatRef
from tests.harness import Bot
from tests.store_backends import sqlite_db


async def test_joins_and_requests_are_stored_and_handled_without_any_reply(bot: Bot) -> None:
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
