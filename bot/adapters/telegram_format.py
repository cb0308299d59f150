"""How a Reply looks on Telegram: HTML with mention links, chunks under the limit, inline buttons.

Pure functions of a Reply, no network: the adapter (``telegram.py``) sends what these build.
Ids cross here both ways: ``target_chat`` for the Bot API, ``tg_id`` for the store.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.message import ChatRef, Reply
from bot.text import clean_text

log = logging.getLogger(__name__)

PLATFORM = "telegram"

MAX_TEXT = 4096
#: Leave room for the HTML escaping of a chunk and the mention links added to the first one.
CHUNK = 3500
BUTTONS_PER_ROW = 4
#: Telegram's limit on callback data, in UTF-8 bytes.
MAX_CALLBACK_BYTES = 64


def split_text(text: str, limit: int = CHUNK) -> list[str]:
    """Split a long text at line breaks (or hard, for one huge line) into chunks under ``limit``."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def to_html(reply: Reply, chunk: str, first: bool) -> str:
    """Escape a chunk for HTML parse mode; the first chunk carries the @-mention links."""
    body = html.escape(chunk, quote=False)
    if not first or not reply.mentions:
        return body
    links = " ".join(
        f'<a href="tg://user?id={int(m.user_id)}">@{html.escape(m.name, quote=False)}</a>'
        if m.user_id.isdigit() else f"@{html.escape(m.name, quote=False)}"
        for m in reply.mentions
    )
    return f"{links} {body}"


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline buttons whose callback data is the text command they stand for."""
    buttons = []
    for b in reply.buttons:
        # A cut command would do something else when tapped: leave the button out instead.
        if len(b.command.encode("utf-8")) > MAX_CALLBACK_BYTES:
            log.warning("Telegram: button %r dropped, its command is over %d bytes", b.label,
                        MAX_CALLBACK_BYTES)
            continue
        buttons.append(InlineKeyboardButton(b.label, callback_data=b.command))
    if not buttons:
        return None
    rows = [buttons[i:i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def target_chat(chat: ChatRef) -> int | str:
    """The Bot API chat id for one of our chats."""
    raw = chat.user_id if chat.is_private else chat.chat_id
    return int(raw) if raw.lstrip("-").isdigit() else raw


def tg_id(value: object) -> str:
    """A Telegram id as our text id; a forged update's ids are made storable like its text."""
    return clean_text(str(value))
