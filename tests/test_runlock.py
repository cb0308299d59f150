"""One bot per database: the lock itself, and two real ``gridbot run`` processes on one file."""

from __future__ import annotations

import fcntl
import json
import os
import queue
import signal
import socket
import stat
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runlock import DatabaseBusy, RunLock, hold, lock_path, probe
from bot.store import StoreUnavailable
from tests.harness import BASE_TOML

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 20, 1, 3, tzinfo=TZ)
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_second_acquirer_is_refused_with_the_holders_pid_host_and_start(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    with RunLock(db) as first:
        first.acquire(("telegram", "console"), NOW)
        with pytest.raises(DatabaseBusy) as refused:
            RunLock(db).acquire(("console",), NOW)
    holder = refused.value.holder
    assert holder is not None
    assert (holder.pid, holder.host, holder.started_at, holder.platforms) == (
        os.getpid(), socket.gethostname(), NOW, ("telegram", "console"))
    line = refused.value.line(TZ)
    assert "\n" not in line
    for fact in (str(os.getpid()), socket.gethostname(), "2026-11-25 20:01:03", "telegram", str(db)):
        assert fact in line


def test_lock_file_is_owner_only_json_and_emptied_on_release(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    lock = RunLock(db)
    lock.acquire(("console",), NOW)
    assert stat.S_IMODE(lock_path(db).stat().st_mode) == 0o600
    assert json.loads(lock_path(db).read_text())["pid"] == os.getpid()
    assert probe(db)[0] is True
    lock.release()
    lock.release()  # twice is harmless
    assert lock_path(db).read_text() == ""
    assert probe(db) == (False, None)
    with RunLock(db) as again:
        again.acquire(("console",), NOW)  # and the next one gets it


def test_a_wider_lock_file_left_behind_is_narrowed(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    lock_path(db).write_text("{}")
    lock_path(db).chmod(0o644)
    with RunLock(db) as lock:
        lock.acquire(("console",), NOW)
        assert stat.S_IMODE(lock_path(db).stat().st_mode) == 0o600


HOLDER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from bot.runlock import RunLock
RunLock(Path(sys.argv[1])).acquire(("telegram",), datetime.now(UTC))
print("locked", flush=True)
time.sleep(120)
"""


def test_lock_of_a_process_killed_with_sigkill_does_not_block_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True,
                            env=ENV)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        busy, holder = probe(db)
        assert busy and holder is not None and holder.pid == proc.pid
        with pytest.raises(DatabaseBusy):
            RunLock(db).acquire(("console",), NOW)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert json.loads(lock_path(db).read_text())["pid"] == proc.pid  # the dead holder's note stays
    assert probe(db) == (False, None)  # but nobody holds the lock
    with RunLock(db) as lock:
        assert lock.acquire(("console",), NOW).pid == os.getpid()


def test_a_lock_folder_that_cannot_exist_is_an_unusable_database(tmp_path: Path) -> None:
    (tmp_path / "a_file.txt").write_text("x")
    db = tmp_path / "a_file.txt" / "sub" / "gridbot.db"
    with pytest.raises(StoreUnavailable), hold(db, ("console",), NOW):
        pass


# --- two real processes --------------------------------------------------------------------

def gridbot(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=ENV, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)


class Running:
    """``gridbot run --platform console`` with its stdin held open (so it keeps running)."""

    def __init__(self, *args: str, cwd: Path):
        self.proc = subprocess.Popen(
            # -v: on the console alone INFO lines are kept off the prompt, and we wait for one.
            [sys.executable, "-m", "bot", "-v", "run", "--platform", "console", *args], cwd=cwd, env=ENV,
            text=True, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {text!r} from gridbot run; it said:\n{''.join(seen)}") from None
            seen.append(line)
            if text in line:
                return

    def stop(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()  # end of input: the console adapter returns and the bot exits
        return self.proc.wait(30)


def test_second_gridbot_run_on_one_database_refuses_and_readers_keep_working(tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(BASE_TOML, encoding="utf-8")
    db = tmp_path / "new-folder" / "gridbot.db"
    common = ("--config", str(config), "--db", str(db))
    first = Running(*common, cwd=tmp_path)
    try:
        first.wait_for("gridbot running on")
        for second in (("run", "--platform", "console"), ("console", "--transcript", "-")):
            refused = gridbot(*second, *common, cwd=tmp_path)
            assert refused.returncode == 2, refused
            lines = refused.stderr.strip().splitlines()
            assert len(lines) == 1, refused.stderr
            assert str(first.proc.pid) in lines[0] and socket.gethostname() in lines[0]
            assert "已被另一个机器人使用" in lines[0]
        sent = gridbot("notice", "send", "--from", "hexi", "明天上午停水", *common, cwd=tmp_path)
        assert sent.returncode == 0 and "N1" in sent.stdout, sent
        out = tmp_path / "exports" / "ledger.csv"
        exported = gridbot("tickets", "export", "--out", str(out), *common, cwd=tmp_path)
        assert exported.returncode == 0, exported
        assert gridbot("notice", "report", "N1", *common, cwd=tmp_path).returncode == 0
        assert gridbot("groups", "tree", *common, cwd=tmp_path).returncode == 0
        assert gridbot("check", *common, cwd=tmp_path).returncode == 0
        checked = gridbot("doctor", *common, cwd=tmp_path)
        assert checked.returncode == 0 and f"机器人正在运行：进程 {first.proc.pid}" in checked.stdout, checked
        copy = tmp_path / "backups" / "copy.db"
        assert gridbot("backup", str(copy), *common, cwd=tmp_path).returncode == 0
        # Everything the running bot and the readers made is for the owner only.
        modes = {p.name: stat.S_IMODE(p.stat().st_mode)
                 for p in (db, db.with_name("gridbot.db-wal"), db.with_name("gridbot.db-shm"),
                           lock_path(db), out, copy)}
        assert modes == dict.fromkeys(modes, 0o600)
        assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    finally:
        code = first.stop()
    assert code == 0
    again = gridbot("console", "--transcript", "-", *common, cwd=tmp_path)
    assert again.returncode == 0, again  # the lock went with the first bot


def test_a_doctor_peeking_at_the_instant_a_bot_starts_does_not_refuse_it(tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    lock_path(db).write_text('{"pid": 999999, "host": "x", "started_at": "2026-01-01T00:00:00+00:00", '
                             '"platforms": []}')  # left by a crashed bot
    peek = os.open(lock_path(db), os.O_RDONLY)
    fcntl.flock(peek, fcntl.LOCK_SH)  # what probe() holds for an instant
    threading.Timer(0.1, os.close, (peek,)).start()
    with RunLock(db) as lock:
        assert lock.acquire(("console",), NOW).pid == os.getpid()


def test_a_gridbot_run_killed_with_sigkill_leaves_no_lock_behind(tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(BASE_TOML, encoding="utf-8")
    common = ("--config", str(config), "--db", str(tmp_path / "gridbot.db"))
    crashed = Running(*common, cwd=tmp_path)
    try:
        crashed.wait_for("gridbot running on")
    finally:
        crashed.proc.kill()
        crashed.proc.wait(10)
    assert str(crashed.proc.pid) in lock_path(tmp_path / "gridbot.db").read_text()
    after = gridbot("console", "--transcript", "-", *common, cwd=tmp_path)
    assert after.returncode == 0, after
