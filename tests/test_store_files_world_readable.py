"""Regression: the database, its -wal/-shm files and exports were created world-readable (0644)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from bot import export
from bot.store.maintenance import db_files
from bot.store.sqlite import SqliteStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "gridbot.db"
    store = await SqliteStore(db).open()  # no umask help: the library itself is careful
    try:
        files = db_files(db)
        assert all(f.exists() for f in files), "WAL and SHM exist while the database is open"
        assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
        assert mode(db.parent) == 0o700
    finally:
        await store.close()


async def test_an_existing_wide_database_is_narrowed_with_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "gridbot.db"
    await (await SqliteStore(db).open()).close()
    for f in db_files(db):
        f.touch()
        f.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        store = await SqliteStore(db).open()
    try:
        assert [mode(f) for f in db_files(db)] == [0o600, 0o600, 0o600]
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "gridbot.db-wal" in warnings[0] and "0600" in warnings[0]
    finally:
        await store.close()


def test_exports_are_owner_only_even_over_a_wider_old_file(tmp_path: Path) -> None:
    out = tmp_path / "exports" / "ledger.csv"
    export.write(b"id\n", out)
    assert mode(out) == 0o600 and mode(out.parent) == 0o700
    out.chmod(0o644)
    export.write(b"id\nE1\n", out)
    assert mode(out) == 0o600 and out.read_bytes() == b"id\nE1\n"
