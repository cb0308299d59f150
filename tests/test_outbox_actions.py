"""Platform actions in the outbox: a join decision is a row like any reply (migration 010).

It survives a restart, goes out once, is blanked by retention with the text; a join request's
private reply chat survives recovery of a message stored but never handled.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot import retention
from bot.config import PrivacyConfig
from bot.message import JOIN_REQUEST, ChatRef, JoinDecision, Reply
from bot.store.audit import Actor
from bot.store.outbox import action_from_json, action_to_json
from tests.harness import TZ, Bot, Clock, FakeAdapter, make_config, open_app
from tests.store_backends import sqlite_db

GROUP = ChatRef("console", "幸福小区居民群")
APPROVE = JoinDecision("王五", True, "王五")


def test_an_action_is_stored_as_json_and_read_back() -> None:
    for action in (APPROVE, JoinDecision("7101", False), None):
        assert action_from_json(action_to_json(action)) == action
    assert action_to_json(APPROVE) == '{"join": {"user_id": "王五", "approve": true, "name": "王五"}}'


async def test_a_queued_decision_survives_a_restart_and_goes_out_once(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.app.queue([Reply(GROUP, "", action=APPROVE), Reply(GROUP, "欢迎王五", action=JoinDecision("赵六", False))])
    await bot.close()  # stopped before the outbox sent anything

    app = await open_app(make_config(tmp_path), clock=Clock())
    adapter = FakeAdapter()
    app.attach(adapter)
    try:
        assert await app.outbox.drain("console") == 2
        assert await app.outbox.drain("console") == 0
        assert [(r.text, r.action) for r in adapter.sent] == [
            ("", APPROVE), ("欢迎王五", JoinDecision("赵六", False))]
    finally:
        await app.close()


async def test_a_stored_join_request_keeps_its_reply_chat_for_recovery(bot: Bot) -> None:
    request = replace(bot.message("幸福小区居民群", "7101", ""), kind=JOIN_REQUEST,
                      reply_chat=ChatRef.private("console", "9007101"))
    assert await bot.app.store.messages.record(request, bot.clock()) is not None
    [(_, recovered)] = await bot.app.store.messages.unhandled()
    assert recovered == request
    plain = bot.message("幸福小区居民群", "王五", "大家好")
    await bot.app.store.messages.record(plain, bot.clock())
    assert (await bot.app.store.messages.unhandled())[1][1].reply_chat is None


async def test_retention_blanks_a_sent_decision_like_a_sent_text(bot: Bot) -> None:
    await bot.app.queue([Reply(GROUP, "", action=APPROVE)])
    await bot.app.outbox.drain("console")
    bot.clock.advance(days=31)
    privacy = PrivacyConfig(keep_messages_days=30, anonymise_closed_after_days=180)
    assert (await retention.plan(bot.app.store, privacy, bot.clock(), tz=TZ)).outbox == 1
    done = await retention.purge(bot.app.store, privacy, bot.clock(), Actor("cli", "t", "命令行"), tz=TZ)
    assert done.outbox == 1
    rows = await sqlite_db(bot.app.store).fetchall("SELECT status, action FROM outbox")
    assert [(r["status"], r["action"]) for r in rows] == [("sent", None)]
