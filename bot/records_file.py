"""Rows of a library file (rumour library, policy Q&A): JSON Lines or CSV with a header row.

One reader for both, so a file problem is worded the same wherever it happens and a bad row
never stops the others: each comes back as (line, reason) in ``errors``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

Record = tuple[int, dict[str, Any]]


def records(text: str, *, csv_file: bool, columns: Mapping[str, str], required: Sequence[str],
            hint: str, errors: list[tuple[int, str]]) -> list[Record]:
    """(line, record) for every row; CSV headers are mapped through ``columns`` (English or
    Chinese names to field names), and a CSV without the ``required`` columns yields nothing."""
    return _csv(text, columns, required, hint, errors) if csv_file else _jsonl(text, errors)


def first_of_each_id(line: int, row_id: str, seen: dict[str, int], errors: list[tuple[int, str]]) -> bool:
    """True the first time an id is seen; a later row with it is reported and left out."""
    if row_id in seen:
        errors.append((line, f"编号 {row_id} 与第 {seen[row_id]} 行重复，本行未导入"))
        return False
    seen[row_id] = line
    return True


def _jsonl(text: str, errors: list[tuple[int, str]]) -> list[Record]:
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            errors.append((n, "不是一条完整的 JSON（检查引号、逗号和大括号）"))
            continue
        if not isinstance(value, dict):
            errors.append((n, "应是 {…} 形式的一条记录"))
            continue
        out.append((n, value))
    return out


def _csv(text: str, columns: Mapping[str, str], required: Sequence[str], hint: str,
         errors: list[tuple[int, str]]) -> list[Record]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return []
    names = [columns.get(h.strip().lstrip("\ufeff").lower(), "") for h in header]
    if not set(required) <= set(names):
        errors.append((1, f"第一行应是列名，至少要有 {'、'.join(required)}。{hint}"))
        return []
    out = []
    for values in reader:
        if any(v.strip() for v in values):
            out.append((reader.line_num, {k: v for k, v in zip(names, values, strict=False) if k}))
    return out
