"""What each ``gridbot`` subcommand does, once its config is loaded."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack

from bot import export
from bot.adapter import Adapter
from bot.adapters.console import ConsoleAdapter, run_transcript
from bot.app import App
from bot.config import Config

log = logging.getLogger("gridbot")


def make_adapter(name: str, app: App) -> Adapter:
    """The adapter for one platform name."""
    if name == "console":
        return ConsoleAdapter(app.directory, app.now, drain=lambda: app.outbox.drain("console"))
    raise SystemExit(f"平台 {name} 尚未实现 (platform not available): {name}")


async def run(args: argparse.Namespace, config: Config) -> int:
    """Run the bot until interrupted or the console is closed."""
    app = await App.open(config)
    try:
        for name in args.platform or config.platforms:
            app.attach(make_adapter(name, app))
        log.info("gridbot running on %s with database %s", ", ".join(app.adapters), config.database)
        await app.run()
    finally:
        await app.close()
    return 0


async def console(args: argparse.Namespace, config: Config) -> int:
    """Feed a transcript through the console adapter; exit 0 when it was read to the end."""
    app = await App.open(config)
    try:
        adapter = ConsoleAdapter(app.directory, app.now, transcript=True)
        app.attach(adapter)
        await app.recover()
        await app.outbox.drain("console")
        with ExitStack() as stack:
            if args.transcript == "-":
                lines = sys.stdin
            else:
                try:
                    lines = stack.enter_context(open(args.transcript, encoding="utf-8-sig"))
                except OSError as exc:
                    print(f"无法读取对话脚本 {args.transcript}：{exc.strerror}", file=sys.stderr)
                    return 2
            await run_transcript(lines, adapter, app.handle, lambda: app.outbox.drain("console"))
    finally:
        await app.close()
    return 0


async def tickets(args: argparse.Namespace, config: Config) -> int:
    """Export every ticket."""
    app = await App.open(config)
    try:
        rows = export.ledger_rows(await app.store.tickets.export_rows(), config.tz)
    finally:
        await app.close()
    if args.format == "xlsx" and args.out is None:
        print("xlsx 需要用 --out 指定文件 (xlsx needs --out FILE)", file=sys.stderr)
        return 2
    export.write(export.render_ledger(rows, args.format), args.out)
    if args.out is not None:
        print(f"已导出 {len(rows)} 张工单到 {args.out}", file=sys.stderr)
    return 0


async def check(args: argparse.Namespace, config: Config) -> int:
    """Validate the config and migrate the database."""
    app = await App.open(config)
    await app.close()
    print(f"配置正常：{len(config.groups)} 个群，数据库 {config.database}")
    return 0
