"""What each ``gridbot`` subcommand does, once its config is loaded."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from bot import export, logsafe, notices, retention, runlock
from bot.adapter import SetupError, make_adapter
from bot.adapters.console import ConsoleAdapter, run_transcript
from bot.app import App
from bot.audit import ACTION_LABEL, cli_actor, render_line
from bot.config import LEVEL_NAMES, SAVE_AS_UTF8, Config, GroupConfig
from handlers import ROUTERS
from schedules import JOBS
from schedules import retention as retention_job

log = logging.getLogger("gridbot")

#: Notices published from the command line have no chat to report back to.
CLI_AUTHOR = ("cli", "cli", "命令行")
#: Tickets read per query by the export: enough to keep SQLite busy, few enough to stay small.
EXPORT_PAGE = 2000


def not_utf8(what: str, data: bytes, exc: UnicodeDecodeError) -> str:
    """One line saying which file is not UTF-8, where, and how to fix it."""
    line = data[: exc.start].count(b"\n") + 1
    return f"{what}不是 UTF-8 编码（第 {line} 行；可能是 GBK/ANSI）。{SAVE_AS_UTF8}"


def read_utf8(path: Path | str, what: str) -> tuple[str | None, str | None]:
    """A text file's content, or a one-line Chinese reason it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, f"无法读取{what.strip()}：{exc.strerror or exc}"
    try:
        return data.decode("utf-8-sig"), None  # Notepad may add a byte-order mark
    except UnicodeDecodeError as exc:
        return None, not_utf8(what, data, exc)


async def open_app(config: Config) -> App:
    """The bot with every router and job: the one place ``bot/`` names ``handlers``/``schedules``."""
    return await App.open(config, routers=ROUTERS, jobs=JOBS)


async def run(args: argparse.Namespace, config: Config) -> int:
    """Run the bot until interrupted or the console is closed; one bot per database."""
    platforms = tuple(args.platform or config.platforms)
    with runlock.hold(config.database, platforms, datetime.now(config.tz)):
        return await _run(platforms, config)


async def _run(platforms: tuple[str, ...], config: Config) -> int:
    app = await open_app(config)
    dashboard = None
    try:
        for name in platforms:
            app.attach(make_adapter(name, app.services))
        if config.web.enabled:  # [web] enabled: the dashboard shares this process's store and outbox
            from bot.web.app import start

            dashboard = await start(app.services, app.dispatcher, config.web.host, config.web.port)
            log.info("web dashboard on %s:%s (%s)", config.web.host, config.web.port, config.web.url)
        log.info("gridbot running on %s with database %s", ", ".join(app.adapters), config.database)
        await app.run()
    except SetupError as exc:
        print(logsafe.redact(f"无法启动 (cannot start): {exc}"), file=sys.stderr)
        return 2
    finally:
        if dashboard is not None:
            await dashboard.cleanup()
        await app.close()
    return 0


def _whole_file(name: str, what: str) -> tuple[str | None, str | None]:
    """A regular file's text (or why not); ``(None, None)`` for stdin, pipes and missing paths.

    A file is decoded whole before anything runs, so that a GBK line near its end cannot leave
    the lines before it handled and the rest not; stdin and pipes are checked as they are read.
    """
    if name == "-" or not Path(name).is_file():
        return None, None
    return read_utf8(name, what)


async def console(args: argparse.Namespace, config: Config) -> int:
    """Feed a transcript through the console adapter; exit 0 when it was read to the end."""
    what = "标准输入" if args.transcript == "-" else f"对话脚本 {args.transcript} "
    content, problem = _whole_file(args.transcript, what)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    # The console sends (queued notices, reminders) like any bot: it must be the only one.
    with runlock.hold(config.database, ("console",), datetime.now(config.tz)):
        return await _console(args, config, content, what)


async def _console(args: argparse.Namespace, config: Config, content: str | None, what: str) -> int:
    app = await open_app(config)
    try:
        adapter = ConsoleAdapter(app.directory, app.now, out=sys.stdout, transcript=True)
        app.attach(adapter)
        await app.recover()
        await app.outbox.drain("console")
        with ExitStack() as stack:
            lines: Iterable[str]
            if content is not None:
                lines = content.splitlines()
            elif args.transcript == "-":
                lines = sys.stdin
            else:
                try:
                    # A pipe or device: each line is handled before the next is read.
                    lines = stack.enter_context(open(args.transcript, encoding="utf-8-sig"))  # noqa: ASYNC230
                except OSError as exc:
                    print(f"无法读取对话脚本 {args.transcript}：{exc.strerror}", file=sys.stderr)
                    return 2
            try:
                await run_transcript(lines, adapter, app.handle, lambda: app.outbox.drain("console"))
            except UnicodeDecodeError as exc:  # stdin or a pipe, which cannot be checked first
                print(f"{what}不是 UTF-8 编码（可能是 GBK/ANSI），已停止读取。{SAVE_AS_UTF8}",
                      file=sys.stderr)
                log.debug("decoding the transcript failed", exc_info=exc)
                return 2
    finally:
        await app.close()
    return 0


