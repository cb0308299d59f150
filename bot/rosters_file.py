"""Roster spreadsheets in and out: CSV (UTF-8 or GBK) or XLSX, one row per person per shift.

Columns (first row), English or Chinese, in any order:

    checkpoint / 卡点   date / 日期   start / 开始   end / 结束   volunteer / 姓名 (or 志愿者)
    contact / 联系方式 (or 电话, 手机, ID, 平台ID)   shift / 班次 (optional: 早班; default 08:00-16:00)

The contact is a phone number (11-digit mobile or a landline with area code) or, otherwise, the
person's platform id, which lets reminders reach them from the start. Bad rows come back with
their line number and a Chinese reason; the good ones are imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from bot import rosters
from bot.config import Config
from bot.household_file import HouseholdFileError, normalise_phone
from bot.household_file import _records as spreadsheet_records  # the same CSV/XLSX reading
from bot.store.rosters import Duty

COLUMNS = ("checkpoint", "date", "start", "end", "volunteer", "contact", "shift")
LABELS = {"checkpoint": "卡点", "date": "日期", "start": "开始", "end": "结束", "volunteer": "姓名",
          "contact": "联系方式", "shift": "班次"}
_ALIASES = {**{c: c for c in COLUMNS}, **{v: k for k, v in LABELS.items()},
            "志愿者": "volunteer", "人员": "volunteer", "name": "volunteer", "电话": "contact",
            "手机": "contact", "id": "contact", "平台id": "contact", "phone": "contact",
            "开始时间": "start", "结束时间": "end"}
_REQUIRED = ("checkpoint", "date", "start", "end", "volunteer")
_TIME = re.compile(r"(\d{1,2})[:：](\d{2})(?::\d{2})?")
HEADER_HINT = "第一行应写：卡点,日期,开始,结束,姓名,联系方式,班次（或 checkpoint,date,start,end,volunteer,contact,shift）"


class RosterFileError(ValueError):
    """The file as a whole cannot be read; the message says why in Chinese."""


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One person on one shift, as read from a good row."""

    line: int
    checkpoint: str
    day: date
    start: str
    end: str
    shift: str
    name: str
    phone: str
    user_id: str


def _hhmm(text: str, end: bool) -> str | None:
    m = _TIME.fullmatch(text.strip())
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2])
    if end and (hour, minute) == (24, 0):
        return "24:00"
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def _row(line: int, cells: dict[str, str], config: Config, today: date) -> RosterRow | str:
    problems = []
    cp = rosters.checkpoint_named(config, cells["checkpoint"])
    if cp is None:
        problems.append(f"没有「{cells['checkpoint']}」这个卡点（bot.toml 里的卡点：{rosters.checkpoint_list(config)}）")
    day = rosters.parse_day(cells["date"].split(" ")[0], today)  # Excel dates read "2026-11-27 00:00:00"
    if day is None:
        problems.append(f"日期「{cells['date']}」看不懂，{rosters.DAY_HINT}")
    start, end = _hhmm(cells["start"], False), _hhmm(cells["end"], True)
    if start is None:
        problems.append(f"开始时间「{cells['start']}」应写成 08:00")
    if end is None:
        problems.append(f"结束时间「{cells['end']}」应写成 16:00（半夜写 24:00）")
    if start is not None and start == end:
        problems.append("开始和结束时间相同；跨夜的班写 22:00 到 06:00")
    name = cells["volunteer"].strip()
    if not name:
        problems.append("没有填姓名")
    contact = cells.get("contact", "").strip()
    phone = normalise_phone(contact) if contact else ""
    if problems or cp is None or day is None or start is None or end is None:
        return f"第{line}行：" + "；".join(problems) + "。"
    user_id = "" if phone or not contact else contact
    shift = cells.get("shift", "").strip() or f"{start}-{end}"
    return RosterRow(line, cp.key, day, start, end, shift, name, phone or "", user_id)


def read_roster(path: Path, config: Config, today: date) -> Iterator[RosterRow | str]:
    """Each data row as a good row or a line-numbered Chinese error, in file order."""
    if path.suffix.lower() not in (".csv", ".txt", ".xlsx"):
        raise RosterFileError(f"不支持 {path.suffix or '无扩展名'} 文件：请用 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）。")
    try:
        records, _ = spreadsheet_records(path)
        header = next(records, None)
    except HouseholdFileError as exc:
        raise RosterFileError(str(exc)) from None
    if header is None:
        raise RosterFileError(f"文件是空的。{HEADER_HINT}")
    found: dict[str, int] = {}
    for i, name in enumerate(header[1]):
        column = _ALIASES.get(name.strip().lstrip("\ufeff").lower())
        if column and column not in found:
            found[column] = i
    missing = [LABELS[c] for c in _REQUIRED if c not in found]
    if missing:
        raise RosterFileError(f"表头缺少必需的列：{'、'.join(missing)}。{HEADER_HINT}")
    try:
        for line, values in records:
            if any(v.strip() for v in values):
                cells = {c: (values[i].strip() if i < len(values) else "") for c, i in found.items()}
                yield _row(line, cells, config, today)
    except HouseholdFileError as exc:
        raise RosterFileError(str(exc)) from None


def write_roster(duties: Iterable[Duty], names: dict[str, str], path: Path, tz: ZoneInfo) -> int:
    """Write duties as XLSX in the columns the import reads (plus the check-in time); how many."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("排班")
    sheet.append([LABELS[c] for c in COLUMNS] + ["到岗时间"])
    count = 0
    for d in duties:
        checked = d.checked_in_at.astimezone(tz).strftime("%H:%M") if d.checked_in_at else ""
        sheet.append([names.get(d.shift.checkpoint, d.shift.checkpoint), d.shift.day, d.shift.start_hm,
                      d.shift.end_hm, d.name, d.phone or d.user_id, d.shift.name, checked])
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    book.save(path)
    path.chmod(0o600)
    return count
