"""Regression: ``gridbot check`` created (and migrated) the database it was only meant to check.

It now opens an existing database read-only and leaves no file behind; with no database yet it
says that ``gridbot run`` will create it, after checking that the folder can take it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import BoundGroup
from bot.store.sqlite import SqliteStore
from tests.harness import BASE_TOML, TZ
from tests.test_console import gridbot


def setup(tmp_path: Path) -> Path:
    config = tmp_path / "bot.toml"
    config.write_text(BASE_TOML, encoding="utf-8")
    return config


def check(config: Path, db: Path) -> tuple[int, str, str]:
    """``gridbot check`` the way an operator runs it, in its own process."""
    result = gridbot("check", "--config", str(config), "--db", str(db), cwd=config.parent)
    return result.returncode, result.stdout, result.stderr


def make_database(db: Path, *, bound: int = 0) -> None:
    """A database the way gridbot run leaves it: migrated, closed cleanly."""
    async def build() -> None:
        store = await SqliteStore(db).open()
        for i in range(bound):
            group = BoundGroup("console", f"新群{i}", f"bound-{i}", f"新群{i}", "王主任")
            await store.groups.bind(group, datetime(2026, 11, 22, tzinfo=TZ))
        await store.close()
    asyncio.run(build())


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder with a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_database_yet_is_not_created(tmp_path: Path) -> None:
    config = setup(tmp_path)
    db = tmp_path / "data" / "sub" / "gridbot.db"
    code, out, err = check(config, db)
    assert code == 0, err
    assert "还不存在，第一次 gridbot run 时会创建" in out and str(db) in out
    assert not (tmp_path / "data").exists()  # not even the folder


def test_existing_database_is_read_without_a_trace(tmp_path: Path) -> None:
    config = setup(tmp_path)
    db = tmp_path / "gridbot.db"
    make_database(db, bound=2)
    before = snapshot(tmp_path)
    code, out, err = check(config, db)
    assert code == 0, err
    assert "配置正常：4 个群（另有 2 个用「绑定」登记的群）" in out and "（版本 " in out
    assert snapshot(tmp_path) == before  # same bytes, and no -wal/-shm files left behind


def test_an_older_database_is_reported_not_migrated(tmp_path: Path) -> None:
    config = setup(tmp_path)
    db = tmp_path / "gridbot.db"
    make_database(db)
    with sqlite3.connect(db) as conn:  # as if written by a release with only the first migration
        latest = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        conn.execute("DELETE FROM schema_version WHERE version > 1")
    conn.close()
    before = snapshot(tmp_path)
    code, out, err = check(config, db)
    assert code == 0, err
    assert f"版本 1，gridbot run 启动时会自动升级到 {latest}" in out
    assert snapshot(tmp_path) == before


def test_a_database_from_a_newer_release_fails(tmp_path: Path) -> None:
    config = setup(tmp_path)
    db = tmp_path / "gridbot.db"
    make_database(db)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, '2030-01-01')")
    conn.close()
    code, out, err = check(config, db)
    assert code == 2 and "999" in err and "升级 gridbot" in err and "Traceback" not in err


def test_check_reads_a_database_the_running_bot_holds(tmp_path: Path) -> None:
    config = setup(tmp_path)
    db = tmp_path / "gridbot.db"
    make_database(db)
    # A running bot: WAL mode, a write not yet checkpointed into the main file.
    bot = sqlite3.connect(db, isolation_level=None)
    try:
        bot.execute("PRAGMA journal_mode=WAL")
        bot.execute("PRAGMA wal_autocheckpoint=0")
        bot.execute("INSERT INTO bound_groups (platform, chat_id, key, name, owner_id, bound_at)"
                    " VALUES ('console', '新群', 'new', '新群', '王主任', '2026-11-22T00:00:00+00:00')")
        assert (tmp_path / "gridbot.db-wal").exists()
        code, out, err = check(config, db)
    finally:
        bot.close()
    assert code == 0, err
    assert "另有 1 个用「绑定」登记的群" in out


def test_a_folder_it_cannot_write_to_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Root may write anywhere, so the folder's permission answer is stood in for.
    config = setup(tmp_path)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    code = main(["check", "--config", str(config), "--db", str(tmp_path / "data" / "g.db")])
    err = capsys.readouterr().err
    assert code == 2 and f"文件夹 {tmp_path} 没有写入权限" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()
