"""``gridbot roster import|export`` and ``gridbot picklist``: rosters and pick lists as files.

An import replaces, for each checkpoint and day it covers, the fixed shifts of bot.toml (those
nobody checked in on yet) and adds its own; importing the same file again changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from bot import picklist, rosters
from bot.app import App
from bot.audit import cli_actor
from bot.commands import open_app
from bot.config import Config
from bot.picklist_files import as_json, make
from bot.rosters_file import RosterFileError, RosterRow, read_roster, write_roster


async def roster(args: argparse.Namespace, config: Config) -> int:
    """``roster import FILE`` or ``roster export --out FILE``."""
    app = await open_app(config)
    try:
        if args.action == "import":
            return await _import(app, args.file)
        return await _export(app, args)
    finally:
        await app.close()


async def _import(app: App, path: Path) -> int:
    today = rosters.local_day(app.now(), app.config.tz)
    try:
        read = await asyncio.to_thread(lambda: list(read_roster(path, app.config, today)))
    except RosterFileError as exc:
        print(f"没有导入：{exc}", file=sys.stderr)
        return 2
    good = [r for r in read if isinstance(r, RosterRow)]
    for line in (r for r in read if isinstance(r, str)):
        print(line, file=sys.stderr)
    by_day: dict[tuple[str, str], list[RosterRow]] = defaultdict(list)
    for row in good:
        by_day[(row.checkpoint, row.day.isoformat())].append(row)
    added = shifts = 0
    async with app.store.tx():  # the whole file and its audit entry, or nothing
        for (key, day), rows in by_day.items():
            await app.store.rosters.drop_config_shifts(key, day)
            cp = rosters.checkpoint_named(app.config, key)
            group = app.config.group(cp.group) if cp else None
            platform = group.platform if group else "console"
            for row in rows:
                start, end = rosters.shift_times(row.day, row.start, row.end, app.config.tz)
                shift, new = await app.store.rosters.add_shift(key, day, row.shift, row.start, row.end,
                                                               start, end, "import")
                shifts += new
                added += await app.store.rosters.add_duty(shift, row.name, platform, row.user_id, row.phone)
        summary = (f"导入排班 {len(good)} 人次（新增 {added}，已有 {len(good) - added}），"
                   f"新班次 {shifts} 个，跳过 {len(read) - len(good)} 行")
        await app.store.audit.record(cli_actor(), "roster_import", str(path), summary, app.now())
    print(summary)
    return 1 if len(read) > len(good) else 0


async def _export(app: App, args: argparse.Namespace) -> int:
    today = rosters.local_day(app.now(), app.config.tz)
    first = rosters.parse_day(args.first, today) if args.first else today
    last = rosters.parse_day(args.last, today) if args.last else first and first + timedelta(days=6)
    if first is None or last is None or last < first:
        print(f"--from/--to 看不懂或顺序不对：{rosters.DAY_HINT}", file=sys.stderr)
        return 2
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    await rosters.ensure_days(app.store, app.config, [d for d in days if d >= today])
    duties = await app.store.rosters.between(first.isoformat(), last.isoformat())
    names = {cp.key: cp.name for cp in app.config.checkpoints}
    count = await asyncio.to_thread(write_roster, duties, names, args.out, app.config.tz)
    async with app.store.tx():
        await app.store.audit.record(cli_actor(), "export", "排班 xlsx",
                                     f"导出 {count} 人次到 {args.out}", app.now())
    print(f"已导出 {first.isoformat()} 至 {last.isoformat()} 的排班 {count} 人次到 {args.out}", file=sys.stderr)
    return 0


async def picklist_command(args: argparse.Namespace, config: Config) -> int:
    """``picklist --group KEY [--date D] --format xlsx|json [--out FILE]``."""
    app = await open_app(config)
    try:
        group = app.directory.find(args.group)
        if group is None:
            print(f"没有名为「{args.group}」的群（--group 写群的 key 或完整群名）；用 gridbot groups tree 查看",
                  file=sys.stderr)
            return 2
        today = rosters.local_day(app.now(), app.config.tz)
        day = rosters.parse_day(args.date, today) if args.date else today
        if day is None:
            print(f"--date「{args.date}」看不懂：{rosters.DAY_HINT}", file=sys.stderr)
            return 2
        made = await make(app.store, app.config, group, day, out=args.out, xlsx=args.format == "xlsx")
        if not made.buildings:
            print(f"{day.isoformat()} {group.name}没有待配送的买菜代办，没有生成配菜单。", file=sys.stderr)
            return 1
        if args.format == "json":
            text = as_json(made.buildings) + "\n"
            if args.out is None:
                sys.stdout.write(text)
            else:
                args.out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                args.out.write_text(text, encoding="utf-8")
        async with app.store.tx():
            await app.store.audit.record(cli_actor(), "export", f"配菜单 {args.format}",
                                         f"{group.name} {day.isoformat()} 到 {made.path or args.out or '标准输出'}",
                                         app.now())
        homes, errands = picklist.counts(made.buildings)
        where = made.path or args.out or "标准输出"
        print(f"配菜单 {group.name} {day.isoformat()}：{homes} 户 {errands} 单，已写到 {where}", file=sys.stderr)
        return 0
    finally:
        await app.close()
