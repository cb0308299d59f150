"""bot/household_file.py: real CSV, XLSX and JSON files under tmp_path, good and bad."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bot.household_file import (
    HouseholdFileError,
    HouseholdRow,
    RowError,
    iter_households,
    normalise_phone,
    read_households,
    write_households,
)

HEADER = "group,address,head,phone,members,tags,grid"
BODY = [
    "阳光花园群,3栋2单元501,张阿姨,138 0013 8000,3,独居老人、慢性病,一网格",
    "阳光花园群,5-301,李大爷,010-12345678,,孕妇;行动不便,二网格",
]


def _csv(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "h.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _check_two_good(parsed_rows: list[HouseholdRow]) -> None:
    first, second = parsed_rows
    assert first == HouseholdRow(2, "阳光花园群", "3栋2单元501", "3-2-501", "张阿姨", "13800138000", 3,
                                 ("独居老人", "慢性病"), "一网格")
    assert (second.address_key, second.phone, second.members, second.tags) == (
        "5-301", "01012345678", 1, ("孕妇", "行动不便"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_saves(tmp_path: Path, encoding: str) -> None:
    parsed = read_households(_csv(tmp_path, [HEADER, *BODY], encoding), default_group=None)
    assert parsed.errors == [] and parsed.notes == []
    _check_two_good(parsed.rows)


def test_gbk_file_with_a_utf8_looking_start_is_still_gbk(tmp_path: Path) -> None:
    rows = [HEADER] + [f"群,{i}-2-501,户主{i},,1,," for i in range(1, 3000)] + ["群,3-2-502,张三,,1,,"]
    parsed = read_households(_csv(tmp_path, rows, "gbk"), default_group=None)
    assert parsed.errors == [] and parsed.rows[-1].head == "张三"


def test_xlsx_first_sheet_with_numbers_as_excel_stores_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["阳光花园群", "3栋2单元501", "张阿姨", 13800138000, 3, "独居老人，慢性病", "一网格"])
    sheet.append(["阳光花园群", "5-301", "李大爷", "010-12345678", None, "孕妇；行动不便", "二网格"])
    book.create_sheet("别的表").append(["不读这张"])
    path = tmp_path / "h.xlsx"
    book.save(path)
    parsed = read_households(path, default_group=None)
    assert parsed.errors == []
    _check_two_good(parsed.rows)


def test_chinese_headers_in_any_order_and_default_group(tmp_path: Path) -> None:
    path = _csv(tmp_path, ["户主,地址,电话,人数,备注", "张阿姨,三号楼二单元501,13800138000,2人,随便写"])
    [row] = read_households(path, default_group="阳光花园群").rows
    assert (row.group, row.address_key, row.members, row.tags, row.grid) == ("阳光花园群", "3-2-501", 2, (), "")


def test_missing_columns_one_clear_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, ["名字,电话", "张阿姨,13800138000"])
    with pytest.raises(HouseholdFileError) as e:
        read_households(path, default_group=None)
    msg = str(e.value)
    assert "缺少必需的列" in msg and "群（group）" in msg and "地址（address）" in msg and "户主（head）" in msg
    assert "找到的列：名字、电话" in msg and "群,地址,户主" in msg
    with pytest.raises(HouseholdFileError, match="地址（address）"):  # group is not needed with a default
        read_households(path, default_group="阳光花园群")


@pytest.mark.parametrize(("cells", "said"), [
    ("群,3-2-501,张,12345,1,,", "电话“12345”不是手机号或座机号"),
    ("群,3-2-501,张,1380013800,1,,", "手机写 11 位"),
    ("群,3-2-501,张,,0,,", "人数“0”不对"),
    ("群,3-2-501,张,,三个,,", "请填 1 以上的整数"),
    ("群,3-2-501,张,,-2,,", "人数“-2”不对"),
    ("群,我家楼下,张,,1,,", "地址“我家楼下”看不懂，请写成 3-2-501"),
    ("群,,张,,1,,", "没有填地址"),
    (",3-2-501,张,,1,,", "没有填群名"),
])
def test_bad_rows_say_what_was_wrong_and_how_to_write_it(tmp_path: Path, cells: str, said: str) -> None:
    parsed = read_households(_csv(tmp_path, [HEADER, BODY[0], cells]), default_group=None)
    assert len(parsed.rows) == 1
    [(line, reason)] = parsed.errors
    assert line == 3 and reason.startswith("第3行：") and said in reason


def test_several_problems_in_one_row_are_all_named(tmp_path: Path) -> None:
    [item] = list(iter_households(_csv(tmp_path, [HEADER, "群,你好,张,999,0,,"]), default_group=None))
    assert isinstance(item, RowError) and "地址" in item.reason and "电话" in item.reason and "人数" in item.reason


def test_a_later_duplicate_wins_with_a_note(tmp_path: Path) -> None:
    lines = [HEADER, "群,3-2-501,张,,1,,", "群,5-301,王,,1,,", "", "群,3栋2单元501室,李,,4,,", "别群,3-2-501,赵,,1,,"]
    parsed = read_households(_csv(tmp_path, lines), default_group=None)
    assert [(r.group, r.head, r.members) for r in parsed.rows] == [("群", "王", 1), ("群", "李", 4), ("别群", "赵", 1)]
    assert parsed.notes == [(5, "第5行与第2行是同一户（3栋2单元501室），以后面的第5行为准。")]


def test_progress_is_reported_with_a_total(tmp_path: Path) -> None:
    lines = [HEADER] + [f"群,{b}-1-{r},户主,,1,," for b in range(1, 13) for r in range(101, 201)]
    seen: list[tuple[int, int | None]] = []
    parsed = read_households(_csv(tmp_path, lines), default_group=None, progress=lambda d, t: seen.append((d, t)))
    assert len(parsed.rows) == 1200
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]


@pytest.mark.parametrize(("name", "content", "said"), [
    ("h.xls", b"x", "另存为 .xlsx"),
    ("h.xlsx", b"not a zip", "无法打开表格文件"),
    ("h.json", b"{oops", "不是有效的 JSON"),
    ("h.json", b'{"a": 1}', "应是一个列表"),
    ("h.csv", b"", "文件是空的"),
])
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes, said: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(HouseholdFileError, match=said):
        read_households(path, default_group=None)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(HouseholdFileError, match="找不到文件"):
        read_households(tmp_path / "nope.csv", default_group=None)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_round_trip_write_then_read(tmp_path: Path, fmt: str) -> None:
    rows = read_households(_csv(tmp_path, [HEADER, *BODY, "李家村群,李家村三组12号,王五,,5,,"]), default_group=None).rows
    path = tmp_path / f"out.{fmt}"
    assert write_households(iter(rows), path, fmt) == 3  # type: ignore[arg-type]
    again = read_households(path, default_group=None).rows
    shift = 1 if fmt == "json" else 0  # JSON counts items, spreadsheets count rows with the header
    assert [(r.line + shift, *_fields(r)) for r in again] == [(r.line, *_fields(r)) for r in rows]
    if fmt == "csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf\xe7\xbe\xa4,")  # BOM, then 群: Excel reads UTF-8


def _fields(row: HouseholdRow) -> tuple[object, ...]:
    return (row.group, row.address, row.address_key, row.head, row.phone, row.members, row.tags, row.grid)


@pytest.mark.parametrize(("raw", "digits"), [
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("８６１３８００１３８０００", "13800138000"),
    ("(010)12345678", "01012345678"), ("0755-1234567", "07551234567"), ("", ""),
    ("12800138000", None), ("1234567", None), ("138001380001", None), ("电话", None),
])
def test_normalise_phone(raw: str, digits: str | None) -> None:
    assert normalise_phone(raw) == digits
