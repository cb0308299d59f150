"""``gridbot faq import|list|match``: policy Q&A (政策问答) from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot import faq
from bot.commands import read_utf8
from bot.commands_library import print_match, report_import
from bot.config import Config
from bot.directory import Directory
from bot.faq_file import FORMAT_HINT, parse
from bot.store import Store, open_store
from bot.text import one_line


async def faq_command(args: argparse.Namespace, config: Config) -> int:
    """Run one ``faq`` action against the configured database."""
    store = await open_store(config.database)
    try:
        now = datetime.now(config.tz)
        if args.action == "match":
            return await _match(args, store, now, config)
        if args.action == "import":
            return await _import(args, store, now, config)
        return await _list(args, store, now)
    finally:
        await store.close()


async def _import(args: argparse.Namespace, store: Store, now: datetime, config: Config) -> int:
    text, why = read_utf8(args.file, "问答文件 ")
    if text is None:
        print(why, file=sys.stderr)
        return 2
    keys = {g.key for g in Directory(config, await store.groups.all()).groups}
    parsed = parse(text, csv_file=str(args.file).lower().endswith(".csv"), today=now.date(), groups=keys)
    taken = await store.faq.add_many(parsed.rows, now) if parsed.rows else []
    return await report_import(
        store, file=args.file, action="faq_import", errors=parsed.errors, rows=len(parsed.rows),
        taken=taken, taken_note="已在问答库中，保持原样未导入：{ids}（要更新，请换一个新编号导入）",
        hint=FORMAT_HINT, now=now)


async def _list(args: argparse.Namespace, store: Store, now: datetime) -> int:
    shown = 0
    async for e in store.faq.scan():
        d = e.data
        state = "" if d.valid_on(now.date()) else "（已过期）"
        until = f"至 {d.valid_until}" if d.valid_until else "长期"
        print(f"{d.id}{state}\t{one_line(d.question, 30)}\t{len(d.variants)} 种问法\t"
              f"{one_line(d.answer, 40)}\t{d.source}\t{until}\t{d.scope or '全部群'}")
        shown += 1
    if not shown:
        print("问答库是空的。用「gridbot faq import 文件」导入，例如 data/faq.jsonl。")
    return 0


async def _match(args: argparse.Namespace, store: Store, now: datetime, config: Config) -> int:
    scopes = None
    if args.group:
        directory = Directory(config, await store.groups.all())
        group = directory.find(args.group)
        if group is None:
            print(f"没有群「{one_line(args.group, 20)}」。--group 写群的 key 或完整群名"
                  "（用「gridbot groups」查看）。", file=sys.stderr)
            return 2
        scopes = faq.chain(directory, group)
    found = await faq.find(store, faq.FaqCache(), args.text, now, scopes)
    entry = found.entry
    return print_match(found.match, (entry.id, entry.question, faq.answer_text(entry)) if entry else None,
                       as_json=args.json, none="问答库里没有相近的问题（或相近的已过期、不适用于这个群）。")
