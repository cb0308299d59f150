"""Telegram's webhook POSTs: who may post, what is an update, and which answer Telegram gets.

Telegram sends an update again until it gets a 2xx answer, so the answer decides whether an
update is retried, possibly forever:

- 403: the per-start secret (``X-Telegram-Bot-Api-Secret-Token``) is missing or wrong.
- 415: the body is not declared ``application/json``.
- 400: the body is not a JSON object with an integer ``update_id`` (an array, ``null``, a
  string, invalid JSON or UTF-8): not a Telegram update at all.
- 200: the update was stored and handled; or it is one the bot cannot use (an unknown kind,
  a message without a chat, fields of the wrong type). Those are stored when they can be made
  into a message at all, else logged at INFO; sending them again would not change them.
- 500: storing failed (the disk, the database): Telegram sends it again and the store
  recognises it when it does.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Receiver = Callable[[web.Request], Awaitable[web.Response]]


@dataclass(frozen=True)
class Webhook:
    """Where Telegram POSTs updates (``url``, public HTTPS) and where the bot listens for them.

    A reverse proxy usually terminates TLS at ``url`` and forwards to ``listen:port``; the
    path of ``url`` is the path served. ``listen`` stays on this machine unless told otherwise.
    """

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def path(self) -> str:
        """The URL path Telegram posts to."""
        return urlsplit(self.url).path or "/"


def receiver(secret: str, bot: Bot, handle: Callable[[Update], Awaitable[None]]) -> Receiver:
    """The aiohttp handler for Telegram's POSTs; ``handle`` stores and acts on one update."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        # Bytes, not str: compare_digest refuses a str with non-ASCII (a forged header).
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            log.warning("Telegram webhook: POST from %s without the right secret refused",
                        request.remote)
            return web.Response(status=403)
        if request.content_type != "application/json":
            log.info("Telegram webhook: body of type %r refused", request.content_type)
            return web.Response(status=415, text="Content-Type must be application/json")
        try:
            data = json.loads(await request.read())
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both are
            log.info("Telegram webhook: body is not JSON: %s", exc)
            return web.Response(status=400, text="body is not JSON")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.info("Telegram webhook: body is not an update: %.200r", data)
            return web.Response(status=400, text="body is not a Telegram update")
        try:
            update = Update.de_json(data, bot)
        except Exception as exc:  # noqa: BLE001 - any malformed field; resending cannot fix it
            log.info("Telegram webhook: update %s cannot be read (%r); acknowledged", update_id, exc)
            return web.Response(status=200)
        try:
            await handle(update)
        except Exception:
            # Not stored: a non-2xx answer makes Telegram send it again.
            log.exception("Telegram webhook: update %s could not be stored; Telegram will resend",
                          update_id)
            return web.Response(status=500)
        return web.Response(status=200)

    return receive
