"""``gridbot households import|export``: the household register from and to spreadsheets.

Reading and writing the files is :mod:`bot.household_file`; this module resolves groups,
reports bad rows by line, saves the good rows in one transaction with an audit entry, and
streams exports page by page from the store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from bot.app import App
from bot.audit import cli_actor
from bot.commands import open_app
from bot.config import Config, GroupConfig
from bot.household_file import (
    Format,
    HouseholdFileError,
    HouseholdRow,
    RowError,
    iter_households,
    write_households,
)
from bot.progress import Progress
from bot.store.households import Household, HouseholdData
from bot.text import normalize

#: Households handed from the store to the file writer at a time.
BATCH = 1000


class _DryRun(Exception):
    """Raised inside the import's transaction so that a dry run rolls everything back."""


async def households(args: argparse.Namespace, config: Config) -> int:
    """``households import`` or ``households export``."""
    app = await open_app(config)
    try:
        if args.action == "import":
            return await _import(app, args)
        return await _export(app, args)
    finally:
        await app.close()


def _group(app: App, name: str | None) -> GroupConfig | None | str:
    """The group ``--group`` names, None when not given, or the error line to print."""
    if name is None:
        return None
    group = app.directory.find(name)
    if group is None:
        return f"没有名为「{name}」的群（--group 写群的 key 或完整群名）；用 gridbot groups tree 查看"
    return group


def _read(app: App, args: argparse.Namespace, default: GroupConfig | None,
          ) -> tuple[dict[tuple[str, str], HouseholdData], list[str], int]:
    """Good rows by (group, address) (a later row wins), bad-row lines, and rows read."""
    rows: dict[tuple[str, str], HouseholdData] = {}
    lines: dict[tuple[str, str], int] = {}
    bad: list[str] = []
    seen = 0
    groups: dict[str, GroupConfig | None] = {}
    progress = Progress("读取")
    for item in iter_households(args.file, default_group=default.key if default else None,
                                progress=progress.update):
        seen += 1
        if isinstance(item, RowError):
            bad.append(item.reason)
            continue
        if item.group not in groups:
            groups[item.group] = app.directory.find(item.group)
        group = groups[item.group]
        if group is None:
            bad.append(f"第{item.line}行：没有名为「{item.group}」的群，请写群的 key 或完整群名"
                       "（gridbot groups tree 可查看）。")
            continue
        key = (group.key, item.address_key)
        if key in lines:
            bad.append(f"第{lines[key]}行：与第{item.line}行是「{group.name}」的同一户（{item.address}），"
                       f"以后面的第{item.line}行为准。")
        lines[key] = item.line
        # As written, but half-width and Simplified: "５－１－１０１" reads as 5-1-101 in a card.
        rows[key] = HouseholdData(group.key, item.address_key, normalize(item.address), item.head, item.phone,
                                  item.members, item.tags, item.grid)
    progress.close()
    return rows, bad, seen


async def _import(app: App, args: argparse.Namespace) -> int:
    default = _group(app, args.group)
    if isinstance(default, str):
        print(default, file=sys.stderr)
        return 2
    try:
        # Reading and checking the file is CPU work: off the event loop, like a backup.
        rows, bad, seen = await asyncio.to_thread(_read, app, args, default)
    except HouseholdFileError as exc:
        print(f"没有导入：{exc}", file=sys.stderr)
        return 2
    for line in bad:
        print(line, file=sys.stderr)
    skipped = seen - len(rows)
    now = app.now()
    try:
        async with app.store.tx():  # the rows and the audit entry commit together, or neither
            added, updated = await app.store.households.save_many(list(rows.values()), now)
            summary = f"导入 {len(rows)} 户（新增 {added}，更新 {updated}），跳过 {skipped} 行"
            if args.dry_run:
                raise _DryRun
            await app.store.audit.record(cli_actor(), "households_import", str(args.file), summary, now)
    except _DryRun:
        print(f"演练：{summary}。没有写入数据库；去掉 --dry-run 即导入。")
        return 1 if skipped else 0
    print(summary)
    return 1 if skipped else 0


def _row(h: Household, app: App) -> HouseholdRow:
    group = app.directory.group(h.group_key)
    # The name reads better in a spreadsheet; the key stays for a group no longer configured.
    return HouseholdRow(0, group.name if group else h.group_key, h.address, h.address_key, h.head,
                        h.phone, h.members, h.tags, h.grid_key)


async def _export(app: App, args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.out is None:
        print("xlsx 需要用 --out 指定文件 (xlsx needs --out FILE)", file=sys.stderr)
        return 2
    root = _group(app, args.group)
    if isinstance(root, str):
        print(root, file=sys.stderr)
        return 2
    keys = None if root is None else [g.key for g in app.directory.subtree(root.key)]
    pages = aiter(app.store.households.scan(keys, page=BATCH))
    loop = asyncio.get_running_loop()

    async def batch() -> list[Household]:
        out: list[Household] = []
        async for h in pages:
            out.append(h)
            if len(out) == BATCH:
                break
        return out

    def rows() -> Iterator[HouseholdRow]:
        # The writer runs in a thread; it pulls one page at a time from the loop's store.
        while chunk := asyncio.run_coroutine_threadsafe(batch(), loop).result():
            yield from (_row(h, app) for h in chunk)

    fmt = cast(Format, args.format)
    if args.out is None:
        with tempfile.TemporaryDirectory() as folder:  # 0700: the umask of every gridbot command
            path = Path(folder) / f"households.{fmt}"
            count = await asyncio.to_thread(write_households, rows(), path, fmt)
            with path.open("rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.flush()
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if args.out.is_file():  # phones and tags: an older world-readable export loses that
            os.chmod(args.out, 0o600)
        count = await asyncio.to_thread(write_households, rows(), args.out, fmt)
    async with app.store.tx():
        await app.store.audit.record(cli_actor(), "export", f"住户登记 {fmt}",
                                     f"导出 {count} 户到 {args.out or '标准输出'}", app.now())
    if args.out is not None:
        print(f"已导出 {count} 户到 {args.out}", file=sys.stderr)
    return 0
