"""``gridbot purge [--dry-run]`` and ``gridbot audit`` through ``bot.cli.main``, as an operator types them."""

from __future__ import annotations

import asyncio
import csv
import getpass
import io
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness import TZ, Bot, Clock
from tests.retention_setup import CLOSED, answered_campaigns, checkins

VILLAGE = "幸福小区居民群"


async def populate(tmp_path: Path) -> None:
    """Two requests 200 days ago (on real time: the CLI uses the clock); one closed since."""
    bot = await Bot.start(tmp_path, clock=Clock(datetime.now(TZ) - timedelta(days=200)))
    try:
        await bot.say(VILLAGE, "张阿姨", "代买 胰岛素 5栋301 电话13812345678")
        await bot.say(VILLAGE, "王大爷", "代买 大米 7栋102")
        await bot.say("@", "李书记", "完成 E1")
    finally:
        await bot.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    asyncio.run(populate(tmp_path))  # sync: the CLI runs its own event loop
    return tmp_path / "gridbot.db"


def gridbot(db: Path, *args: str) -> int:
    return main([*args[:1], *(["export"] if args[0] == "tickets" else []),
                 "--config", str(db.parent / "bot.toml"), "--db", str(db), *args[1:]])


def snapshot(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT text, sender_name FROM messages ORDER BY id").fetchall()
                + conn.execute("SELECT text, address FROM tickets ORDER BY id").fetchall()
                + conn.execute("SELECT text, mentions FROM outbox ORDER BY id").fetchall())


def test_dry_run_changes_nothing_and_reports_what_purge_then_does(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(db)
    assert gridbot(db, "purge", "--dry-run") == 0
    dry = capsys.readouterr().out
    assert snapshot(db) == before
    assert any("13812345678" in str(row) for row in before)  # the owner's push, for one
    assert "将删除 3 条消息的原文" in dry and "以及 6 条机器人已发出消息的存档内容" in dry and "将隐去 1 张已办结工单的电话、身份证号和地址" in dry
    assert "没有做任何更改" in dry
    cut = (datetime.now(TZ) - timedelta(days=30)).strftime("%Y-%m-%d")
    assert f"（{cut} " in dry  # the cut-off date is shown
    assert gridbot(db, "purge") == 0
    done = capsys.readouterr().out
    assert done.splitlines() == [line.replace("将删除", "已删除").replace("将隐去", "已隐去")
                                 for line in dry.splitlines() if not line.startswith("（演练")]
    assert not any("13812345678" in str(row) for row in snapshot(db))
    assert gridbot(db, "purge", "--dry-run") == 0
    assert "将删除 0 条" in capsys.readouterr().out


def test_audit_lists_purges_and_exports_newest_first(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gridbot(db, "purge") == 0
    assert gridbot(db, "tickets", "--format", "csv", "--out", str(tmp_path / "t.csv")) == 0
    capsys.readouterr()
    assert gridbot(db, "audit") == 0
    lines = capsys.readouterr().out.splitlines()
    me = f"命令行（cli:{getpass.getuser()}）"
    assert f"{me} 导出台账 工单台账 csv：导出 2 张工单到 {tmp_path / 't.csv'}" in lines[0]
    assert f"{me} 清理过期数据 [privacy]：删除消息原文 3 条、发出存档 6 条" in lines[1] and len(lines) == 2

    assert gridbot(db, "audit", "--format", "json", "--limit", "1") == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["action"] == "export" and entry["actor_id"] == getpass.getuser()
    assert gridbot(db, "audit", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["action_label"] for r in rows] == ["导出台账", "清理过期数据"]
    tomorrow = (datetime.now(TZ) + timedelta(days=1)).strftime("%Y-%m-%d")
    assert gridbot(db, "audit", "--since", tomorrow) == 0
    out, err = capsys.readouterr()
    assert out == "" and "审计记录为空" in err


async def populate_campaigns(tmp_path: Path) -> None:
    """Campaigns answered and closed 200 days ago; check-ins of days up to 40 days back."""
    bot = await Bot.start(tmp_path, clock=Clock(datetime.now(TZ) - timedelta(days=200)))
    try:
        await answered_campaigns(bot)
        bot.clock.now = datetime.now(TZ)
        await checkins(bot, (0, 1, 29, 30, 31, 40))
    finally:
        await bot.close()


def answers(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT * FROM campaign_answers ORDER BY campaign_id, voter").fetchall()
                + conn.execute("SELECT day FROM care_checkins ORDER BY day").fetchall())


def reports(db: Path, capsys: pytest.CaptureFixture[str]) -> list[object]:
    """``gridbot campaigns report`` of each closed campaign: the JSON, and the CSV's answer columns."""
    out: list[object] = []
    for code in CLOSED:
        for fmt in ("json", "csv"):
            assert main(["campaigns", "report", "--config", str(db.parent / "bot.toml"), "--db", str(db),
                         code, "--format", fmt]) == 0
            text = capsys.readouterr().out
            out.append(json.loads(text) if fmt == "json" else
                       [row[4:6] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))])
    return out


def test_purge_anonymises_old_campaign_answers_and_deletes_old_checkins_counts_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(populate_campaigns(tmp_path))
    db = tmp_path / "gridbot.db"
    before, kept = reports(db, capsys), answers(db)
    assert any("王阿姨" in str(row) for row in kept)
    assert gridbot(db, "purge", "--dry-run") == 0
    dry = capsys.readouterr().out
    assert answers(db) == kept
    assert "将隐去 6 条接龙/报名/投票回复的姓名、地址和账号" in dry
    assert "将删除 2 条平安问询记录" in dry and "今天和昨天的总是保留" in dry
    assert gridbot(db, "purge") == 0
    done = capsys.readouterr().out
    assert "已隐去 6 条接龙/报名/投票回复" in done and "已删除 2 条平安问询记录" in done
    after = answers(db)
    assert not any("王阿姨" in str(row) or "刘叔" in str(row) for row in after if row[0] != 4)
    assert len(after) == len(kept) - 2
    assert reports(db, capsys) == before  # the same counts, options and missing households
    assert gridbot(db, "purge", "--dry-run") == 0  # a second run has nothing left to do
    again = capsys.readouterr().out
    assert "将隐去 0 条接龙" in again and "将删除 0 条平安问询记录" in again
    assert gridbot(db, "purge") == 0 and answers(db) == after
    capsys.readouterr()
    assert gridbot(db, "audit") == 0
    audit = capsys.readouterr().out
    assert "隐去接龙回复 6 条的姓名/地址/账号" in audit and "删除平安问询记录 2 条" in audit


@pytest.mark.parametrize("args,why", [
    (("--since", "上个月"), "--since 的日期「上个月」看不懂"),
    (("--limit", "0"), "--limit 应是正整数"),
])
def test_bad_audit_options_are_explained(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, str], why: str
) -> None:
    assert gridbot(db, "audit", *args) == 2
    assert why in capsys.readouterr().err
