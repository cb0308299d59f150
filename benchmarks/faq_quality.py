"""Policy Q&A matching quality on the labelled set: precision and recall of "answer" and "suggest".

Run:  .venv/bin/python benchmarks/faq_quality.py [--sweep]

Matches every question of ``tests/data/faq_eval.jsonl`` against the sample entries
``data/faq.jsonl`` with the shipped cut-offs (``bot/faq.py``) on 2022-05-01, when every sample
entry is valid. A positive is "answered" when the right entry is auto-answered, "found" when it
is answered or suggested; negatives (chat, requests, rumours, questions no entry covers) must
never be answered. ``--sweep`` prints right and wrong matches per candidate cut-off: how
ANSWER_SCORE and SUGGEST_SCORE were chosen. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rumor_quality import evaluate  # noqa: E402  (run as a script: benchmarks/ is on the path)

from bot import faq  # noqa: E402
from bot.faq_file import parse  # noqa: E402
from bot.rumor_match import Match, RumorIndex  # noqa: E402
from bot.store.faq import FaqData  # noqa: E402

ENTRIES = ROOT / "data" / "faq.jsonl"
EVAL = ROOT / "tests" / "data" / "faq_eval.jsonl"
#: A day on which every sample entry holds.
ON = datetime(2022, 5, 1, 9, 0, tzinfo=UTC)


def load() -> tuple[dict[str, FaqData], list[dict[str, str | None]]]:
    """The sample entries by id, and the labelled questions."""
    parsed = parse(ENTRIES.read_text(encoding="utf-8"), csv_file=False, today=ON.date())
    assert not parsed.errors, parsed.errors
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    return {d.id: d for d in parsed.rows}, rows


def matcher(entries: dict[str, FaqData], index: RumorIndex | None = None) -> tuple[RumorIndex, object]:
    """The index over ``entries`` and a text -> Match function on :data:`ON`."""
    built = index or faq.new_index(list(entries.values()))

    def match(text: str) -> Match:
        return faq.best(built, entries, text, ON).match

    return built, match


def sweep(entries: dict[str, FaqData], rows: list[dict[str, str | None]]) -> None:
    """Per cut-off: right and wrong matches if that cut-off were the answer threshold."""
    index = RumorIndex(key=faq.question_key, answer_score=101.0, suggest_score=0.0, must_agree=faq.MUST_AGREE)
    for d in entries.values():
        faq.add(index, d)
    scored = []
    for row in rows:
        m = faq.best(index, entries, str(row["text"]), ON).match
        scored.append((m.score, row["expect"] is not None and m.entry_id == row["expect"]))
    for cut in range(50, 101, 5):
        right = sum(1 for s, ok in scored if s >= cut and ok)
        wrong = sum(1 for s, ok in scored if s >= cut and not ok)
        print(f"cut {cut:3d}: right {right:3d}  wrong {wrong:3d}")


def main() -> None:
    """Print the figures, then one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    entries, rows = load()
    if parser.parse_args().sweep:
        sweep(entries, rows)
    index, match = matcher(entries)
    result = evaluate(match, rows)  # type: ignore[arg-type]
    for text in result["missed"]:  # type: ignore[attr-defined]
        print("missed:", text)
    result["missed"] = len(result["missed"])  # type: ignore[arg-type]
    print(json.dumps({"entries": len(entries), "phrasings": len(index), "answer_cut": faq.ANSWER_SCORE,
                      "suggest_cut": faq.SUGGEST_SCORE, **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
