"""Regression: ``gridbot`` showed tracebacks for bad database paths and non-UTF-8 files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness import BASE_TOML

TRANSCRIPT = "幸福小区居民群|张阿姨|代买 大米一袋 5栋301\n"


def setup(tmp_path: Path, database: str | None = None) -> Path:
    text = BASE_TOML
    if database is not None:
        text = text.replace('[bot]\n', f'[bot]\ndatabase = "{database}"\n', 1)
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def gridbot(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def tickets_in(db: Path) -> int:
    if not db.exists():  # refused before the database was even opened
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


# --- 3. an unusable database path -------------------------------------------------------

def bad_databases(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "a_folder").mkdir()
    (tmp_path / "a_file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.db").write_text("这不是数据库，只是一段文字。" * 20, encoding="utf-8")
    return {
        "directory": tmp_path / "a_folder",
        "parent is a file": tmp_path / "a_file.txt" / "sub" / "gridbot.db",
        "not sqlite": tmp_path / "notes.db",
    }


COMMANDS = [
    (["check"], []),
    (["run"], []),
    (["console"], ["--transcript", "-"]),
    (["tickets", "export"], ["--format", "json"]),
    (["groups", "tree"], []),
    (["notice", "report"], ["N1"]),
    (["notice", "send"], ["--from", "hexi", "明天停水"]),
]


@pytest.mark.parametrize("case", ["directory", "parent is a file", "not sqlite"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[0]))
def test_unusable_database_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str,
                                             command: tuple[list[str], list[str]]) -> None:
    config = setup(tmp_path)
    db = bad_databases(tmp_path)[case]
    words, extra = command
    code, out, err = gridbot(capsys, *words, "--config", str(config), "--db", str(db), *extra)
    assert code == 2
    assert "Traceback" not in err and "Error" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(db) in lines[0] and "数据库" in lines[0], err


def test_database_from_the_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path, database="a_folder")
    (tmp_path / "a_folder").mkdir()
    code, _, err = gridbot(capsys, "check", "--config", str(config))
    assert code == 2 and str(tmp_path / "a_folder") in err and "文件夹" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root may write anywhere")
def test_database_in_a_read_only_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = gridbot(capsys, "check", "--config", str(config), "--db", str(locked / "g.db"))
    finally:
        locked.chmod(0o700)
    assert code == 2 and str(locked / "g.db") in err and "Traceback" not in err


# --- 4. transcripts that are not UTF-8, or missing -------------------------------------

def test_gbk_transcript_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    script = tmp_path / "对话.txt"
    script.write_bytes(TRANSCRIPT.encode("gbk"))
    code, out, err = gridbot(capsys, "console", "--config", str(config), "--transcript", str(script))
    assert code == 2
    assert str(script) in err and "UTF-8" in err and "另存为" in err
    assert "Traceback" not in err and out == ""
    assert tickets_in(tmp_path / "data" / "gridbot.db") == 0  # nothing was half-processed


def test_transcript_not_utf8_late_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    script = tmp_path / "t.txt"
    script.write_bytes(("# 注释\n" * 5000 + TRANSCRIPT).encode("utf-8") + "王大爷说：代买 米".encode("gbk"))
    code, out, err = gridbot(capsys, "console", "--config", str(config), "--transcript", str(script))
    assert code == 2 and str(script) in err and "UTF-8" in err and out == ""
    assert tickets_in(tmp_path / "data" / "gridbot.db") == 0


def test_utf8_bom_transcript_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    script = tmp_path / "t.txt"
    script.write_bytes(b"\xef\xbb\xbf" + TRANSCRIPT.encode("utf-8"))
    code, out, err = gridbot(capsys, "console", "--config", str(config), "--transcript", str(script))
    assert code == 0 and "已登记代办工单 E1" in out, err


def test_missing_transcript_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    missing = tmp_path / "nope.txt"
    code, _, err = gridbot(capsys, "console", "--config", str(config), "--transcript", str(missing))
    assert code == 2 and str(missing) in err and "Traceback" not in err


def test_gbk_transcript_on_stdin(tmp_path: Path) -> None:
    setup(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--transcript", "-"], cwd=tmp_path,
        input=TRANSCRIPT.encode("gbk"), capture_output=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"},
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "UTF-8" in err and "Traceback" not in err


def test_gbk_notice_file_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = setup(tmp_path)
    text = tmp_path / "通知.txt"
    text.write_bytes("明天上午九点全员核酸".encode("gbk"))
    code, _, err = gridbot(capsys, "notice", "send", "--config", str(config), "--from", "hexi",
                           "--file", str(text))
    assert code == 2 and str(text) in err and "UTF-8" in err and "Traceback" not in err


# --- 6. notice codes typed in full width --------------------------------------------------

@pytest.mark.parametrize("code", ["N1", "n1", "Ｎ１", "ｎ１", "１", " Ｎ1 "])
def test_full_width_notice_code(tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str) -> None:
    config = str(setup(tmp_path))
    sent, out, err = gridbot(capsys, "notice", "send", "--config", config, "--from", "hexi", "明天停水")
    assert sent == 0 and "已发布通知 N1" in out, err
    found, out, err = gridbot(capsys, "notice", "report", "--config", config, code)
    assert found == 0, err
    assert "N1" in out and "明天停水" in out
