"""Shared fixtures: a bot on a real SQLite file under tmp_path; a bare store on every backend."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Store, open_store
from tests.harness import Bot
from tests.store_backends import BACKENDS, location


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.start(tmp_path)
    yield b
    await b.close()


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An opened, empty store on each backend in ``tests/store_backends.py``."""
    opened = await open_store(location(request.param, tmp_path))
    yield opened
    await opened.close()


def pytest_configure(config: pytest.Config) -> None:
    """CI must exercise the real WeChat gateway: without Node.js it fails instead of skipping."""
    from tests.peers.wechat_gateway import node_missing_reason

    reason = node_missing_reason()
    if reason and os.environ.get("GRIDBOT_REQUIRE_NODE"):
        raise pytest.UsageError(f"GRIDBOT_REQUIRE_NODE is set (CI) but {reason}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/peers starts a real peer: ``pytest -m "not peer"`` is the offline loop."""
    peers = Path(__file__).parent / "peers"
    for item in items:
        if peers in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.peer)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it loudly when the WeChat end-to-end tests could not run on this machine."""
    from tests.peers.wechat_gateway import node_missing_reason

    reason = node_missing_reason()
    if reason:
        terminalreporter.write_sep("!", "WeChat gateway tests SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason, red=True)
