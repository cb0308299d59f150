"""What each ``gridbot`` subcommand does, once its config is loaded."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack

from bot import export, notices
from bot.adapter import Adapter, SetupError
from bot.adapters.console import ConsoleAdapter, run_transcript
from bot.app import App
from bot.config import LEVEL_NAMES, Config, GroupConfig, env_secret

log = logging.getLogger("gridbot")

#: Notices published from the command line have no chat to report back to.
CLI_AUTHOR = ("cli", "cli", "命令行")


def make_adapter(name: str, app: App) -> Adapter:
    """The adapter for one platform name; secrets come from the environment only."""
    config = app.config
    if name == "console":
        return ConsoleAdapter(app.directory, app.now, drain=lambda: app.outbox.drain("console"))
    if name == "telegram":
        from bot.adapters.telegram import TelegramAdapter, check_token

        token = check_token(env_secret(config.telegram.token_env), config.telegram.token_env)
        return TelegramAdapter(token, base_url=config.telegram.base_url,
                               poll_timeout=config.telegram.poll_timeout)
    from bot.adapters.wechat import WechatAdapter

    return WechatAdapter.from_env(config.wechat, app.directory)


async def run(args: argparse.Namespace, config: Config) -> int:
    """Run the bot until interrupted or the console is closed."""
    app = await App.open(config)
    try:
        for name in args.platform or config.platforms:
            app.attach(make_adapter(name, app))
        log.info("gridbot running on %s with database %s", ", ".join(app.adapters), config.database)
        await app.run()
    except SetupError as exc:
        print(f"无法启动 (cannot start): {exc}", file=sys.stderr)
        return 2
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
                    # Read line by line on purpose: each line is handled before the next is read.
                    lines = stack.enter_context(open(args.transcript, encoding="utf-8-sig"))  # noqa: ASYNC230
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


async def groups_tree(args: argparse.Namespace, config: Config) -> int:
    """Print the hierarchy: platform, owners and open tickets per group."""
    app = await App.open(config)
    try:
        open_counts: dict[str, int] = {}
        for t in await app.store.tickets.list(open_only=True):
            open_counts[t.group_key] = open_counts.get(t.group_key, 0) + 1
        roots = [g for g in app.directory.groups
                 if g.parent is None or app.directory.group(g.parent) is None]

        def show(group: GroupConfig, prefix: str, last: bool, top: bool) -> None:
            branch = "" if top else ("└─ " if last else "├─ ")
            owners = "、".join(group.owners) or "无"
            review = " · 需审核" if group.review else ""
            print(f"{prefix}{branch}{group.name} [{LEVEL_NAMES[group.level]} · {group.platform}{review}]"
                  f" 群主：{owners} · 未办结工单 {open_counts.get(group.key, 0)}")
            children = app.directory.children(group.key)
            inner = prefix + ("" if top else ("   " if last else "│  "))
            for i, child in enumerate(children):
                show(child, inner, i == len(children) - 1, False)

        for root in roots:
            show(root, "", True, True)
    finally:
        await app.close()
    return 0


async def notice(args: argparse.Namespace, config: Config) -> int:
    """``notice send`` queues a notice for the running bot; ``notice report`` prints receipts."""
    app = await App.open(config)
    try:
        if args.action == "report":
            code = args.code.strip().upper()
            found = await app.store.notices.get(code if code.startswith("N") else f"N{code}")
            if found is None:
                print(f"没有找到通知 {args.code}", file=sys.stderr)
                return 1
            print(notices.render_report(await notices.report(app, found), app))
            return 0
        origin = app.directory.find(args.origin)
        if origin is None:
            print(f"没有名为「{args.origin}」的群 (no such group); 用 gridbot groups tree 查看",
                  file=sys.stderr)
            return 2
        if args.file is not None:
            try:
                text = args.file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                print(f"无法读取 {args.file}：{exc.strerror}", file=sys.stderr)
                return 2
        else:
            text = (args.text or "").strip()
        if not text:
            print("通知内容为空：请在命令后写上内容，或用 --file 指定文件", file=sys.stderr)
            return 2
        published = await notices.publish(app, origin, text, CLI_AUTHOR, app.now(),
                                          subtree=not args.only)
        assert published is not None
        report = await notices.report(app, published)
        print(f"已发布通知 {published.code} 到「{origin.name}」等 {len(report.deliveries)} 个群；"
              f"运行中的机器人会依次发出。查看回执：gridbot notice report {published.code}")
    finally:
        await app.close()
    return 0
