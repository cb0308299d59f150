"""Shared fixtures: a bot on a real SQLite file under tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Bot


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.start(tmp_path)
    yield b
    await b.close()
