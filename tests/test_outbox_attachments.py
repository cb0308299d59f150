"""Files in the outbox (migration 022): stored as path + name + type, sent once, kept out of
groups unless group-safe, and a file gone before its turn becomes a text with a note."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import retention
from bot.adapter import SendError
from bot.config import PrivacyConfig
from bot.message import Attachment, ChatRef, Reply
from bot.outbox import FILE_GONE
from bot.privacy import FILE_WITHHELD, for_chat
from bot.store.audit import Actor
from bot.store.outbox import attachment_from_json, attachment_to_json
from tests.harness import TZ, Bot, Clock, FakeAdapter, make_config, open_app
from tests.store_backends import sqlite_db

GROUP = ChatRef("console", "幸福小区居民群")
OWNER = ChatRef.private("console", "张书记")


def _file(tmp_path: Path, name: str = "工单走势.png", *, group_safe: bool = False) -> Attachment:
    path = tmp_path / "reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    return Attachment(str(path), name, "image/png", group_safe)


def _remove(file: Attachment) -> None:
    Path(file.path).unlink()


def test_an_attachment_is_stored_as_json_and_read_back(tmp_path: Path) -> None:
    for file in (_file(tmp_path), _file(tmp_path, "名单.xlsx", group_safe=True), None):
        assert attachment_from_json(attachment_to_json(file)) == file
    assert Attachment("a.png", "a.png", "image/png").is_image
    assert not Attachment("a.xlsx", "a.xlsx", "application/vnd.ms-excel").is_image


async def test_a_queued_file_survives_a_restart_and_goes_out_once(tmp_path: Path) -> None:
    file = _file(tmp_path)
    bot = await Bot.start(tmp_path)
    await bot.app.queue([Reply(OWNER, "本周图表", attachment=file)])
    await bot.close()  # stopped before the outbox sent anything

    app = await open_app(make_config(tmp_path), clock=Clock())
    adapter = FakeAdapter()
    app.attach(adapter)
    try:
        assert await app.outbox.drain("console") == 1
        assert await app.outbox.drain("console") == 0
        assert [(r.text, r.attachment) for r in adapter.sent] == [("本周图表", file)]
    finally:
        await app.close()


async def test_a_failed_file_send_is_retried_like_a_text(bot: Bot, tmp_path: Path) -> None:
    file = _file(tmp_path)
    bot.adapter.fail_next = [SendError("network down")]
    await bot.app.queue([Reply(OWNER, "图表", attachment=file)])
    assert await bot.app.outbox.drain("console") == 0
    bot.clock.advance(seconds=2)
    assert await bot.app.outbox.drain("console") == 1
    assert [r.attachment for r in bot.adapter.sent] == [file]


async def test_a_private_file_never_reaches_a_group(bot: Bot, tmp_path: Path) -> None:
    private = _file(tmp_path, "未入群住户.xlsx")
    safe = _file(tmp_path, "工单走势.png", group_safe=True)
    await bot.app.queue([Reply(GROUP, "名单", attachment=private), Reply(GROUP, "", attachment=private),
                         Reply(GROUP, "图表", attachment=safe), Reply(OWNER, "名单", attachment=private)])
    await bot.app.outbox.drain("console")
    note = FILE_WITHHELD.format(name="未入群住户.xlsx")
    assert [(r.chat, r.text, r.attachment) for r in bot.adapter.sent] == [
        (GROUP, f"名单\n{note}", None), (GROUP, note, None), (GROUP, "图表", safe),
        (OWNER, "名单", private)]
    # Stored already without it: no later path (a retry, a restart) can send it to the group.
    rows = await sqlite_db(bot.app.store).fetchall("SELECT chat_id, attachment FROM outbox ORDER BY id")
    assert [r["attachment"] is None for r in rows] == [True, True, False, False]


def test_the_group_rule_masks_the_text_of_a_reply_with_a_safe_file(tmp_path: Path) -> None:
    safe = _file(tmp_path, group_safe=True)
    sent = for_chat(Reply(GROUP, "联系 13812345678", attachment=safe))
    assert sent.text == "联系 138****5678" and sent.attachment == safe


async def test_a_vanished_file_sends_the_text_with_a_note_once(
        bot: Bot, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = _file(tmp_path)
    await bot.app.queue([Reply(OWNER, "本周图表", attachment=file), Reply(OWNER, "", attachment=file)])
    _remove(file)
    with caplog.at_level(logging.ERROR, logger="bot.outbox"):
        assert await bot.app.outbox.drain("console") == 2
    note = FILE_GONE.format(name=file.name)
    assert [(r.text, r.attachment) for r in bot.adapter.sent] == [(f"本周图表\n{note}", None), (note, None)]
    assert "is gone" in caplog.text and file.path in caplog.text
    assert await bot.app.outbox.drain("console") == 0  # done: not retried
    assert [i.status for i in await bot.app.store.outbox.items()] == ["sent", "sent"]


async def test_retention_forgets_a_sent_file_with_the_text(bot: Bot, tmp_path: Path) -> None:
    await bot.app.queue([Reply(OWNER, "名单", attachment=_file(tmp_path, "名单.xlsx"))])
    await bot.app.outbox.drain("console")
    bot.clock.advance(days=31)
    privacy = PrivacyConfig(keep_messages_days=30, anonymise_closed_after_days=180)
    done = await retention.purge(bot.app.store, privacy, bot.clock(), Actor("cli", "t", "命令行"), tz=TZ)
    assert done.outbox == 1
    rows = await sqlite_db(bot.app.store).fetchall("SELECT text, attachment FROM outbox")
    assert [(r["text"], r["attachment"]) for r in rows] == [("", None)]
