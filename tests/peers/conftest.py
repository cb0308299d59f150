"""Peer fixtures: ``telegram_api`` is the local Bot API server (the WeChat gateway fixture
lives in ``wechat_gateway.py`` and is imported by its tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.peers.telegram_client import TelegramApi


@pytest.fixture
async def telegram_api() -> AsyncIterator[TelegramApi]:
    """A fresh server process on a free port per test."""
    async with TelegramApi() as api:
        yield api
