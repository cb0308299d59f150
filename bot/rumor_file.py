"""Read a rumour library file (JSON Lines or CSV): good rows, and each bad one by line and reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.records_file import first_of_each_id, records
from bot.rumor_match import query_key
from bot.rumors import published
from bot.store.rumors import VERDICTS, RumorData
from bot.text import clean_text

#: Column names as written in a file, Chinese or English, to the field they fill.
COLUMNS = {"id": "id", "编号": "id", "claim": "claim", "说法": "claim", "谣言": "claim",
           "verdict": "verdict", "结论": "verdict", "refutation": "refutation", "辟谣": "refutation",
           "官方说法": "refutation", "source": "source", "来源": "source",
           "published_at": "published_at", "日期": "published_at", "发布日期": "published_at"}
VERDICT_ALIASES = {"谣言": "false", "假": "false", "属实": "true", "真": "true", "误导": "misleading",
                   "有误导": "misleading", "未证实": "unverified", "待核实": "unverified", "尚无定论": "unverified"}
#: A claim is one sentence or two; a refutation a short paragraph.
CLAIM_LIMIT, TEXT_LIMIT = 300, 1000
FORMAT_HINT = ('每行一条，JSON Lines 例如 {"id": "L1", "claim": "明天全市封城", "verdict": "false", '
               '"refutation": "没有封城计划", "source": "市指挥部", "published_at": "2022-04-02"}；'
               "CSV 第一行写列名 id,claim,verdict,refutation,source,published_at")


@dataclass
class Parsed:
    """What a file held: rows to add, and (line, reason) for every row left out."""

    rows: list[RumorData] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse(text: str, *, csv_file: bool, today: date) -> Parsed:
    """Every row of a library file; a bad row never stops the others."""
    out = Parsed()
    seen: dict[str, int] = {}
    for line, record in records(text, csv_file=csv_file, columns=COLUMNS, required=("id", "claim"),
                                 hint=FORMAT_HINT, errors=out.errors):
        row = _row(record, today)
        if isinstance(row, str):
            out.errors.append((line, row))
        elif first_of_each_id(line, row.id, seen, out.errors):
            out.rows.append(row)
    return out


def _row(r: dict[str, Any], today: date) -> RumorData | str:
    """One record as library data, or why it cannot be."""
    values = {k: clean_text(str(v)).strip() for k, v in r.items() if v is not None and k in COLUMNS.values()}
    entry_id, claim = values.get("id", ""), values.get("claim", "")
    if not entry_id:
        return "缺少 id（编号），例如 L1"
    if len(entry_id) > 40 or any(c.isspace() for c in entry_id):
        return f"编号 {entry_id[:40]!r} 太长或含空格（最多 40 个字符）"
    if not claim:
        return "缺少 claim（传言的说法），或它是空的"
    if len(claim) > CLAIM_LIMIT:
        return f"claim（说法）太长（{len(claim)} 字，最多 {CLAIM_LIMIT} 字），请只写传言本身"
    if not query_key(claim):
        return "claim（说法）里没有可比对的文字（只有表情或标点）"
    verdict = VERDICT_ALIASES.get(values.get("verdict", ""), values.get("verdict", "").lower())
    if verdict not in VERDICTS:
        return f"verdict（结论）应是 false/true/misleading/unverified（谣言/属实/误导/未证实）之一，不是 {values.get('verdict', '')!r}"
    refutation = values.get("refutation", "")
    if not refutation:
        return "缺少 refutation（官方说法，会发到群里）"
    if len(refutation) > TEXT_LIMIT:
        return f"refutation（官方说法）太长（最多 {TEXT_LIMIT} 字）"
    when = published(values["published_at"]) if values.get("published_at") else today
    if when is None:
        return f"published_at（发布日期）应写成 2022-04-02，不是 {values['published_at']!r}"
    return RumorData(entry_id, claim, verdict, refutation, values.get("source", "")[:200], when)
