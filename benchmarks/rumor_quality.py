"""Rumour matching quality on the labelled set: precision and recall of "answer" and "suggest".

Run:  .venv/bin/python benchmarks/rumor_quality.py [--sweep]

Matches every phrasing of ``tests/data/rumor_eval.jsonl`` against the sample library
``data/rumors.jsonl`` with the shipped cut-offs (``bot/rumor_match.py``). A positive is
"answered" when the right entry is auto-answered, "found" when it is answered or suggested.
``--sweep`` prints, for candidate cut-offs, how many negatives and positives each would answer:
how ANSWER_SCORE and SUGGEST_SCORE were chosen. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import rumor_match as rm  # noqa: E402

LIBRARY = ROOT / "data" / "rumors.jsonl"
EVAL = ROOT / "tests" / "data" / "rumor_eval.jsonl"


def load() -> tuple[rm.RumorIndex, list[dict[str, str | None]]]:
    """The sample library as an index, and the labelled phrasings."""
    entries = [json.loads(line) for line in LIBRARY.read_text(encoding="utf-8").splitlines() if line]
    index = rm.RumorIndex((e["id"], e["claim"]) for e in entries)
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    return index, rows


def evaluate(index: rm.RumorIndex, rows: list[dict[str, str | None]]) -> dict[str, object]:
    """Counts and rates of answer/suggest over the labelled rows."""
    counts = {k: 0 for k in ("answer_right", "answer_wrong", "suggest_right", "suggest_wrong",
                             "positives", "negatives", "negatives_answered")}
    missed: list[str] = []
    for row in rows:
        m = index.match(str(row["text"]))
        positive = row["expect"] is not None
        counts["positives" if positive else "negatives"] += 1
        right = positive and m.entry_id == row["expect"]
        if m.action != "none":
            counts[f"{m.action}_{'right' if right else 'wrong'}"] += 1
        if m.action == "answer" and not positive:
            counts["negatives_answered"] += 1
        if positive and not (right and m.action != "none"):
            missed.append(str(row["text"]))
    answered = counts["answer_right"] + counts["answer_wrong"]
    shown = answered + counts["suggest_right"] + counts["suggest_wrong"]
    found = counts["answer_right"] + counts["suggest_right"]
    return {
        **counts,
        "answer_precision": round(counts["answer_right"] / answered, 3) if answered else 1.0,
        "answer_recall": round(counts["answer_right"] / counts["positives"], 3),
        "suggest_or_answer_precision": round(found / shown, 3) if shown else 1.0,
        "suggest_or_answer_recall": round(found / counts["positives"], 3),
        "missed": missed,
    }


def sweep(index: rm.RumorIndex, rows: list[dict[str, str | None]]) -> None:
    """Per cut-off: right and wrong answers if that cut-off were the answer threshold."""
    scored = []
    saved = rm.ANSWER_SCORE, rm.SUGGEST_SCORE
    rm.SUGGEST_SCORE = 0.0
    for row in rows:
        m = index.match(str(row["text"]))
        scored.append((m.score, m.entry_id == row["expect"] and row["expect"] is not None))
    rm.ANSWER_SCORE, rm.SUGGEST_SCORE = saved
    for cut in range(50, 101, 5):
        right = sum(1 for s, ok in scored if s >= cut and ok)
        wrong = sum(1 for s, ok in scored if s >= cut and not ok)
        print(f"cut {cut:3d}: right {right:3d}  wrong {wrong:3d}")


def main() -> None:
    """Print the figures, then one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    index, rows = load()
    if parser.parse_args().sweep:
        sweep(index, rows)
    result = evaluate(index, rows)
    for text in result["missed"]:  # type: ignore[attr-defined]
        print("missed:", text)
    result["missed"] = len(result["missed"])  # type: ignore[arg-type]
    print(json.dumps({"entries": len(index), "answer_cut": rm.ANSWER_SCORE,
                      "suggest_cut": rm.SUGGEST_SCORE, **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
