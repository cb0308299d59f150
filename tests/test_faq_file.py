"""bot/faq_file.py: good rows imported, each bad one named by line and reason in Chinese."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.faq_file import parse

TODAY = date(2022, 5, 1)
ROOT = Path(__file__).resolve().parent.parent


def test_the_sample_file_is_whole() -> None:
    parsed = parse((ROOT / "data" / "faq.jsonl").read_text(encoding="utf-8"), csv_file=False, today=TODAY)
    assert parsed.errors == [] and len(parsed.rows) >= 30
    assert all(r.variants for r in parsed.rows)


def test_bad_rows_by_line_and_reason_and_the_rest_imported() -> None:
    good = {"id": "P1", "question": "核酸检测点在哪里", "answer": "社区门口", "variants": ["去哪做核酸"]}
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({**good, "id": "P1"}, ensure_ascii=False),
        json.dumps({**good, "id": "P3", "question": ""}, ensure_ascii=False),
        json.dumps({**good, "id": "P4", "question": "😀😀"}, ensure_ascii=False),
        json.dumps({**good, "id": "P5", "answer": ""}, ensure_ascii=False),
        json.dumps({**good, "id": "P6", "valid_until": "明年"}, ensure_ascii=False),
        json.dumps({**good, "id": "P7", "variants": "a|b", "valid_until": "2022-06-30", "scope": "dc"},
                   ensure_ascii=False),
        json.dumps({**good, "id": "P8", "variants": [1, 2]}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({**good, "id": "F 9"}, ensure_ascii=False),
        json.dumps({**good, "id": "P10", "question": "问" * 500}, ensure_ascii=False),
    ]
    parsed = parse("\n".join(lines), csv_file=False, today=TODAY)
    assert [r.id for r in parsed.rows] == ["P1", "P7"]
    assert parsed.rows[1].variants == ("a", "b") and parsed.rows[1].valid_until == date(2022, 6, 30)
    assert parsed.rows[1].scope == "dc" and parsed.rows[0].published_at == TODAY
    reasons = dict(parsed.errors)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert "JSON" in reasons[2] and "重复" in reasons[3] and "question" in reasons[4]
    assert "可比对" in reasons[5] and "answer" in reasons[6] and "2022-06-30" in reasons[7]
    assert "variants" in reasons[9] and "{…}" in reasons[10] and "空格" in reasons[11] and "太长" in reasons[12]


def test_csv_with_chinese_headers_and_split_variants() -> None:
    text = "编号,问题,其他问法,答复,来源,有效期至\nP1,黄码怎么办,黄码怎么转绿|健康码黄了,3天2检,市大数据局,2022-06-30\n,缺编号,,x,,\n"
    parsed = parse(text, csv_file=True, today=TODAY)
    assert [r.variants for r in parsed.rows] == [("黄码怎么转绿", "健康码黄了")]
    assert parsed.errors == [(3, "缺少 id（编号），例如 P1")]
    bad = parse("a,b\n1,2\n", csv_file=True, today=TODAY)
    assert bad.rows == [] and bad.errors[0][0] == 1 and "question" in bad.errors[0][1]
