"""Regression (issue #9 §5): a megabyte request was repeated whole in pushes, cards and lists."""

from __future__ import annotations

from bot.tickets import TEXT_LIMIT, NewTicket, cap_text
from tests.harness import Bot, to
from tests.store_backends import sqlite_db

GROUP = "幸福小区居民群"


def test_cap_keeps_the_limit_and_says_how_much_was_cut() -> None:
    assert cap_text("米" * TEXT_LIMIT) == "米" * TEXT_LIMIT
    capped = cap_text("米" * (TEXT_LIMIT + 234))
    assert capped == "米" * TEXT_LIMIT + "…（以下 234 字已截去）"


def test_cap_never_keeps_half_a_number() -> None:
    text = "米" * (TEXT_LIMIT - 5) + "13812345678" + "米" * 10
    assert cap_text(text).endswith("米…（以下 21 字已截去）")


def test_every_new_ticket_is_capped() -> None:
    assert len(NewTicket("errand", "groceries", "normal", "米" * 50_000, "").text) < TEXT_LIMIT + 30


async def test_a_huge_request_is_stored_whole_but_repeated_short(bot: Bot) -> None:
    text = "代买 大米一袋 3栋501 " + "很急" * 100_000
    replies = await bot.say(GROUP, "张阿姨", text)
    [push] = to(replies, "@李书记")
    assert "字已截去" in push.text and len(push.text) < TEXT_LIMIT + 300
    [card] = await bot.say("@", "李书记", "详情 E1")
    assert len(card.text) < TEXT_LIMIT + 400
    row = await sqlite_db(bot.app.store).fetchone("SELECT text FROM messages WHERE text LIKE '代买%'")
    assert row is not None and row["text"] == text  # the inbound row keeps what was sent
