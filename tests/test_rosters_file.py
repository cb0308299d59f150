"""Reading roster spreadsheets: Excel's own date and time cells, GBK CSV, Chinese or English headers."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from bot.rosters_file import RosterFileError, RosterRow, read_roster
from tests.harness import make_config
from tests.test_rosters import TOML

TODAY = date(2026, 11, 23)


def test_excel_dates_and_times_as_excel_stores_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["checkpoint", "date", "start", "end", "volunteer", "contact"])
    sheet.append(["north", datetime(2026, 11, 27), time(8, 0), time(16, 0), "王小明", 13800138000])
    sheet.append(["南门卡点", "11月28日", "22:00", "6:00", "赵六", "zhao6"])
    book.save(tmp_path / "r.xlsx")
    rows = list(read_roster(tmp_path / "r.xlsx", make_config(tmp_path, TOML), TODAY))
    assert rows == [
        RosterRow(2, "north", date(2026, 11, 27), "08:00", "16:00", "08:00-16:00", "王小明", "13800138000", ""),
        RosterRow(3, "south", date(2026, 11, 28), "22:00", "06:00", "22:00-06:00", "赵六", "", "zhao6"),
    ]


def test_gbk_csv_with_chinese_headers_and_a_bad_line(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_bytes(
        "卡点,日期,开始时间,结束时间,志愿者,电话\n北门卡点,明天,08:00,24:00,王小明,\n北门卡点,明天,25:00,08:00,张三,\n"
        .encode("gb18030"))
    rows = list(read_roster(tmp_path / "r.csv", make_config(tmp_path, TOML), TODAY))
    assert isinstance(rows[0], RosterRow) and (rows[0].day, rows[0].end) == (date(2026, 11, 24), "24:00")
    assert rows[1] == "第3行：开始时间「25:00」应写成 08:00。"


def test_files_that_cannot_be_used(tmp_path: Path) -> None:
    config = make_config(tmp_path, TOML)
    with pytest.raises(RosterFileError, match="找不到文件"):
        list(read_roster(tmp_path / "none.csv", config, TODAY))
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(RosterFileError, match="文件是空的"):
        list(read_roster(tmp_path / "empty.csv", config, TODAY))
    (tmp_path / "bad.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(RosterFileError, match="无法打开表格文件"):
        list(read_roster(tmp_path / "bad.xlsx", config, TODAY))
