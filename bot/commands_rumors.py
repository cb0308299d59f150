"""``gridbot rumors import|list|retire|match``: the rumour library from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot import rumors as library
from bot.audit import cli_actor
from bot.commands import read_utf8
from bot.commands_library import print_match, report_import
from bot.config import Config
from bot.rumor_file import FORMAT_HINT, parse
from bot.rumor_match import RumorCache
from bot.store import Store, open_store
from bot.text import one_line


async def rumors(args: argparse.Namespace, config: Config) -> int:
    """Run one ``rumors`` action against the configured database."""
    store = await open_store(config.database)
    try:
        now = datetime.now(config.tz)
        action = {"import": _import, "list": _list, "retire": _retire, "match": _match}[args.action]
        return await action(args, store, now)
    finally:
        await store.close()


async def _import(args: argparse.Namespace, store: Store, now: datetime) -> int:
    text, why = read_utf8(args.file, "谣言库文件 ")
    if text is None:
        print(why, file=sys.stderr)
        return 2
    parsed = parse(text, csv_file=str(args.file).lower().endswith(".csv"), today=now.date())
    taken = await store.rumors.add_many(parsed.rows, now) if parsed.rows else []
    return await report_import(
        store, file=args.file, action="rumors_import", errors=parsed.errors, rows=len(parsed.rows),
        taken=taken, taken_note="已在谣言库中，保持原样未导入：{ids}"
                                "（要更换，请先「gridbot rumors retire 编号」，再用新编号导入）",
        hint=FORMAT_HINT, now=now)


async def _list(args: argparse.Namespace, store: Store, now: datetime) -> int:
    shown = 0
    async for e in store.rumors.scan(include_retired=args.all):
        d = e.data
        state = "（已停用）" if e.retired else ""
        print(f"{d.id}{state}\t{library.VERDICT_WORDS[d.verdict]}\t{d.published_at}\t"
              f"{one_line(d.claim, 40)}\t{one_line(d.refutation, 40)}\t{d.source}")
        shown += 1
    if not shown:
        print("谣言库是空的。用「gridbot rumors import 文件」导入，例如 data/rumors.jsonl。")
    return 0


async def _retire(args: argparse.Namespace, store: Store, now: datetime) -> int:
    entry = await library.retire(store, RumorCache(), args.id, now)
    if entry is None:
        print(f"谣言库里没有编号 {args.id}。用「gridbot rumors list」查看编号。", file=sys.stderr)
        return 1
    await store.audit.record(cli_actor(), "rumors_retire", args.id, one_line(entry.data.claim, 60), now)
    print(f"已停用 {args.id}：{one_line(entry.data.claim, 40)}。之后不再用它答复。")
    return 0


async def _match(args: argparse.Namespace, store: Store, now: datetime) -> int:
    found = await library.find(store, RumorCache(), args.text, now)
    entry = found.entry
    summary = (entry.id, entry.data.claim, library.answer_text(entry)) if entry else None
    return print_match(found.match, summary, as_json=args.json, none="谣言库里没有相近的说法。")
