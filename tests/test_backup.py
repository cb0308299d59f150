"""``gridbot backup``: a consistent, checked, owner-only copy while the bot writes; restore works."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import stat
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from bot.backup import BackupRefused, backup
from bot.cli import main
from bot.store.maintenance import db_files
from tests.harness import BASE_TOML, Bot
from tests.store_backends import sqlite_db


def tickets_in(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


async def test_backup_while_the_bot_writes_then_restore_it_as_the_readme_says(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    db = bot.app.config.database
    warm, copied_at = asyncio.Event(), asyncio.Event()

    async def residents() -> None:
        n = after_backup = 0
        while after_backup < 10:  # write before, during and after the backup
            n += 1
            await bot.say("幸福小区居民群", f"居民{n}", f"代买 大米{n}袋 {n}栋101")
            if n == 20:
                warm.set()
            after_backup += copied_at.is_set()

    writer = asyncio.create_task(residents())
    await warm.wait()
    before = len(await bot.app.store.tickets.list())
    out = tmp_path / "backups" / "gridbot-copy.db"
    result = await asyncio.to_thread(backup, db, out)  # the bot keeps writing meanwhile
    after = len(await bot.app.store.tickets.list())
    copied_at.set()
    await writer
    await bot.close()
    final = tickets_in(db)

    copied = result.check.tickets
    assert result.check.ok and copied is not None and before <= copied <= after < final
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert not out.with_name(out.name + "-wal").exists()  # one self-contained file
    with closing(sqlite3.connect(out)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    # README: stop the bot, copy the backup over the database, delete stale -wal/-shm, start.
    shutil.copyfile(out, db)
    for side in db_files(db)[1:]:
        side.unlink(missing_ok=True)
    restored = await Bot.start(tmp_path)
    try:
        codes = [t.code for t in await restored.app.store.tickets.list()]
        assert sorted(codes, key=lambda c: int(c[1:])) == [f"E{i}" for i in range(1, copied + 1)]
        check = await sqlite_db(restored.app.store).fetchone("PRAGMA integrity_check")
        assert check is not None and check[0] == "ok"
        fresh = restored.message("幸福小区居民群", "新居民", "代买 酱油 9栋101")
        replies = await restored.send(replace(fresh, message_id="after-restore"))  # ids restart at t1
        assert any(f"E{copied + 1}" in r.text for r in replies), replies
    finally:
        await restored.close()


async def database_with_a_ticket(tmp_path: Path) -> Path:
    bot = await Bot.start(tmp_path)
    await bot.say("幸福小区居民群", "张阿姨", "代买 大米一袋 5栋301")
    await bot.close()
    return bot.app.config.database


async def test_existing_out_is_kept_unless_forced(tmp_path: Path) -> None:
    db = await database_with_a_ticket(tmp_path)
    out = tmp_path / "old.db"
    out.write_bytes(b"an older backup")
    out.chmod(0o644)
    with pytest.raises(BackupRefused, match="--force"):
        backup(db, out)
    assert out.read_bytes() == b"an older backup"
    result = backup(db, out, force=True)
    assert result.check.tickets == 1 and tickets_in(out) == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [name for name in os.listdir(tmp_path) if "partial" in name] == []


@pytest.mark.parametrize("target", ["gridbot.db", "gridbot.db-wal", "."])
async def test_backup_never_writes_over_the_database_or_into_a_folder(tmp_path: Path, target: str) -> None:
    db = await database_with_a_ticket(tmp_path)
    with pytest.raises(BackupRefused):
        backup(db, tmp_path / target, force=True)
    assert tickets_in(db) == 1


def test_cli_prints_what_it_wrote_and_refuses_a_second_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(BASE_TOML, encoding="utf-8")
    db = tmp_path / "gridbot.db"
    args = ["--config", str(config), "--db", str(db)]
    assert main(["console", "--transcript", str(_transcript(tmp_path)), *args]) == 0
    capsys.readouterr()
    out = tmp_path / "b.db"
    assert main(["backup", str(out), *args]) == 0
    said = capsys.readouterr().out
    assert str(out) in said and "工单 1 张" in said and "KB" in said
    assert main(["backup", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert "已经存在" in err and "--force" in err and len(err.strip().splitlines()) == 1
    missing = ["--config", str(config), "--db", str(tmp_path / "nothing.db")]
    assert main(["backup", str(tmp_path / "c.db"), *missing]) == 2
    assert "不存在" in capsys.readouterr().err


def _transcript(tmp_path: Path) -> Path:
    path = tmp_path / "t.txt"
    path.write_text("幸福小区居民群|张阿姨|代买 大米一袋 5栋301\n", encoding="utf-8")
    return path


def test_restore_needs_the_stale_wal_deleted(tmp_path: Path) -> None:
    """Why README's restore deletes -wal/-shm: SQLite replays them onto the restored file."""
    db = tmp_path / "gridbot.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO tickets DEFAULT VALUES")
    out = tmp_path / "backup.db"
    backup(db, out)
    conn.execute("PRAGMA wal_autocheckpoint=0")  # a bot killed with writes still in its WAL
    for _ in range(50):
        conn.execute("INSERT INTO tickets DEFAULT VALUES")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for f in db_files(db):
        shutil.copy(f, crashed / f.name)
    conn.close()
    restored = crashed / "gridbot.db"
    shutil.copyfile(out, restored)
    assert tickets_in(restored) == 51  # the old WAL won: not the backup at all
    shutil.copyfile(out, restored)
    for side in db_files(restored)[1:]:
        side.unlink(missing_ok=True)
    assert tickets_in(restored) == 1
