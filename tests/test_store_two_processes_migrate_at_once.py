"""Regression: two processes opening a fresh database at once (``gridbot run`` and ``notice send``
right after it) both applied migration 001 and the second failed with "table already exists"."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.store.sqlite import SqliteStore
from bot.store.sqlite.base import _migrations


async def test_concurrent_first_opens_apply_each_migration_once(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    stores = [SqliteStore(db) for _ in range(4)]  # separate connections, as separate processes have
    try:
        await asyncio.gather(*(s.open() for s in stores))
    finally:  # a failed open must not leave the others' worker threads keeping pytest alive
        for s in stores:
            await s.close()
    with sqlite3.connect(db) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    # Every shipped migration once (numbers may have gaps while branches claim theirs).
    assert versions == [v for v, _, _ in _migrations()]
