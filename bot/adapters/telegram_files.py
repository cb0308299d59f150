"""Files the outbox asks Telegram to send: pictures with sendPhoto, the rest with sendDocument.

The bytes are read when the file's turn comes (the outbox keeps only the path) and uploaded
as multipart. A short reply text rides along as the caption, with the buttons; a longer one
follows as ordinary messages (the adapter does that), since a caption holds 1,024 characters.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode

from bot.message import Attachment

#: Telegram's caption limit, in characters after HTML parsing.
CAPTION_LIMIT = 1024
#: sendPhoto takes pictures up to 10 MB; a larger one goes as a document (up to 50 MB).
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def fits_caption(text: str) -> bool:
    """Whether a reply's text can be the file's caption (mentions need a little room too)."""
    return len(text) <= CAPTION_LIMIT - 100


async def send_file(
    bot: Bot, chat_id: int | str, file: Attachment, caption: str | None,
    markup: InlineKeyboardMarkup | None,
) -> Message:
    """Upload one file: a picture with sendPhoto, anything else with sendDocument.

    Raises OSError when the file cannot be read (the outbox then sends its text instead).
    """
    data = await asyncio.to_thread(Path(file.path).read_bytes)
    upload = InputFile(data, filename=file.name)
    mode = ParseMode.HTML if caption else None
    if file.is_image and len(data) <= MAX_PHOTO_BYTES:
        return await bot.send_photo(chat_id, upload, caption=caption, parse_mode=mode, reply_markup=markup)
    return await bot.send_document(chat_id, upload, caption=caption, parse_mode=mode, reply_markup=markup)
