"""Secrets never reach a log line, a traceback or an error message the bot prints.

httpx logs every request URL, and Telegram puts the bot token in the URL path
(``/bot123456:AAE…/sendMessage``); a failing call's traceback can carry it too. Rather than
trust every library to be careful, the one formatter on the root handler redacts whatever it
writes: known secret values (the tokens read from the environment) and anything shaped like a
Telegram token or a ``/bot<token>/`` path.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType

REDACTED = "<redacted>"

#: A Telegram bot token anywhere: digits, a colon, at least 20 URL-safe characters.
_TOKEN_SHAPE = re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{20,}")
#: The Bot API's path segment, whatever the token looks like: ``/bot<anything>/method``.
_BOT_PATH = re.compile(r"(/(?:file/)?bot)[^/\s'\"]+(?=/)")


class Redactor:
    """Replaces secrets in text; known values are added once the config is read."""

    def __init__(self, secrets: Iterable[str] = ()):
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Redact these exact values from now on (short values are ignored: too many false hits)."""
        self._secrets.update(s for s in secrets if s and len(s) >= 6)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        text = _BOT_PATH.sub(rf"\1{REDACTED}", text)
        return _TOKEN_SHAPE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose whole output, traceback included, passes through a :class:`Redactor`."""

    def __init__(self, fmt: str, redactor: Redactor):
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(super().format(record))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Libraries that log every request at INFO: useful only when debugging.
CHATTY = ("httpx", "httpcore", "apscheduler.executors.default", "aiohttp.access")


def _installed() -> list[Redactor]:
    """The redactors of the root's redacting handlers (one after :func:`install`)."""
    return [h.formatter.redactor for h in logging.getLogger().handlers
            if isinstance(h.formatter, RedactingFormatter)]


def redact_also(*secrets: str | None) -> None:
    """Add secrets made at run time (a webhook's secret token) to every redacting handler."""
    for redactor in _installed():
        redactor.add(*secrets)


def adopt_library_handlers() -> int:
    """Redact loggers that bypass the root (wechaty's set propagate=False and a handler of their own).

    The Wechaty puppet packages build such loggers at import time and log the puppet token in a
    warning; call this after importing an SDK. Returns how many handlers were taken over.
    """
    ours = _installed()
    if not ours:
        return 0
    adopted = 0
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if not isinstance(logger, logging.Logger):
            continue
        for handler in logger.handlers:
            if isinstance(handler.formatter, RedactingFormatter):
                continue
            fmt = handler.formatter._fmt if handler.formatter is not None else None
            handler.setFormatter(RedactingFormatter(fmt or LOG_FORMAT, ours[0]))
            adopted += 1
    return adopted


def redact(text: str) -> str:
    """``text`` with every secret the installed handlers know (or any token-shaped string) hidden."""
    for redactor in _installed() or [Redactor()]:
        text = redactor(text)
    return text


def install(level: int, secrets: Iterable[str] = ()) -> Redactor:
    """Log to stderr through a redacting formatter; uncaught tracebacks are redacted too."""
    redactor = Redactor(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, redactor))
    root = logging.getLogger()
    for old in list(root.handlers):  # a second install (tests call main() again) replaces ours
        if isinstance(old.formatter, RedactingFormatter):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else logging.WARNING)

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        handler.stream.write(redactor("".join(traceback.format_exception(kind, exc, tb))))

    sys.excepthook = excepthook
    adopt_library_handlers()
    return redactor
