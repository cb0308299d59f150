"""Read an FAQ file (JSON Lines or CSV): good rows, and each bad one by line and reason."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.faq import question_key
from bot.records_file import first_of_each_id, records
from bot.rumors import published
from bot.store.faq import FaqData
from bot.text import clean_text

#: Column names as written in a file, Chinese or English, to the field they fill.
COLUMNS = {"id": "id", "编号": "id", "question": "question", "问题": "question",
           "variants": "variants", "其他问法": "variants", "问法": "variants", "answer": "answer",
           "答复": "answer", "答案": "answer", "source": "source", "来源": "source",
           "published_at": "published_at", "日期": "published_at", "发布日期": "published_at",
           "valid_until": "valid_until", "有效期至": "valid_until", "scope": "scope", "范围": "scope"}
#: In CSV, the variants of one question share a cell, split by | or ；.
VARIANT_SEP = re.compile(r"[|｜;；\n]")
QUESTION_LIMIT, ANSWER_LIMIT, VARIANTS_LIMIT = 200, 1500, 30
FORMAT_HINT = ('每行一条，JSON Lines 例如 {"id": "P1", "question": "从外地返回要隔离吗", "variants": ["返乡要隔离几天"], '
               '"answer": "……", "source": "区防控办", "valid_until": "2022-06-30", "scope": ""}；'
               "CSV 第一行写列名 id,question,variants,answer,source,published_at,valid_until,scope（variants 用 | 分隔）")


@dataclass
class Parsed:
    """What a file held: rows to add, and (line, reason) for every row left out."""

    rows: list[FaqData] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse(text: str, *, csv_file: bool, today: date, groups: Container[str] | None = None) -> Parsed:
    """Every row of an FAQ file; a bad row never stops the others. ``groups``: the known group
    keys (a scope naming another group would never apply); None: not checked."""
    out = Parsed()
    seen: dict[str, int] = {}
    for line, record in records(text, csv_file=csv_file, columns=COLUMNS, required=("id", "question", "answer"),
                                 hint=FORMAT_HINT, errors=out.errors):
        row = _row(record, today)
        if not isinstance(row, str) and row.scope and groups is not None and row.scope not in groups:
            row = f"scope（范围）{row.scope[:40]!r} 不是已知的群 key（用「gridbot groups」查看；不写＝所有群）"
        if isinstance(row, str):
            out.errors.append((line, row))
        elif first_of_each_id(line, row.id, seen, out.errors):
            out.rows.append(row)
    return out


def _variants(value: Any) -> list[str] | str:
    """The variants as a list of texts, or why they cannot be."""
    if value is None or value == "":
        return []
    items = VARIANT_SEP.split(value) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        return "variants（其他问法）应是文字列表，例如 [\"返乡要隔离几天\", \"回来要隔离吗\"]"
    texts = [clean_text(v).strip() for v in items if v.strip()]
    if len(texts) > VARIANTS_LIMIT:
        return f"variants（其他问法）太多（{len(texts)} 条，最多 {VARIANTS_LIMIT} 条）"
    if any(len(v) > QUESTION_LIMIT for v in texts):
        return f"variants（其他问法）中有一条太长（最多 {QUESTION_LIMIT} 字）"
    return texts


def _row(r: dict[str, Any], today: date) -> FaqData | str:
    """One record as FAQ data, or why it cannot be."""
    variants = _variants(r.get("variants"))
    if isinstance(variants, str):
        return variants
    values = {k: clean_text(str(v)).strip() for k, v in r.items()
              if v is not None and k in COLUMNS.values() and k != "variants"}
    entry_id, question, answer = values.get("id", ""), values.get("question", ""), values.get("answer", "")
    if not entry_id:
        return "缺少 id（编号），例如 P1"
    if len(entry_id) > 40 or any(c.isspace() for c in entry_id) or "#" in entry_id:
        return f"编号 {entry_id[:40]!r} 太长或含空格、#（最多 40 个字符）"
    if not question:
        return "缺少 question（问题），或它是空的"
    if len(question) > QUESTION_LIMIT:
        return f"question（问题）太长（{len(question)} 字，最多 {QUESTION_LIMIT} 字），请只写问题本身"
    if not question_key(question):
        return "question（问题）里没有可比对的文字（只有表情、标点或「请问」之类）"
    if not answer:
        return "缺少 answer（答复，会发到群里）"
    if len(answer) > ANSWER_LIMIT:
        return f"answer（答复）太长（{len(answer)} 字，最多 {ANSWER_LIMIT} 字）"
    when = published(values["published_at"]) if values.get("published_at") else today
    if when is None:
        return f"published_at（发布日期）应写成 2022-04-02，不是 {values['published_at']!r}"
    until = published(values["valid_until"]) if values.get("valid_until") else None
    if values.get("valid_until") and until is None:
        return f"valid_until（有效期至）应写成 2022-06-30，不是 {values['valid_until']!r}"
    scope = values.get("scope", "")
    if len(scope) > 100:
        return "scope（范围）应是一个群的 key，例如 dongcheng"
    return FaqData(entry_id, question, tuple(variants), answer, values.get("source", "")[:200], when,
                   until, scope)
