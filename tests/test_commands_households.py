"""``gridbot households import|export`` through the real command line, as the IT volunteer runs it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import stat
from pathlib import Path

import openpyxl

from tests.test_console import gridbot

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "households.csv"


def setup(tmp_path: Path) -> Path:
    """A folder with the shipped bot.toml, as the README's commands assume."""
    shutil.copy(REPO / "bot.toml", tmp_path / "bot.toml")
    return tmp_path


def households(cwd: Path) -> dict[tuple[str, str], tuple[str, str, int, str, str]]:
    """(group, address key) -> (head, phone, members, tags, grid), read straight from the database."""
    with sqlite3.connect(cwd / "data" / "gridbot.db") as db:
        rows = db.execute("SELECT group_key, address_key, head, phone, members, tags, grid_key FROM households")
        return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_the_example_file_imports_and_a_second_import_updates(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    first = gridbot("households", "import", str(EXAMPLE), cwd=cwd)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "导入 8 户（新增 8，更新 0），跳过 0 行"
    saved = households(cwd)
    assert saved[("xingfu", "3-2-501")] == ("张建国", "13812345678", 3, "独居老人、慢病", "g1")
    assert saved[("xingfu", "3-2-502")][:2] == ("王秀英", "13812345679")  # 3号楼2单元502室
    assert saved[("xingfu", "5-1-101")][1] == "01062345678"            # full-width, a landline
    assert saved[("xingfu", "5-301")][3] == "孕产妇、婴幼儿"               # group given by key
    assert ("lijia", "3组-12") in saved and ("lijia", "3组-15") in saved
    again = gridbot("households", "import", str(EXAMPLE), cwd=cwd)
    assert again.stdout.strip() == "导入 8 户（新增 0，更新 8），跳过 0 行"
    assert len(households(cwd)) == 8
    audit = gridbot("audit", cwd=cwd).stdout
    assert audit.count("导入住户") == 2 and "新增 8" in audit


def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "h.csv").write_text(
        "group,address,head,phone,members,tags\n"
        "幸福小区居民群,3-2-501,张三,13812345678,2,\n"
        "不存在的群,3-2-502,李四,13812345679,1,\n"
        "幸福小区居民群,门卫室,王五,13812345670,1,\n"
        "幸福小区居民群,3-2-503,赵六,12345,1,\n"
        "幸福小区居民群,3号楼2单元501室,张三,13800000000,3,独居老人\n", encoding="utf-8")
    result = gridbot("households", "import", "h.csv", cwd=cwd)
    assert result.returncode == 1
    assert result.stdout.strip() == "导入 1 户（新增 1，更新 0），跳过 4 行"
    errors = result.stderr.splitlines()
    assert errors[0].startswith("第3行：没有名为「不存在的群」的群")
    assert errors[1].startswith("第4行：地址“门卫室”看不懂")
    assert errors[2].startswith("第5行：电话“12345”不是手机号")
    assert errors[3].startswith("第2行：与第6行是「幸福小区居民群」的同一户")
    assert households(cwd) == {("xingfu", "3-2-501"): ("张三", "13800000000", 3, "独居老人", "")}


def test_a_dry_run_counts_and_writes_nothing(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    gridbot("households", "import", str(EXAMPLE), cwd=cwd)
    (cwd / "more.csv").write_text("地址,户主,电话\n3-2-501,张建国,13812345678\n9-9-909,新住户,13811112222\n",
                                  encoding="utf-8")
    result = gridbot("households", "import", "more.csv", "--group", "幸福小区居民群", "--dry-run", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("演练：导入 2 户（新增 1，更新 1），跳过 0 行。没有写入数据库")
    assert len(households(cwd)) == 8 and "演练" not in gridbot("audit", cwd=cwd).stdout
    done = gridbot("households", "import", "more.csv", "--group", "xingfu", cwd=cwd)
    assert done.stdout.strip() == "导入 2 户（新增 1，更新 1），跳过 0 行"
    assert households(cwd)[("xingfu", "9-9-909")][0] == "新住户"


def test_gbk_and_xlsx_with_chinese_headers(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "gbk.csv").write_bytes("群,地址,户主,电话,人数,标签\n阳光花园居民群,1-1-101,赵磊,13700002222,5,慢病;残疾\n"
                                  .encode("gbk"))
    result = gridbot("households", "import", "gbk.csv", cwd=cwd)
    assert result.returncode == 0, result.stderr
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["群", "地址", "户主", "电话", "人数", "网格"])
    sheet.append(["李家村村民群", "李家村3组12号", "李大山", 13600003333, 6, "g9"])
    book.save(cwd / "h.xlsx")
    result = gridbot("households", "import", "h.xlsx", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert households(cwd) == {("yangguang", "1-1-101"): ("赵磊", "13700002222", 5, "慢病、残疾", ""),
                               ("lijia", "3组-12"): ("李大山", "13600003333", 6, "", "g9")}


def test_wrong_columns_an_unknown_group_option_and_a_missing_file(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "h.csv").write_text("名字,住在哪\n张三,3-2-501\n", encoding="utf-8")
    result = gridbot("households", "import", "h.csv", cwd=cwd)
    assert result.returncode == 2 and "表头缺少必需的列" in result.stderr and "找到的列：名字、住在哪" in result.stderr
    result = gridbot("households", "import", "h.csv", "--group", "没有这个群", cwd=cwd)
    assert result.returncode == 2 and "没有名为「没有这个群」的群" in result.stderr
    result = gridbot("households", "import", "nowhere.csv", cwd=cwd)
    assert result.returncode == 2 and "找不到文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_in_every_format_reads_back(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    gridbot("households", "import", str(EXAMPLE), cwd=cwd)
    out = gridbot("households", "export", cwd=cwd)
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout.removeprefix("\ufeff"))))
    assert rows[0] == ["群", "地址", "户主", "电话", "人数", "标签", "网格"] and len(rows) == 9
    assert ["幸福小区居民群", "3-2-501", "张建国", "13812345678", "3", "独居老人、慢病", "g1"] in rows
    out = gridbot("households", "export", "--format", "json", "--group", "yangguang", cwd=cwd)
    items = json.loads(out.stdout)
    assert [i["head"] for i in items] == ["赵磊", "孙丽"] and items[1]["tags"] == ["慢病"]
    result = gridbot("households", "export", "--format", "xlsx", "--out", "x/h.xlsx", "--group", "东城街道工作群",
                     cwd=cwd)
    assert result.returncode == 0 and "已导出 8 户" in result.stderr
    assert stat.S_IMODE((cwd / "x" / "h.xlsx").stat().st_mode) == 0o600
    sheet = openpyxl.load_workbook(cwd / "x" / "h.xlsx").active
    assert sheet.max_row == 9
    # What was exported imports again as the same households.
    again = gridbot("households", "import", "x/h.xlsx", cwd=cwd)
    assert again.stdout.strip() == "导入 8 户（新增 0，更新 8），跳过 0 行"
    assert "需要用 --out" in gridbot("households", "export", "--format", "xlsx", cwd=cwd).stderr
    assert gridbot("audit", cwd=cwd).stdout.count("住户登记") == 3
