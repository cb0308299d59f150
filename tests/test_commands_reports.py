"""``gridbot digest``: the console's 日报 and the command line print the same figures; --send queues once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness import BASE_TOML

DAY = ("幸福小区居民群|张阿姨|代买 大米一袋 3栋501\n@|李书记|接单 E1\n@|李书记|完成 E1\n"
       "幸福小区居民群|张阿姨|评价 E1 2 太慢了\n阳光花园居民群|王大爷|求证 明天停水\n@|刘主任|日报\n")


def gridbot(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A day run through ``gridbot console``, the township owner asking for 日报 at the end."""
    cwd = tmp_path_factory.mktemp("digest")
    (cwd / "bot.toml").write_text(BASE_TOML, encoding="utf-8")
    result = gridbot("console", "--transcript", "-", cwd=cwd, stdin=DAY)
    assert result.returncode == 0, result.stderr
    (cwd / "console.txt").write_text(result.stdout, encoding="utf-8")
    return cwd


def test_the_console_owner_and_the_command_line_see_the_same_day(district: Path) -> None:
    console = (district / "console.txt").read_text(encoding="utf-8")
    assert "@刘主任|【工作日报】东城街道群 · " in console and "E1 幸福小区居民群 2 分「太慢了」" in console
    result = gridbot("digest", "daily", "--group", "东城街道群", "--format", "json", cwd=district)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    total = report["total"]
    assert report["title"] == "东城街道群" and report["period"]["partial"] is True
    assert total["filed"] == {"errand": {"groceries": 1}, "rumor": {"claim": 1}}
    assert total["done"] == {"errand": {"groceries": 1}} and total["open"] == {"rumor": 1}
    assert total["ratings"]["count"] == 1 and total["ratings"]["lowest"][0]["comment"] == "太慢了"
    assert [line["name"] for line in report["lines"]] == ["幸福小区居民群", "阳光花园居民群"]
    text = gridbot("digest", "daily", cwd=district)
    assert text.returncode == 0 and text.stdout.startswith("【工作日报】全部（按街道） · ")


def _cli(capsys: pytest.CaptureFixture[str], cwd: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--config", str(cwd / "bot.toml")])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("args", "code", "said"), [
    (("daily", "--group", "不存在"), 2, "没有名为「不存在」的群：--group 写群的 key 或完整群名"),
    (("daily", "--at", "2026-02-30"), 2, "--at 2026-02-30：没有 2026-02-30 这一天。"),
    (("monthly", "--at", "2020-01"), 1, "2020年1月 没有任何记录：最早的记录在 "),
    (("ranking", "--at", "2020-01"), 1, "2020年1月没有可排名的数据"),
])
def test_bad_input_exits_with_one_chinese_line(capsys: pytest.CaptureFixture[str], district: Path,
                                               args: tuple[str, ...], code: int, said: str) -> None:
    got, out, err = _cli(capsys, district, "digest", *args)
    assert (got, out) == (code, "") and err.startswith(said), err


def test_send_queues_every_report_once_for_the_running_bot(capsys: pytest.CaptureFixture[str],
                                                           district: Path) -> None:
    code, out, _ = _cli(capsys, district, "digest", "weekly", "--send")
    # Staff and the four owners (the district owner is staff too: one report each).
    assert code == 0 and out.startswith("已排队 4 条报表（共 4 个私聊")
    assert _cli(capsys, district, "digest", "weekly", "--send")[1].startswith("已排队 0 条报表")
    code, out, _ = _cli(capsys, district, "digest", "ranking", "--at", "本月", "--send")
    assert code == 0 and out.startswith("已排队 3 条")  # two groups and the staff member
    with sqlite3.connect(district / "data" / "gridbot.db") as con:
        rows = con.execute("SELECT chat_id, text FROM outbox WHERE status = 'pending' AND "
                           "dedupe_key LIKE 'ranking:%' ORDER BY id").fetchall()
    groups = {chat: text for chat, text in rows if not chat.startswith("@")}
    assert set(groups) == {"幸福小区居民群", "阳光花园居民群"}
    assert all("太慢" not in text and "张阿姨" not in text for text in groups.values())
