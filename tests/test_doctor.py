"""``gridbot doctor`` offline: a good install passes, each broken part is named, nothing changes."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.runlock import RunLock
from bot.store.maintenance import shipped_schema_version
from bot.store.sqlite.base import _migrations
from tests.harness import BASE_TOML

NOW = datetime(2026, 11, 25, 20, 1, 3, tzinfo=ZoneInfo("Asia/Shanghai"))


def install(tmp_path: Path, toml: str = BASE_TOML, *, ready: bool = True) -> list[str]:
    """A config and (when ready) a migrated database with one ticket; the common arguments."""
    (tmp_path / "bot.toml").write_text(toml, encoding="utf-8")
    args = ["--config", str(tmp_path / "bot.toml"), "--db", str(tmp_path / "data" / "gridbot.db")]
    if ready:
        script = tmp_path / "t.txt"
        script.write_text("幸福小区居民群|张阿姨|代买 大米一袋 5栋301\n", encoding="utf-8")
        assert main(["console", "--transcript", str(script), *args]) == 0
    return args


def doctor(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["doctor", *args])
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    lines = out.strip().splitlines()
    assert all(line[0] in "✓!✗" for line in lines[:-1]), out
    return code, lines


def marked(lines: list[str], mark: str) -> list[str]:
    return [line for line in lines if line.startswith(mark)]


def test_a_good_install_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = doctor(capsys, install(tmp_path))
    assert code == 0 and marked(lines, "✗") == []
    text = "\n".join(lines)
    for fact in ("完整性检查通过，工单 1 张", f"第 {shipped_schema_version()} 版", "仅本人可读写（0600）",
                 "仅本人可进入（0700）", "磁盘还剩", "没有机器人在使用", "4 个群都有群主", "控制台"):
        assert fact in text, text
    assert lines[-1].startswith("可以运行")


def test_a_running_bot_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path)
    with RunLock(tmp_path / "data" / "gridbot.db") as lock:
        me = lock.acquire(("telegram",), NOW)
        code, lines = doctor(capsys, args)
    running = [line for line in lines if "机器人正在运行" in line]
    assert code == 0 and running and running[0].startswith("✓")
    assert f"进程 {me.pid}" in running[0] and me.host in running[0] and "2026-11-25 20:01:03" in running[0]


def test_a_file_that_is_not_a_database_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path, ready=False)
    (tmp_path / "data").mkdir(mode=0o700)
    (tmp_path / "data" / "gridbot.db").write_text("这不是数据库。" * 200, encoding="utf-8")
    (tmp_path / "data" / "gridbot.db").chmod(0o600)
    code, lines = doctor(capsys, args)
    assert code == 1
    assert any("无法打开" in line and "不是 SQLite 数据库" in line for line in marked(lines, "✗")), lines
    assert "需要处理" in lines[-1]


def test_damaged_pages_fail_the_integrity_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path)
    db = tmp_path / "data" / "gridbot.db"
    with closing(sqlite3.connect(db)) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(db.read_bytes())
    for n in range(2, pages, 2):  # scribble over every other page after the first
        data[n * page + 8: n * page + 200] = b"\xa5" * 192
    db.write_bytes(bytes(data))
    code, lines = doctor(capsys, args)
    assert code == 1
    failed = marked(lines, "✗")
    assert failed and any("数据库" in line and "备份" in line for line in failed), lines


def test_wide_modes_are_warned_about_but_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path)
    (tmp_path / "data" / "gridbot.db").chmod(0o644)
    (tmp_path / "data").chmod(0o757)
    code, lines = doctor(capsys, args)
    assert code == 0
    warned = "\n".join(marked(lines, "!"))
    assert "gridbot.db（0644）" in warned and "chmod 600" in warned
    assert "0757" in warned and "删除或替换" in warned and "chmod 700" in warned
    assert (tmp_path / "data" / "gridbot.db").stat().st_mode & 0o777 == 0o644  # doctor only looks


def test_missing_database_and_old_schema_are_warnings_and_doctor_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path, ready=False)
    code, lines = doctor(capsys, args)
    assert code == 0 and any("还不存在" in line for line in marked(lines, "!"))
    assert not (tmp_path / "data" / "gridbot.db").exists()
    args = install(tmp_path)
    db = tmp_path / "data" / "gridbot.db"
    latest = shipped_schema_version()
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("DELETE FROM schema_version WHERE version = ?", (latest,))
        conn.commit()
    code, lines = doctor(capsys, args)
    assert code == 0 and any("自动升级" in line for line in marked(lines, "!"))
    with closing(sqlite3.connect(db)) as conn:  # doctor did not migrate it
        previous = [v for v, _, _ in _migrations()][-2]  # numbers may have gaps
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == previous
        conn.execute("INSERT INTO schema_version VALUES (?, '2030-01-01'), (?, '2030-01-01')",
                     (latest, latest + 1))
        conn.commit()
    code, lines = doctor(capsys, args)
    assert code == 1 and any("请先升级 Gridbot" in line for line in marked(lines, "✗"))


def test_groups_without_owners_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = BASE_TOML.replace('owners = ["陈网格员"]\n', "")
    code, lines = doctor(capsys, install(tmp_path, toml))
    assert code == 0
    assert any("没有群主" in line and "阳光花园居民群" in line for line in marked(lines, "!")), lines


def test_a_broken_config_is_the_first_failed_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = install(tmp_path, BASE_TOML.replace("[bot]", "[bot]\nplatfroms = 1"), ready=False)
    code, lines = doctor(capsys, args)
    assert code == 1 and lines[0].startswith("✗ 配置文件") and "platfroms" in lines[0]


TELEGRAM = BASE_TOML.replace('platforms = ["console"]', 'platforms = ["console", "telegram"]').replace(
    "[staff]", '[telegram]\ntoken_env = "DOCTOR_TEST_TOKEN"\n\n[staff]')


def test_a_missing_telegram_token_names_the_variable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCTOR_TEST_TOKEN", raising=False)
    code, lines = doctor(capsys, install(tmp_path, TELEGRAM, ready=False))
    assert code == 1
    assert any("Telegram" in line and "DOCTOR_TEST_TOKEN" in line for line in marked(lines, "✗")), lines


def test_an_unreachable_telegram_api_fails_without_showing_the_token(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456:SECRET-doctor-token-abcdefghijklmn"
    monkeypatch.setenv("DOCTOR_TEST_TOKEN", token)
    with closed_port() as port:
        toml = TELEGRAM.replace("[telegram]", f'[telegram]\nbase_url = "http://127.0.0.1:{port}"')
        code, lines = doctor(capsys, install(tmp_path, toml, ready=False))
    assert code == 1 and any("连不上" in line for line in marked(lines, "✗")), lines
    assert token not in "\n".join(lines) and "SECRET" not in "\n".join(lines)


WECHAT = BASE_TOML.replace('platforms = ["console"]', 'platforms = ["console", "wechat"]').replace(
    "[staff]", '[wechat]\nendpoint_env = "DOCTOR_WX_ENDPOINT"\ntoken_env = "DOCTOR_WX_TOKEN"\n\n[staff]')


def test_wechat_gateway_reachable_or_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = install(tmp_path, WECHAT, ready=False)
    monkeypatch.delenv("DOCTOR_WX_ENDPOINT", raising=False)
    monkeypatch.setenv("DOCTOR_WX_TOKEN", "wx-secret-token")
    code, lines = doctor(capsys, args)
    assert code == 1 and any("DOCTOR_WX_ENDPOINT" in line for line in marked(lines, "✗")), lines
    with closed_port() as port:
        monkeypatch.setenv("DOCTOR_WX_ENDPOINT", f"127.0.0.1:{port}")
        code, lines = doctor(capsys, args)
    assert code == 1 and any("连不上网关" in line for line in marked(lines, "✗")), lines
    with not_a_gateway() as port:  # something listens there, but it does not speak gRPC
        monkeypatch.setenv("DOCTOR_WX_ENDPOINT", f"127.0.0.1:{port}")
        code, lines = doctor(capsys, args)
    assert code == 1 and any("没有正常应答" in line for line in marked(lines, "✗")), lines
    assert "wx-secret-token" not in "\n".join(lines)


@contextmanager
def not_a_gateway() -> Iterator[int]:
    """A TCP server that hangs up on every connection."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            with contextlib.suppress(OSError):
                conn, _ = server.accept()
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        done.set()
        thread.join(5)
        server.close()


class closed_port:  # noqa: N801 - used like a function
    """A port nothing listens on (bound, then closed)."""

    def __enter__(self) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        pass



@pytest.mark.parametrize(("free", "total", "warned"), [
    (0.5, 100, True),   # under 1 GiB
    (4, 100, True),     # under 5 % of the disk
    (20, 100, False),
])
def test_low_disk_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               free: float, total: float, warned: bool) -> None:
    from bot import doctor

    gib = 1 << 30
    usage = SimpleNamespace(total=int(total * gib), used=int((total - free) * gib), free=int(free * gib))
    monkeypatch.setattr("bot.doctor.shutil.disk_usage", lambda _: usage)
    check = doctor.disk_check(tmp_path / "gridbot.db")
    assert (check.mark == "!") is warned and f"{free:.1f} GiB" in check.text