async def tickets(args: argparse.Namespace, config: Config) -> int:
    """Export every ticket, streamed page by page: memory stays flat at any number of tickets."""
    if args.format == "xlsx" and args.out is None:
        print("xlsx 需要用 --out 指定文件 (xlsx needs --out FILE)", file=sys.stderr)
        return 2
    app = await open_app(config)
    try:
        with export.opened(args.out) as out:
            ledger = export.Ledger(args.format, out)
            last = 0
            while page := await app.store.tickets.export_rows(after=last, limit=EXPORT_PAGE):
                ledger.add(export.ledger_rows(page, config.tz))
                last = page[-1][0].id
            ledger.close()
        async with app.store.tx():  # only once the ledger is out: who took which data, when
            await app.store.audit.record(cli_actor(), "export", f"工单台账 {args.format}",
                                         f"导出 {ledger.count} 张工单到 {args.out or '标准输出'}", app.now())
    finally:
        await app.close()
    if args.out is not None:
        print(f"已导出 {ledger.count} 张工单到 {args.out}", file=sys.stderr)
    return 0


async def check(args: argparse.Namespace, config: Config) -> int:
    """Validate the config and look at the database without creating or changing it."""
    from bot.store.readonly import NoDatabase, peek

    state = await peek(config.database)
    bound = 0
    if isinstance(state, NoDatabase):
        if not state.writable:
            print(f"无法使用数据库 {config.database}：文件夹 {state.folder} 没有写入权限，gridbot run "
                  "无法在那里创建数据库。请用 --db 指定其他路径，或修改配置文件 [bot] database", file=sys.stderr)
            return 2
        status = "（还不存在，第一次 gridbot run 时会创建）"
    elif state.version > state.latest:
        print(f"数据库 {config.database} 的版本是 {state.version}，比这个 gridbot 认识的 {state.latest} 新："
              "它是更新的版本建的。请先升级 gridbot（git pull 后 make），再启动。", file=sys.stderr)
        return 2
    else:
        # Counted as the directory counts them: a bound chat that bot.toml also lists is the config's.
        bound = len(set(state.bound_chats) - {(g.platform, g.chat_id) for g in config.groups})
        status = (f"（版本 {state.version}）" if state.version == state.latest else  # run migrates, check only says so
                  f"（版本 {state.version}，gridbot run 启动时会自动升级到 {state.latest}，升级前请先备份）")
    more = f"（另有 {bound} 个用「绑定」登记的群）" if bound else ""
    print(f"配置正常：{len(config.groups)} 个群{more}，数据库 {config.database}{status}")
    if not config.groups and not bound:
        print(f"注意：{config.path} 里没有任何群（[[groups]]），数据库里也没有用「绑定」登记的群。"
              "机器人能启动，但不会在任何群里受理工单。请在配置文件里加上 [[groups]]，"
              "或让群主把机器人拉进群后发送「绑定 群名」。", file=sys.stderr)
    return 0


async def groups_tree(args: argparse.Namespace, config: Config) -> int:
    """Print the hierarchy: platform, owners and open tickets per group."""
    app = await open_app(config)
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
            if group.tickets != (group.level == "village"):  # only when bot.toml overrides the level
                review += " · 受理居民工单" if group.tickets else " · 不受理居民工单"
            print(f"{prefix}{branch}{group.name} [{LEVEL_NAMES[group.level]} · {group.platform}{review}]"
                  f" 群主：{owners} · 未办结工单 {open_counts.get(group.key, 0)}")
            children = app.directory.children(group.key)
            inner = prefix + ("" if top else ("   " if last else "│  "))
            for i, child in enumerate(children):
                show(child, inner, i == len(children) - 1, False)

        for root in roots:
            show(root, "", True, True)
        loose = app.directory.unattached()
        if loose:
            print(f"\n注意：{len(loose)} 个群没有挂到上级群下，区里的通知和超时督办到不了："
                  f"{'、'.join(g.name for g in loose)}。用「绑定」登记的群请在群里发送「绑定 上级 上级群名」；"
                  "bot.toml 里的群请写 parent。")
    finally:
        await app.close()
    return 0


