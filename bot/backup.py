"""``gridbot backup OUT``: a consistent copy of the live database, checked, owner-only.

The copy is made with SQLite's online backup API into a temporary file beside OUT, checked
with ``PRAGMA integrity_check``, and only then put at OUT: a failed or interrupted backup never
leaves a half-written file where a good one is expected. Restoring is a file copy with the bot
stopped (README, "Operations").
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from bot.store.maintenance import Inspection, db_files, inspect, online_backup


class BackupRefused(Exception):
    """OUT cannot be written; the message says why in Chinese."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What was written: where, how big, how many tickets, and the check of the copy."""

    out: Path
    size: int
    check: Inspection

    def summary(self, database: Path) -> str:
        """One line for the person who ran the command."""
        tickets = "?" if self.check.tickets is None else str(self.check.tickets)
        return (f"已把数据库 {database} 备份到 {self.out}（{human_size(self.size)}，工单 {tickets} 张，"
                f"完整性检查通过，仅本人可读）")


def human_size(size: int) -> str:
    """``12.3 MB`` style sizes."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _place(partial: Path, out: Path) -> None:
    """Put the copy at OUT unless something is there already."""
    try:
        os.link(partial, out)  # fails if OUT appeared meanwhile: never clobber silently
    except FileExistsError:
        raise
    except OSError:  # FAT-formatted USB sticks and some network drives have no hard links
        if out.exists():
            raise FileExistsError(out) from None
        os.replace(partial, out)


def backup(database: Path, out: Path, *, force: bool = False) -> BackupResult:
    """Copy ``database`` to ``out`` while the bot may be running; BackupRefused or StoreUnavailable.

    It blocks for as long as the copy takes: call it in a thread from async code.
    """
    if not database.is_file():
        raise BackupRefused(f"数据库 {database} 不存在：没有可备份的内容（请检查 --db 或配置文件 [bot] database）")
    targets = {f.resolve() for f in db_files(database)}
    if out.resolve() in targets:
        raise BackupRefused(f"不能把备份写到数据库文件本身（{out}）：请写到另一个文件，最好在另一块磁盘上")
    if out.is_dir():
        raise BackupRefused(f"{out} 是一个文件夹：请写上备份文件名，例如 {out / 'gridbot-备份.db'}")
    if out.exists() and not force:
        raise BackupRefused(f"{out} 已经存在，没有覆盖它。换一个文件名，或加 --force 覆盖")
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        online_backup(database, partial)
        check = inspect(partial)
        if not check.ok:
            raise BackupRefused(f"备份的副本没有通过完整性检查（{check.problems[0]}）："
                                "数据库可能已损坏，请运行 gridbot doctor")
        if force:
            os.replace(partial, out)
        else:
            _place(partial, out)
    except FileExistsError:
        raise BackupRefused(f"{out} 已经存在，没有覆盖它。换一个文件名，或加 --force 覆盖") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupResult(out, out.stat().st_size, check)
