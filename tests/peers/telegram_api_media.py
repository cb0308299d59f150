"""Files on the local Bot API server (``telegram_api.py``): ``sendPhoto`` and ``sendDocument``.

Only uploads are accepted (multipart, as python-telegram-bot sends an ``InputFile``); a
file id or URL answers 400 here. What Telegram checks and this server does too: a photo must
be a picture it can read (PNG or JPEG here: the header is decoded for the size) of at most
10 MB, a document at most 50 MB, a caption at most 1,024 characters after HTML parsing.
The event record keeps each upload's name, type, size, SHA-256 and bytes (base64), so a
test can decode exactly what the bot sent.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.peers.telegram_html import HtmlError, parse_html, utf16_len

if TYPE_CHECKING:
    from aiohttp.web_request import FileField

    from tests.peers.telegram_api import BotApi, Params

Json = dict[str, Any]
MAX_CAPTION = 1024
MAX_PHOTO = 10 * 1024 * 1024
MAX_DOCUMENT = 50 * 1024 * 1024


def upload_json(field: FileField) -> Json:
    """One multipart file part as the server keeps it (and records it)."""
    data = field.file.read()
    return {"upload": True, "filename": field.filename, "content_type": field.content_type,
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "base64": base64.b64encode(data).decode("ascii")}


def picture_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or baseline/progressive JPEG, None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


class Media:
    """Photos and documents the bot uploads to one bot account's chats."""

    def __init__(self, api: BotApi, error: Callable[..., Exception]):
        # The server's ApiError, handed in (see telegram_api_joins.Joins for why).
        self.api, self.error = api, error
        self.files = 0

    def send_photo(self, p: Params) -> Json:
        """Post a picture, with an optional caption and keyboard."""
        upload = self._upload(p, "photo")
        data = base64.b64decode(upload["base64"])
        if len(data) > MAX_PHOTO:
            raise self.error(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
        size = picture_size(data)
        if size is None:
            raise self.error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        photo = [{**self._file_ids(), "width": size[0], "height": size[1], "file_size": len(data)}]
        return self._post(p, {"photo": photo})

    def send_document(self, p: Params) -> Json:
        """Post any file as a document, with an optional caption and keyboard."""
        upload = self._upload(p, "document")
        if upload["size"] > MAX_DOCUMENT:
            raise self.error(400, "Bad Request: file is too big")
        document = {**self._file_ids(), "file_name": upload["filename"],
                    "mime_type": upload["content_type"], "file_size": upload["size"]}
        return self._post(p, {"document": document})

    def _upload(self, p: Params, name: str) -> Json:
        value = p.raw.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.raw.get(value[len("attach://"):])
        if not isinstance(value, dict) or not value.get("upload"):
            raise self.error(400, f"Bad Request: wrong remote file identifier specified: {name} must be "
                                  "uploaded to this test server")
        return value

    def _file_ids(self) -> Json:
        self.files += 1
        return {"file_id": f"F{self.files:08d}", "file_unique_id": f"U{self.files:08d}"}

    def _post(self, p: Params, media: Json) -> Json:
        api = self.api
        chat = api._writable_chat(p.chat_id())
        msg: Json = {"message_id": api._next_message_id(chat["id"]), "from": api.bot_user, "chat": chat,
                     "date": int(time.time()), **media}
        raw = p.string("caption")
        if raw:
            if p.string("parse_mode").lower() == "html":
                try:
                    caption, entities = parse_html(raw, api.users)
                except HtmlError as exc:
                    raise self.error(400, f"Bad Request: can't parse entities: {exc}") from None
            else:
                caption, entities = raw, []
            if utf16_len(caption) > MAX_CAPTION:
                raise self.error(400, "Bad Request: message caption is too long")
            msg["caption"] = caption
            if entities:
                msg["caption_entities"] = entities
        markup = api._markup(p.json("reply_markup"))
        if markup:
            msg["reply_markup"] = markup
        api.messages[(chat["id"], msg["message_id"])] = msg
        return msg