async def notice(args: argparse.Namespace, config: Config) -> int:
    """``notice send`` queues a notice for the running bot; ``notice report`` prints receipts."""
    app = await open_app(config)
    try:
        if args.action == "report":
            parsed = notices.parse_code(args.code, "N")  # N3, n3, Ｎ３ or 3
            found = await app.store.notices.get(parsed[0]) if parsed and not parsed[1] else None
            if found is None:
                print(f"没有找到通知 {args.code}", file=sys.stderr)
                return 1
            print(notices.render_report(await notices.report(app.services, found), app.services))
            return 0
        origin = app.directory.find(args.origin)
        if origin is None:
            print(f"没有名为「{args.origin}」的群 (no such group); 用 gridbot groups tree 查看",
                  file=sys.stderr)
            return 2
        if args.file is not None:
            content, problem = read_utf8(args.file, f"通知文件 {args.file} ")
            if content is None:
                print(problem, file=sys.stderr)
                return 2
            text = content.strip()
        else:
            text = (args.text or "").strip()
        if not text:
            print("通知内容为空：请在命令后写上内容，或用 --file 指定文件", file=sys.stderr)
            return 2
        published = await notices.publish(app.services, origin, text, CLI_AUTHOR, app.now(),
                                          subtree=not args.only)
        assert published is not None
        report = await notices.report(app.services, published)
        print(f"已发布通知 {published.code} 到「{origin.name}」等 {len(report.deliveries)} 个群；"
              f"运行中的机器人会依次发出。查看回执：gridbot notice report {published.code}")
    finally:
        await app.close()
    return 0


async def doctor(args: argparse.Namespace, config: Config) -> int:
    """Print one line per check (config, database, files, disk, running bot, platforms)."""
    from bot.doctor import diagnose, report

    text, code = report(await diagnose(config))
    print(text)
    return code


async def backup(args: argparse.Namespace, config: Config) -> int:
    """Copy the database to ``args.out`` while the bot may be running."""
    from bot.backup import BackupRefused
    from bot.backup import backup as copy

    try:
        result = await asyncio.to_thread(copy, config.database, args.out, force=args.force)
    except BackupRefused as exc:
        print(f"没有备份：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"没有备份：无法写入 {args.out}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(result.summary(config.database))
    return 0


# --- retention and audit: ``gridbot purge`` and ``gridbot audit`` ---------------------------

async def purge(args: argparse.Namespace, config: Config) -> int:
    """Show (``--dry-run``) or do what the ``[privacy]`` settings remove, with the counts."""
    app = await open_app(config)
    try:
        now = app.now()
        if args.dry_run:
            print(retention.describe(await retention.plan(app.store, config.privacy, now, tz=config.tz),
                                     config.tz, done=False))
            print("（演练：没有做任何更改；去掉 --dry-run 即执行。"
                  f"运行中的机器人每天 {retention_job.AT} 自动执行。）")
            return 0
        outcome = await retention.purge(app.store, config.privacy, now, cli_actor(), tz=config.tz)
        print(retention.describe(outcome, config.tz, done=True))
    finally:
        await app.close()
    return 0


AUDIT_FIELDS = ("id", "at", "actor_platform", "actor_id", "actor_name", "action", "action_label",
                "target", "detail")


async def audit(args: argparse.Namespace, config: Config) -> int:
    """Print the audit log newest first, page by page (keyset), at most ``--limit`` entries."""
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=config.tz)
        except ValueError:
            print(f"--since 的日期「{args.since}」看不懂：请写成 2026-11-01 或 \"2026-11-01 08:00\"",
                  file=sys.stderr)
            return 2
    if args.limit < 1:
        print(f"--limit 应是正整数（最多打印多少条），不是 {args.limit}", file=sys.stderr)
        return 2
    app = await open_app(config)
    try:
        writer = csv.writer(sys.stdout) if args.format == "csv" else None
        if writer is not None:
            writer.writerow(AUDIT_FIELDS)
        if args.format == "json":
            print("[")
        shown, before = 0, None
        while shown < args.limit:
            page = await app.store.audit.latest(since=since, limit=min(500, args.limit - shown),
                                                before=before)
            for entry in page:
                row = (entry.id, entry.at.astimezone(config.tz).isoformat(), entry.actor.platform,
                       entry.actor.id, entry.actor.name, entry.action,
                       ACTION_LABEL.get(entry.action, entry.action), entry.target, entry.detail)
                if writer is not None:
                    writer.writerow(row)
                elif args.format == "json":
                    comma = "," if shown else " "
                    print(comma + json.dumps(dict(zip(AUDIT_FIELDS, row, strict=True)), ensure_ascii=False))
                else:
                    print(render_line(entry, config.tz))
                shown += 1
            if len(page) < 500:
                break
            before = (page[-1].at, page[-1].id)
        if args.format == "json":
            print("]")
        elif args.format == "text" and not shown:
            print("审计记录为空" + (f"（{args.since} 以来）" if since else ""), file=sys.stderr)
    finally:
        await app.close()
    return 0
