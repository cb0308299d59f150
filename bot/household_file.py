"""Household spreadsheets in and out: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX and JSON.

Columns (first row), English or Chinese, in any order; other columns are ignored:

    group / 群 (or 群名)   address / 地址   head / 户主   phone / 电话 (or 手机)
    members / 人数         tags / 标签      grid / 网格

``地址`` and ``户主`` are required, and ``群`` unless a default group is given; the rest are
optional (人数 defaults to 1). Tags are split on 、 , ， ; ；. Rows are read one at a time, so
a 100,000-row file is never held twice; a later row for the same address in the same group
replaces the earlier one (reported as a note).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any, Literal

import openpyxl

from bot.address import normalise_address
from bot.text import normalize

COLUMNS = ("group", "address", "head", "phone", "members", "tags", "grid")
LABELS = {"group": "群", "address": "地址", "head": "户主", "phone": "电话", "members": "人数",
          "tags": "标签", "grid": "网格"}
_ALIASES = {**{c: c for c in COLUMNS}, **{v: k for k, v in LABELS.items()},
            "群名": "group", "手机": "phone", "联系电话": "phone", "住址": "address"}
_TAG_SPLIT = re.compile(r"[、,，;；]")
_PHONE_SEPS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")  # area code (3 or 4 digits with the 0) + 7 or 8 digits
_MEMBERS = re.compile(r"(\d{1,3})(?:\.0+)?(?:人|口)?")
_PROGRESS_EVERY = 500

Progress = Callable[[int, int | None], None]
Format = Literal["csv", "xlsx", "json"]


class HouseholdFileError(ValueError):
    """The file as a whole cannot be read; the message says why in Chinese and how to fix it."""


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """One good household row; ``line`` is where it was in the file (row number, or item number)."""

    line: int
    group: str
    address: str  #: as written in the file
    address_key: str  #: :attr:`bot.address.Address.key`, what lookups compare
    head: str
    phone: str  #: digits only (``13800138000``, ``01012345678``) or empty
    members: int
    tags: tuple[str, ...]
    grid: str


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that was not taken, with a Chinese reason saying what to write instead."""

    line: int
    reason: str


@dataclass
class Parsed:
    """What a file gave: the good rows, the rejected ones, and notes (later duplicates won)."""

    rows: list[HouseholdRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _fold(text: str) -> str:
    """Full-width digits made plain; ASCII cells (nearly all) skip the OpenCC call."""
    return text if text.isascii() else normalize(text)


def normalise_phone(text: str) -> str | None:
    """Digits of a mainland mobile or landline number, ``""`` for none, None if it is neither."""
    digits = _PHONE_SEPS.sub("", _fold(text))
    if not digits:
        return ""
    digits = re.sub(r"^(?:\+86|0086|86)(?=1\d{10}$)", "", digits)
    return digits if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits) else None


def _cell(value: object) -> str:
    """A cell as text; Excel stores 13800138000 and 3 as floats (13800138000.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "、".join(_cell(v) for v in value)
    return str(value).strip()


def _csv_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM) if the whole file decodes so, else GB18030; and its line count."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    utf8 = True
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):  # one pass in 1 MB chunks: nothing held
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    return ("utf-8-sig" if utf8 else "gb18030"), lines


def _csv_records(path: Path) -> tuple[Iterator[tuple[int, list[str]]], int | None]:
    encoding, lines = _csv_encoding(path)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            with path.open(encoding=encoding, newline="") as f:
                reader = csv.reader(f)
                for row in reader:
                    yield reader.line_num, row
        except UnicodeDecodeError as e:
            raise HouseholdFileError("文件编码无法识别：请在 Excel 里另存为“CSV UTF-8（逗号分隔）”后再导入。") from e

    return records(), max(lines - 1, 0)  # a cell with a line break makes this a slight overcount


def _xlsx_records(path: Path) -> tuple[Iterator[tuple[int, list[str]]], int | None]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError and its own errors for a bad file
        raise HouseholdFileError(f"无法打开表格文件 {path.name}：请确认是 Excel 的 .xlsx 文件。") from e
    sheet = book.worksheets[0]
    total = sheet.max_row - 1 if sheet.max_row else None

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell(v) for v in values]
        finally:
            book.close()  # read-only mode keeps the file open until closed

    return records(), total


def _json_records(path: Path) -> tuple[Iterator[tuple[int, list[str]]], int | None]:
    try:
        items: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as e:
        raise HouseholdFileError(f"{path.name} 不是有效的 JSON：应是一个列表，每户一个对象。") from e
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise HouseholdFileError(f"{path.name} 应是一个列表，每户一个对象，如 [{{\"address\": \"3-2-501\"}}]。")
    header = list(dict.fromkeys(k for item in items for k in item))
    rows = ((n, [_cell(item.get(k)) for k in header]) for n, item in enumerate(items, start=1))
    return iter([(0, header), *rows]), len(items)


def _records(path: Path) -> tuple[Iterator[tuple[int, list[str]]], int | None]:
    if not path.is_file():
        raise HouseholdFileError(f"找不到文件 {path}。")
    readers = {".csv": _csv_records, ".txt": _csv_records, ".xlsx": _xlsx_records, ".json": _json_records}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise HouseholdFileError(f"不支持 {path.suffix or '无扩展名'} 文件：请用 .csv、.xlsx 或 .json（旧版 .xls 请另存为 .xlsx）。")
    return reader(path)


def _columns(header: list[str], default_group: str | None) -> dict[str, int]:
    """Which cell holds which column; a clear Chinese error when a required one is missing."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        column = _ALIASES.get(name.strip().lstrip("\ufeff").lower())
        if column and column not in found:
            found[column] = i
    required = ["address", "head"] + ([] if default_group else ["group"])
    missing = [c for c in COLUMNS if c in required and c not in found]
    if missing:
        wanted = "、".join(f"{LABELS[c]}（{c}）" for c in missing)
        seen = "、".join(h for h in header if h.strip()) or "（空）"
        raise HouseholdFileError(
            f"表头缺少必需的列：{wanted}。找到的列：{seen}。第一行应写：群,地址,户主,电话,人数,标签,网格"
            "（或英文 group,address,head,phone,members,tags,grid）。")
    return found


