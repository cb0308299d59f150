"""Telegram message shaping: splitting under 4096 characters, HTML escaping, mention links."""

from __future__ import annotations

import pytest

from bot.adapter import SetupError
from bot.adapters.telegram import check_token
from bot.adapters.telegram_format import MAX_TEXT, keyboard, split_text, to_html
from bot.message import Button, ChatRef, Mention, Reply


def test_split_keeps_lines_and_stays_under_the_limit() -> None:
    text = "\n".join(f"第{i}行 " + "字" * 50 for i in range(300))
    chunks = split_text(text)
    assert len(chunks) > 1 and all(len(c) <= 3500 for c in chunks)
    assert "\n".join(chunks) == text


def test_split_one_huge_line() -> None:
    chunks = split_text("字" * 9000)
    assert [len(c) for c in chunks] == [3500, 3500, 2000]


def test_html_escaping_and_mentions() -> None:
    reply = Reply(ChatRef("telegram", "-100"), "a < b & <b>不是标签</b>", (Mention("42", "张<阿姨>"),))
    out = to_html(reply, reply.text, first=True)
    assert out == '<a href="tg://user?id=42">@张&lt;阿姨&gt;</a> a &lt; b &amp; &lt;b&gt;不是标签&lt;/b&gt;'
    assert len(to_html(reply, "字" * 3500, first=True)) < MAX_TEXT


@pytest.mark.parametrize("token", [None, "", "abc", "123:short"])
def test_bad_tokens_are_explained(token: str | None) -> None:
    with pytest.raises(SetupError, match="GRIDBOT_TELEGRAM_TOKEN"):
        check_token(token, "GRIDBOT_TELEGRAM_TOKEN")


def test_buttons_four_per_row_and_too_long_commands_left_out() -> None:
    buttons = tuple(Button(f"键{i}", f"详情 E{i}") for i in range(5)) + (Button("长", "详情 " + "字" * 30),)
    markup = keyboard(Reply(ChatRef("telegram", "@42"), "x", buttons=buttons))
    assert markup is not None
    rows = [[b.callback_data for b in row] for row in markup.inline_keyboard]
    assert rows == [["详情 E0", "详情 E1", "详情 E2", "详情 E3"], ["详情 E4"]]  # 97 bytes: dropped, not cut
    assert keyboard(Reply(ChatRef("telegram", "@42"), "x")) is None
