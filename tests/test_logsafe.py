"""The redacting formatter: tokens never reach a log line, a traceback or an uncaught error."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot import logsafe

TOKEN = "123456:TEST-token-0123456789abcdef"
WECHAT = "puppet_padlocal_0a1b2c3d4e5f"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, sys.excepthook)
    logsafe.install(logging.DEBUG, [WECHAT])
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    sys.excepthook = saved[2]


@pytest.mark.parametrize("line", [
    f"HTTP Request: POST http://127.0.0.1:8081/bot{TOKEN}/sendMessage \"HTTP/1.1 200 OK\"",
    f"GET https://api.telegram.org/file/bot{TOKEN}/photos/1.jpg",
    f"token {TOKEN} was rejected",
    f"connecting with token={WECHAT}",
    f"/botANYTHING-NOT-TOKEN-SHAPED/getMe and {TOKEN.split(':')[1]}",
])
def test_every_secret_shape_is_hidden(captured: io.StringIO, line: str) -> None:
    logsafe.redact_also(TOKEN.split(":")[1])
    logging.getLogger("httpx").warning(line)
    out = captured.getvalue()
    assert "<redacted>" in out
    for secret in (TOKEN, TOKEN.split(":")[1], WECHAT, "ANYTHING-NOT-TOKEN-SHAPED"):
        assert secret not in out


def test_tracebacks_and_arguments_are_redacted(captured: io.StringIO) -> None:
    try:
        raise RuntimeError(f"POST /bot{TOKEN}/getUpdates failed")
    except RuntimeError:
        logging.getLogger("bot.outbox").exception("send %s failed", TOKEN)
    out = captured.getvalue()
    assert "Traceback" in out and TOKEN not in out


def test_uncaught_exceptions_are_redacted(captured: io.StringIO) -> None:
    try:
        raise ValueError(f"bad {WECHAT}")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    out = captured.getvalue()
    assert "ValueError" in out and WECHAT not in out


def test_chatty_libraries_are_quiet_unless_debugging(captured: io.StringIO) -> None:
    assert logging.getLogger("httpx").level == logging.DEBUG
    logsafe.install(logging.INFO)
    assert logging.getLogger("httpx").level == logging.WARNING


def test_ordinary_text_is_untouched() -> None:
    text = "E12 代买 5栋301 电话 13812345678 10:30 2026-11-25 ratio 3:2"
    assert logsafe.Redactor(["short"])(text) == text


def test_libraries_with_their_own_handlers_are_redacted_too(captured: io.StringIO) -> None:
    # As wechaty_puppet.logger.get_logger builds them: propagate off, a StreamHandler of its own.
    lib = logging.getLogger("wechaty_like_sdk")
    own = logging.StreamHandler(captured)
    own.setFormatter(logging.Formatter("%(name)s - %(message)s"))
    lib.handlers, lib.propagate = [own], False
    try:
        assert logsafe.adopt_library_handlers() >= 1
        lib.warning("there are endpoint<127.0.0.1:8788> and token<%s>", WECHAT)
        out = captured.getvalue()
        assert "wechaty_like_sdk - there are endpoint" in out and WECHAT not in out
    finally:
        lib.handlers, lib.propagate = [], True
