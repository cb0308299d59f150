"""bot/faq.py: question keys, what counts as a question, validity, scope and the labelled set."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot import faq
from bot.faq_file import parse
from bot.store.faq import FaqData

ROOT = Path(__file__).resolve().parent.parent
ON = datetime(2022, 5, 1, 9, 0, tzinfo=UTC)


def sample() -> dict[str, FaqData]:
    parsed = parse((ROOT / "data" / "faq.jsonl").read_text(encoding="utf-8"), csv_file=False, today=ON.date())
    return {d.id: d for d in parsed.rows}


@pytest.mark.parametrize(("text", "key"), [
    ("请问从外地返回要隔离几天？", "从外地返回隔离几天"),
    ("居家隔離能不能出門", "居家隔离能出门"),
    ("黄码了咋办", "黄码怎么办"),
    ("咨询一下做核算要不要钱", "做核酸钱"),
])
def test_question_keys_drop_asking_words_and_a_not_a(text: str, key: str) -> None:
    assert faq.question_key(text) == key


@pytest.mark.parametrize(("text", "kind"), [
    ("请问核酸几点开始", "ask"), ("健康码黄了怎么办", "ask"), ("核酸免费吗？", "plain"),
    ("核酸检测点在哪里", "plain"), ("大家早上好", None), ("收到，谢谢", None),
])
def test_what_counts_as_a_question(text: str, kind: str | None) -> None:
    assert faq.asking(text) == kind


def test_expired_entries_are_never_used_and_scope_reaches_down_only() -> None:
    entries = sample()
    entries["P3"] = replace(entries["P3"], valid_until=date(2022, 4, 30))
    entries["P6"] = replace(entries["P6"], scope="dongcheng")
    index = faq.new_index(list(entries.values()))
    assert faq.best(index, entries, "健康码变黄了怎么办", ON).match.action == "none"
    assert faq.best(index, entries, "健康码变黄了怎么办", ON.replace(month=4, day=30)).match.entry_id == "P3"
    inside = faq.best(index, entries, "核酸检测点在哪里", ON, ("xingfu", "dongcheng", "district"))
    assert inside.match.action == "answer" and inside.entry is not None and inside.entry.id == "P6"
    outside = faq.best(index, entries, "核酸检测点在哪里", ON, ("other", "district")).match
    assert outside.entry_id != "P6" and outside.action != "answer"


@pytest.mark.parametrize("text", ["", "😀😀😀", "？？？", "请问", "啊" * 10_000, "核酸在哪" * 5_000])
def test_empty_emoji_and_huge_texts_get_an_answer_not_a_crash(text: str) -> None:
    entries = sample()
    assert faq.best(faq.new_index(list(entries.values())), entries, text, ON).match.action in (
        "answer", "suggest", "none")


def test_answer_text_names_source_date_and_masks() -> None:
    d = sample()["P3"]
    text = faq.answer_text(d, about="我电话13812345678，黄码怎么办")
    assert "13812345678" not in text and "市大数据局" in text and "2022-04-12" in text


def test_labelled_set_no_wrong_auto_answer_and_85_percent_found() -> None:
    entries = sample()
    index = faq.new_index(list(entries.values()))
    rows = [json.loads(line) for line in
            (ROOT / "tests" / "data" / "faq_eval.jsonl").read_text(encoding="utf-8").splitlines()]
    positives = [r for r in rows if r["expect"]]
    negatives = [r for r in rows if not r["expect"]]
    assert len(positives) >= 100 and len(negatives) >= 50 and len({r["expect"] for r in positives}) >= 30
    match = [(r, faq.best(index, entries, r["text"], ON).match) for r in rows]
    assert [r["text"] for r, m in match if not r["expect"] and m.action == "answer"] == []
    assert [r["text"] for r, m in match if r["expect"] and m.action == "answer" and m.entry_id != r["expect"]] == []
    found = [r for r, m in match if r["expect"] and m.action != "none" and m.entry_id == r["expect"]]
    assert len(found) / len(positives) >= 0.85
