"""One bot per database: an OS advisory lock on ``<database>.lock`` that dies with its process.

Two bots on one database send every queued reply twice and fight over SQLite's write lock,
so ``gridbot run`` and ``gridbot console`` hold ``fcntl.flock`` on a sidecar file for as long as
they run. The kernel drops the lock when the process ends, however it ends (kill -9 included),
so a crash never leaves a stale lock; the JSON inside only says who holds it. The file is never
deleted: unlinking it would let a third process lock a fresh file while a second still holds
the old one. Commands that only read or only queue work (exports, ``notice send``) do not lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

from bot.store import StoreUnavailable

#: How long a starter keeps asking before it believes the database is taken.
BUSY_WAIT = 0.5


def lock_path(database: Path) -> Path:
    """The sidecar lock file of a database."""
    return database.with_name(database.name + ".lock")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a database: process, host, start time and platforms."""

    pid: int
    host: str
    started_at: datetime
    platforms: tuple[str, ...]

    def describe(self, tz: ZoneInfo) -> str:
        """``进程 123（主机 x），自 2026-11-25 20:01:03 起，平台 console`` in the bot's zone."""
        since = self.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
        return (f"进程 {self.pid}（主机 {self.host}），自 {since} 起运行，"
                f"平台 {'、'.join(self.platforms) or '?'}")

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "started_at": self.started_at.isoformat(),
                           "platforms": list(self.platforms)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Holder | None:
        """The holder written in a lock file, or None when it is empty or unreadable."""
        try:
            raw = json.loads(text)
            return cls(int(raw["pid"]), str(raw["host"]), datetime.fromisoformat(raw["started_at"]),
                       tuple(str(p) for p in raw["platforms"]))
        except (ValueError, KeyError, TypeError):
            return None


class DatabaseBusy(Exception):
    """Another process holds the database; ``holder`` says who when it could be read."""

    def __init__(self, database: Path, holder: Holder | None):
        super().__init__(f"{database} is in use by {holder}")
        self.database, self.holder = database, holder

    def line(self, tz: ZoneInfo) -> str:
        """One line for the terminal, in Chinese with the facts an IT volunteer needs."""
        who = self.holder.describe(tz) if self.holder else "另一个进程（未能读出它的信息）"
        here = self.holder is not None and self.holder.host == socket.gethostname()
        stop = (f"请先停止它（例如 kill {self.holder.pid}）" if here and self.holder
                else "请先在那台机器上停止它")
        facts = (f"pid {self.holder.pid}, host {self.holder.host}, since "
                 f"{self.holder.started_at.astimezone(tz):%Y-%m-%d %H:%M:%S %z}, " if self.holder else "")
        return (f"数据库 {self.database} 已被另一个机器人使用：{who}。同一个数据库只能运行一个机器人，"
                f"{stop}，或用 --db 指定另一个数据库。(database in use: {facts}lock {lock_path(self.database)})")


class RunLock:
    """The exclusive right to run a bot on one database; a context manager."""

    def __init__(self, database: Path):
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self, platforms: tuple[str, ...], now: datetime) -> Holder:
        """Take the lock or raise :class:`DatabaseBusy`; OSError when the file cannot be made."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            with contextlib.suppress(OSError):  # a file left by an older version may be wider
                os.fchmod(fd, 0o600)
            deadline = time.monotonic() + BUSY_WAIT
            while not _try_lock(fd, fcntl.LOCK_EX):
                # `doctor` peeking for an instant (the file then names a holder that may be long
                # dead), or a holder that has not written its name yet: ask again shortly.
                if time.monotonic() > deadline:
                    raise DatabaseBusy(self.database, _read(fd))
                time.sleep(0.02)
            me = Holder(os.getpid(), socket.gethostname(), now, platforms)
            os.ftruncate(fd, 0)
            os.pwrite(fd, me.to_json().encode("utf-8"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return me

    def release(self) -> None:
        """Empty the file and drop the lock; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing the only descriptor releases the flock

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


@contextmanager
def hold(database: Path, platforms: tuple[str, ...], now: datetime) -> Iterator[None]:
    """Run the body as the one bot on ``database``; DatabaseBusy or StoreUnavailable otherwise."""
    if str(database) == ":memory:":
        yield
        return
    lock = RunLock(database)
    try:
        lock.acquire(platforms, now)
    except OSError as exc:  # the folder cannot be made: the same words as for the database
        raise StoreUnavailable(database, exc) from exc
    try:
        yield
    finally:
        lock.release()


def probe(database: Path) -> tuple[bool, Holder | None]:
    """Whether a bot runs on this database now, and who (None when unreadable).

    Peeking takes a shared lock for an instant; a bot starting in that instant waits for it.
    """
    try:
        fd = os.open(lock_path(database), os.O_RDONLY)
    except FileNotFoundError:
        return False, None
    try:
        if _try_lock(fd, fcntl.LOCK_SH):
            fcntl.flock(fd, fcntl.LOCK_UN)  # free: whatever the file says is left from a crash
            return False, None
        return True, _read(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int, kind: int) -> bool:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _read(fd: int) -> Holder | None:
    return Holder.from_json(os.pread(fd, 4096, 0).decode("utf-8", errors="replace"))