def _row(line: int, cells: dict[str, str], default_group: str | None) -> HouseholdRow | RowError:
    problems: list[str] = []
    group = cells.get("group") or default_group or ""
    if not group:
        problems.append("没有填群名，请在“群”列写这户所在的群")
    raw = cells.get("address", "")
    address = normalise_address(raw)
    if address is None:
        problems.append(f"地址“{raw}”看不懂，请写成 3-2-501、3栋2单元501、5栋301 或 李家村3组12号" if raw
                        else "没有填地址，请写成 3-2-501、3栋2单元501 或 李家村3组12号")
    phone = normalise_phone(cells.get("phone", ""))
    if phone is None:
        problems.append(f"电话“{cells['phone']}”不是手机号或座机号，手机写 11 位如 13800138000，座机带区号如 010-12345678")
    members_text = _fold(cells.get("members", ""))
    m = _MEMBERS.fullmatch(members_text)
    members = int(m[1]) if m else 1 if not members_text else 0
    if members < 1:
        problems.append(f"人数“{cells['members']}”不对，请填 1 以上的整数，如 3")
    if problems or address is None or phone is None:
        return RowError(line, f"第{line}行：" + "；".join(problems) + "。")
    # Group, grid and tag names repeat on every row: one copy each keeps 100k rows small.
    tags = tuple(intern(t) for t in (s.strip() for s in _TAG_SPLIT.split(cells.get("tags", ""))) if t)
    return HouseholdRow(line, intern(group), raw, address.key, cells.get("head", ""), phone, members, tags,
                        intern(cells.get("grid", "")))


def iter_households(path: Path | str, *, default_group: str | None,
                    progress: Progress | None = None) -> Iterator[HouseholdRow | RowError]:
    """Each data row of the file as a good row or an error, one at a time, in file order."""
    records, total = _records(Path(path))
    header = next(records, None)
    if header is None:
        raise HouseholdFileError("文件是空的：第一行应写：群,地址,户主,电话,人数,标签,网格。")
    columns = _columns(header[1], default_group)
    done = 0
    for line, values in records:
        if not any(v.strip() for v in values):
            continue  # blank lines between blocks are common in hand-made sheets
        cells = {c: (values[i].strip() if i < len(values) else "") for c, i in columns.items()}
        yield _row(line, cells, default_group)
        done += 1
        if progress and done % _PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(done, done)  # the true total is known at the end


def read_households(path: Path | str, *, default_group: str | None,
                    progress: Progress | None = None) -> Parsed:
    """All rows of a household file, checked; a later row for the same address replaces the earlier."""
    parsed = Parsed()
    kept: dict[tuple[str, str], HouseholdRow] = {}
    for item in iter_households(path, default_group=default_group, progress=progress):
        if isinstance(item, RowError):
            parsed.errors.append((item.line, item.reason))
            continue
        earlier = kept.pop((item.group, item.address_key), None)
        if earlier is not None:
            parsed.notes.append((item.line, f"第{item.line}行与第{earlier.line}行是同一户（{item.address}），"
                                            f"以后面的第{item.line}行为准。"))
        kept[(item.group, item.address_key)] = item
    parsed.rows = list(kept.values())
    return parsed


def _values(row: HouseholdRow) -> list[str | int]:
    return [row.group, row.address, row.head, row.phone, row.members, "、".join(row.tags), row.grid]


def write_households(rows: Iterable[HouseholdRow], path: Path | str, fmt: Format) -> int:
    """Write rows as CSV (UTF-8 with BOM, for Excel), XLSX or JSON; returns how many were written."""
    target, count = Path(path), 0
    header = [LABELS[c] for c in COLUMNS]
    if fmt == "csv":
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for row in rows:
                writer.writerow(_values(row))
                count += 1
    elif fmt == "xlsx":
        book = openpyxl.Workbook(write_only=True)  # streams rows to disk
        sheet = book.create_sheet("住户")
        sheet.append(header)
        for row in rows:
            sheet.append(_values(row))
            count += 1
        book.save(target)
    elif fmt == "json":
        with target.open("w", encoding="utf-8") as f:
            f.write("[")
            for count, row in enumerate(rows, start=1):
                item = dict(zip(COLUMNS, _values(row), strict=True)) | {"tags": list(row.tags)}
                f.write(("," if count > 1 else "") + "\n" + json.dumps(item, ensure_ascii=False))
            f.write("\n]\n")
    else:
        raise ValueError(f"unknown household file format {fmt!r}; use csv, xlsx or json")
    return count
