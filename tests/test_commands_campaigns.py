"""``gridbot campaigns report C1 --format json|csv|xlsx`` through ``bot.cli.main``."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from tests.campaign_setup import GROUP, link, register
from tests.harness import Bot


async def populate(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    try:
        await register(bot)
        await link(bot, "王阿姨", "3-2-503")
        await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做 截止 18:00")
        await bot.say(GROUP, "a", "3-2-501 已做 3人")
        await bot.say(GROUP, "王阿姨", "没做")
        await bot.say("@", "李书记", "投票 选楼长 选项 张三 李四")
        await bot.say(GROUP, "王阿姨", "C2 李四")
    finally:
        await bot.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    asyncio.run(populate(tmp_path))
    return tmp_path / "gridbot.db"


def gridbot(db: Path, *args: str) -> int:
    return main(["campaigns", "report", "--config", str(db.parent / "bot.toml"), "--db", str(db), *args])


def test_json_has_the_counts_and_every_missing_household(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gridbot(db, "C1") == 0
    assert json.loads(capsys.readouterr().out) == {
        "code": "C1", "title": "核酸检测", "households": 4, "answered": 2,
        "options": {"已做": 1, "未做": 1},
        "missing": [{"address": "3栋2单元502", "head": "李四", "phone": "13812345672"},
                    {"address": "3栋2单元504", "head": "赵六", "phone": "13812345674"}]}


def test_csv_and_xlsx_list_every_household_and_keep_a_secret_vote_secret(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gridbot(db, "Ｃ１", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert rows[0][:5] == ["group", "address", "head", "phone", "answer"]
    assert rows[1][:6] == ["xingfu", "3栋2单元501", "张三", "13812345671", "已做", "3"]
    assert [r[4] for r in rows[1:]] == ["已做", "", "未做", ""]
    out = tmp_path / "c2.xlsx"
    assert gridbot(db, "C2", "--format", "xlsx", "--out", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(values_only=True)}
    assert summary["编号"] == "C2" and summary["李四"] == 1 and summary["张三"] == 0
    answers = [r[4] for r in wb["住户"].iter_rows(min_row=2, values_only=True)]
    assert "已投票" in answers and "李四" not in answers


def test_bad_codes_and_missing_out_are_explained(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gridbot(db, "C9") == 1
    assert "没有找到 C9" in capsys.readouterr().err
    assert gridbot(db, "核酸") == 2
    assert "不是接龙编号" in capsys.readouterr().err
    assert gridbot(db, "C1", "--format", "xlsx") == 2
    assert "xlsx 需要用 --out" in capsys.readouterr().err
