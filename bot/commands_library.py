"""What ``gridbot rumors import`` and ``gridbot faq import`` print and record about a file."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.audit import cli_actor
from bot.rumor_match import Match
from bot.store import Store

#: Bad rows listed one by one; the rest are counted.
SHOW_ERRORS = 50


async def report_import(store: Store, *, file: Path, action: str, errors: Sequence[tuple[int, str]],
                        rows: int, taken: Sequence[str], taken_note: str, hint: str,
                        now: datetime) -> int:
    """Bad rows by line, ids already present, one summary line and an audit entry; the exit code.

    ``taken_note`` follows the list of ids already present (what to do about them).
    """
    for line, reason in errors[:SHOW_ERRORS]:
        print(f"第 {line} 行：{reason}", file=sys.stderr)
    if len(errors) > SHOW_ERRORS:
        print(f"……另有 {len(errors) - SHOW_ERRORS} 行有问题，未列出", file=sys.stderr)
    if taken:
        shown = "、".join(taken[:20]) + (" 等" if len(taken) > 20 else "")
        print(f"{len(taken)} 条的编号{taken_note.format(ids=shown)}", file=sys.stderr)
    added = rows - len(taken)
    if added:
        await store.audit.record(cli_actor(), action, str(file),
                                 f"导入 {added} 条，跳过 {len(errors) + len(taken)} 条", now)
    print(f"已导入 {added} 条；有问题未导入 {len(errors)} 行；编号重复 {len(taken)} 条。")
    if not rows and not errors:
        print(f"文件里没有记录。{hint}", file=sys.stderr)
    return 0 if added or not (errors or taken) else 1


def print_match(match: Match, found: tuple[str, str, str] | None, *, as_json: bool, none: str) -> int:
    """What ``match`` prints: the JSON the issue names, or the entry (id, title, answer) in words."""
    if as_json:
        print(json.dumps(match.as_json(), ensure_ascii=False))
    elif found is None:
        print(none)
    else:
        entry_id, title, answer = found
        verb = {"answer": "会自动答复", "suggest": "会推荐给群主确认"}[match.action]
        print(f"{entry_id}（相似度 {match.score:.0f}，{verb}）：{title}")
        print(answer)
    return 0
