"""``gridbot roster import|export`` and ``gridbot picklist`` through the real command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from tests.harness import BASE_TOML, TZ
from tests.test_console import gridbot

TOML = BASE_TOML + """
[[checkpoints]]
key = "north"
name = "北门卡点"
group = "xingfu"
leads = ["卡点组长老周"]
shifts = [{ name = "早班", start = "08:00", end = "16:00", people = ["王小明"] }]
"""
TOMORROW = (datetime.now(TZ).date() + timedelta(days=1)).isoformat()


def setup(tmp_path: Path) -> Path:
    (tmp_path / "bot.toml").write_text(TOML, encoding="utf-8")
    return tmp_path


def duties(cwd: Path) -> list[tuple[str, str, str, str, str, str, str]]:
    with sqlite3.connect(cwd / "data" / "gridbot.db") as db:
        return list(db.execute(
            """SELECT s.day, s.name, s.start_hm, s.end_hm, d.name, d.user_id, d.phone FROM roster_duties d
               JOIN roster_shifts s ON s.id = d.shift_id ORDER BY s.day, s.start_hm, d.name"""))


def test_roster_import_reports_bad_lines_and_replaces_the_days_fixed_shifts(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "r.csv").write_text(
        "卡点,日期,开始,结束,姓名,联系方式,班次\n"
        f"北门卡点,{TOMORROW},08:00,16:00,王小明,,早班\n"
        f"北门,{TOMORROW},16:00,24:00,张三,13800138000,中班\n"
        f"北门卡点,{TOMORROW},22:00,06:00,李四,10086,\n"
        f"西门卡点,{TOMORROW},08:00,16:00,赵六,,\n"
        "北门卡点,下周三,8点,16:00,,,\n", encoding="utf-8")
    first = gridbot("roster", "import", "r.csv", cwd=cwd)
    assert first.returncode == 1, first.stderr
    assert first.stdout.strip() == "导入排班 3 人次（新增 3，已有 0），新班次 3 个，跳过 2 行"
    assert first.stderr.splitlines() == [
        "第5行：没有「西门卡点」这个卡点（bot.toml 里的卡点：北门卡点）。",
        "第6行：日期「下周三」看不懂，日期写 2026-11-26、11-26、11月26日 或 今天/明天；开始时间「8点」应写成 08:00；没有填姓名。",
    ]
    assert duties(cwd) == [
        (TOMORROW, "早班", "08:00", "16:00", "王小明", "", ""),
        (TOMORROW, "中班", "16:00", "24:00", "张三", "", "13800138000"),
        (TOMORROW, "22:00-06:00", "22:00", "06:00", "李四", "10086", ""),
    ]
    again = gridbot("roster", "import", "r.csv", cwd=cwd)
    assert again.stdout.strip() == "导入排班 3 人次（新增 0，已有 3），新班次 0 个，跳过 2 行"
    assert len(duties(cwd)) == 3
    assert "导入排班" in gridbot("audit", cwd=cwd).stdout
    out = gridbot("roster", "export", "--out", "排班.xlsx", "--from", TOMORROW, "--to", TOMORROW, cwd=cwd)
    assert out.returncode == 0, out.stderr
    rows = list(openpyxl.load_workbook(cwd / "排班.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == ("卡点", "日期", "开始", "结束", "姓名", "联系方式", "班次", "到岗时间")
    assert ("北门卡点", TOMORROW, "22:00", "06:00", "李四", "10086", "22:00-06:00", None) in rows
    # The export reads back in as the same roster.
    book = openpyxl.load_workbook(cwd / "排班.xlsx")
    book.save(cwd / "back.xlsx")
    back = gridbot("roster", "import", "back.xlsx", cwd=cwd)
    assert back.stdout.strip() == "导入排班 3 人次（新增 0，已有 3），新班次 0 个，跳过 0 行"


def test_roster_import_of_an_unusable_file(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "r.csv").write_text("name,phone\n王小明,1\n", encoding="utf-8")
    bad = gridbot("roster", "import", "r.csv", cwd=cwd)
    assert bad.returncode == 2
    assert bad.stderr.startswith("没有导入：表头缺少必需的列：卡点、日期、开始、结束。")
    assert gridbot("roster", "import", "r.json", cwd=cwd).stderr.startswith("没有导入：不支持 .json 文件")


def test_picklist_json_and_xlsx(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "t.txt").write_text(
        "幸福小区居民群|张阿姨|代买 大米一袋、鸡蛋两斤 3栋2单元501\n"
        "幸福小区居民群|陈伯|代買 青菜一把 三號樓2單元302 電話13812345678\n"
        "幸福小区居民群|王叔|代买 牛奶两箱 5号楼1单元201\n", encoding="utf-8")
    assert gridbot("console", "--transcript", "t.txt", cwd=cwd).returncode == 0
    printed = gridbot("picklist", "--group", "xingfu", "--format", "json", cwd=cwd)
    assert printed.returncode == 0, printed.stderr
    data = json.loads(printed.stdout)
    assert [b["building"] for b in data] == ["3栋", "5栋"]
    assert data[0]["households"][0] == {"address": "3栋2单元302", "name": "陈伯", "phone": "13812345678",
                                        "items": ["青菜一把"], "tickets": ["E2"]}
    made = gridbot("picklist", "--group", "幸福小区居民群", "--format", "xlsx", cwd=cwd)
    assert made.returncode == 0, made.stderr
    path = cwd / "data" / "reports" / f"picklist-xingfu-{datetime.now(TZ).date().isoformat()}.xlsx"
    assert openpyxl.load_workbook(path).active["A3"].value == "3栋（2 户）"
    assert path.stat().st_mode & 0o077 == 0
    none = gridbot("picklist", "--group", "xingfu", "--date", TOMORROW, "--format", "json", cwd=cwd)
    assert none.returncode == 1 and none.stdout == ""
    assert none.stderr.strip() == f"{TOMORROW} 幸福小区居民群没有待配送的买菜代办，没有生成配菜单。"
    assert gridbot("picklist", "--group", "nope", cwd=cwd).returncode == 2
