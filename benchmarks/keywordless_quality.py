"""Routing quality of keyword-less messages: how many requests reach an owner, how much chat does.

Run:  .venv/bin/python benchmarks/keywordless_quality.py

Routes every message of ``tests/data/keywordless_eval.jsonl`` (labelled request / emergency /
chat, with Traditional Chinese, typos, and rows marked ``unseen`` that were added after the
rules and kept as a check on overfitting) with the shipped rules (``bot/maybe_request.route``,
which the group handler uses): an urgent medical ticket, a 「可能需要帮助」 push to the owners,
or nothing. A request "reaches the owner" as a push or as a ticket; an emergency counts only as
an urgent medical ticket. The floor is the same set routed by keywords alone (``classify``, as
before keyword-less routing): what was reached without it. The last line printed is JSON.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import classify  # noqa: E402
from bot.maybe_request import route  # noqa: E402
from bot.tickets import NewTicket  # noqa: E402

EVAL = ROOT / "tests" / "data" / "keywordless_eval.jsonl"


def outcome(found: object) -> str:
    """``urgent_medical`` / ``ticket`` / ``owner`` / ``none`` for one routing result."""
    if isinstance(found, NewTicket):
        return "urgent_medical" if (found.priority, found.category) == ("urgent", "medicine") else "ticket"
    return "owner" if isinstance(found, str) else "none"


def evaluate(rows: list[dict[str, str]], *, keywords_only: bool = False) -> dict[str, object]:
    """Counts, precision and recall of reaching the owner over the labelled rows."""
    seen: Counter[str] = Counter()
    missed: list[str] = []
    for row in rows:
        got = outcome(classify(row["text"]) if keywords_only else route(row["text"]))
        label = row["label"]
        seen[label] += 1
        reached = got == "urgent_medical" if label == "emergency" else got != "none"
        seen[f"{label}_reached"] += reached
        seen[f"{label}_ticket"] += got in ("ticket", "urgent_medical")
        if label != "chat" and not reached:
            missed.append(f"{label}: {row['text']}")
    positives = seen["request"] + seen["emergency"]
    hits = seen["request_reached"] + seen["emergency_reached"]
    flagged = hits + seen["chat_reached"]
    return {
        "requests": seen["request"], "emergencies": seen["emergency"], "chat": seen["chat"],
        "request_recall": round(seen["request_reached"] / seen["request"], 3),
        "emergency_recall": round(seen["emergency_reached"] / seen["emergency"], 3),
        "precision": round(hits / flagged, 3) if flagged else 1.0,
        "recall": round(hits / positives, 3),
        "chat_to_owner": seen["chat_reached"], "chat_tickets": seen["chat_ticket"],
        "missed": missed,
    }


def main() -> None:
    """Print the misses and the figures, then one JSON line."""
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    floor = evaluate(rows, keywords_only=True)
    result = evaluate(rows)
    for text in result["missed"]:  # type: ignore[attr-defined]
        print("missed", text)
    for name, r in (("keywords only (floor)", floor), ("with keyword-less routing", result)):
        print(f"{name}: requests reached {r['request_recall']:.0%}, emergencies as urgent medical "
              f"tickets {r['emergency_recall']:.0%}, precision {r['precision']:.0%}, "
              f"recall {r['recall']:.0%}, chat to owner {r['chat_to_owner']}, chat tickets {r['chat_tickets']}")
    unseen = evaluate([r for r in rows if r.get("variant") == "unseen"])
    print(f"rows marked unseen (written before the last rule change): requests reached "
          f"{unseen['request_recall']:.0%} of {unseen['requests']}, chat to owner {unseen['chat_to_owner']} "
          f"of {unseen['chat']}")
    result["missed"] = len(result["missed"])  # type: ignore[arg-type]
    print(json.dumps({**result, "floor_request_recall": floor["request_recall"],
                      "floor_emergency_recall": floor["emergency_recall"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
