"""The ``gridbot`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import adapters, logsafe
from bot.config import Config, ConfigError, env_secret, load_config
from bot.runlock import DatabaseBusy
from bot.store import StoreUnavailable

log = logging.getLogger("gridbot")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="bot.toml", type=Path,
                        help="config file (default: bot.toml)")
    parser.add_argument("--db", type=Path, help="SQLite database (default: from the config)")


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    parser = argparse.ArgumentParser(prog="gridbot", description="社区网格助手 Gridbot")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot on the configured platforms")
    _common(run)
    run.add_argument("--platform", action="append", choices=adapters.NAMES,
                     help="override bot.platforms (repeatable)")

    console = sub.add_parser("console", help="drive the bot with a transcript")
    _common(console)
    console.add_argument("--transcript", required=True,
                         help="file of <chat>|<user>|<text> lines, or - for stdin")

    tickets = sub.add_parser("tickets", help="ticket ledgers")
    tsub = tickets.add_subparsers(dest="action", required=True)
    export = tsub.add_parser("export", help="write every ticket as JSON, CSV or XLSX")
    _common(export)
    export.add_argument("--format", choices=["json", "csv", "xlsx"], default="csv")
    export.add_argument("--out", type=Path, help="output file (default: stdout)")

    groups = sub.add_parser("groups", help="the group hierarchy")
    gsub = groups.add_subparsers(dest="action", required=True)
    tree = gsub.add_parser("tree", help="print the hierarchy with platforms, owners, open tickets")
    _common(tree)

    notice = sub.add_parser("notice", help="notices down the hierarchy")
    nsub = notice.add_subparsers(dest="action", required=True)
    send = nsub.add_parser("send", help="publish a notice to a group and every group below it")
    _common(send)
    send.add_argument("--from", dest="origin", required=True, help="group key or name")
    send.add_argument("--file", type=Path, help="read the text from this file")
    send.add_argument("--only", action="store_true", help="this group only, not its subtree")
    send.add_argument("text", nargs="?", help="the notice text")
    report = nsub.add_parser("report", help="delivery and receipts of one notice")
    _common(report)
    report.add_argument("code", help="notice number, e.g. N3 (full-width Ｎ３ works)")

    check = sub.add_parser(
        "check",
        help="validate the config and open the database",
        description="Validate bot.toml and read the database without changing it. Exit 0 when "
                    "both are usable, 2 otherwise. A config without any [[groups]] (and no group "
                    "registered with 绑定) is valid but only gets a warning on stderr: the bot "
                    "would start but take no tickets anywhere.",
    )
    _common(check)
    _operations(sub)
    _retention_parsers(sub)
    _household_parsers(sub)
    _rumor_parsers(sub)
    _campaign_parsers(sub)
    _faq_parsers(sub)
    _roster_parsers(sub)
    _web_parser(sub)
    _report_parsers(sub)
    return parser


def _web_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = sub.add_parser("web", help="serve the staff dashboard (default 127.0.0.1:8080)")
    _common(web)
    web.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    web.add_argument("--port", type=int, help="port (default: [web] port, 8080)")


def _operations(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``doctor`` and ``backup``: for the IT volunteer, safe while the bot runs."""
    doctor = sub.add_parser(
        "doctor", help="check config, database, disk, running bot and platform logins",
        description="One line per check: ✓ fine, ! worth a look, ✗ broken. Exit 0 when nothing "
                    "is ✗, 1 otherwise. Never changes the database and never prints a token.")
    _common(doctor)
    backup = sub.add_parser(
        "backup", help="copy the database consistently, even while the bot runs",
        description="Copy the database to OUT with SQLite's online backup API, check the copy "
                    "(PRAGMA integrity_check) and make it readable by its owner only.")
    _common(backup)
    backup.add_argument("out", type=Path, help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace OUT if it exists")


def _retention_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``purge`` and ``audit`` ([privacy] retention and the audit log)."""
    purge = sub.add_parser(
        "purge", help="delete old message texts and care check-ins, anonymise long-closed "
                      "tickets and campaign answers ([privacy])",
        description="Blank the text of handled messages older than keep_messages_days (their ids "
                    "stay, so a redelivered message is still ignored); blank the name, address and "
                    "account of answers to campaigns closed more than keep_messages_days ago (the "
                    "counts per option stay); delete care check-ins of days older than "
                    "keep_messages_days (never today's or yesterday's); mask phone/ID numbers and "
                    "addresses of tickets closed more than anonymise_closed_after_days ago. A "
                    "setting of 0 keeps that data forever. The running bot does this daily at 03:30.")
    _common(purge)
    purge.add_argument("--dry-run", action="store_true", help="only print what would be done")
    audit = sub.add_parser("audit", help="print the audit log, newest first")
    _common(audit)
    audit.add_argument("--since", help="only entries from this date on, e.g. 2026-11-01")
    audit.add_argument("--limit", type=int, default=100, help="at most this many entries (100)")
    audit.add_argument("--format", choices=["text", "csv", "json"], default="text")


def _household_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``households import`` and ``households export``: the household register (住户登记)."""
    households = sub.add_parser("households", help="the household register (住户登记)")
    hsub = households.add_subparsers(dest="action", required=True)
    load = hsub.add_parser(
        "import", help="add or update households from CSV (UTF-8 or GBK), XLSX or JSON",
        description="Columns group,address,head,phone,members,tags,grid (or 群,地址,户主,电话,人数,标签,"
                    "网格). A row updates the household at the same (group, address). Bad rows are "
                    "listed by line and reason and skipped; the good rows go in one transaction. Exit "
                    "0 when every row was imported, 1 when some were skipped, 2 when the file is unusable.")
    _common(load)
    load.add_argument("file", type=Path, help="the .csv, .xlsx or .json file")
    load.add_argument("--group", help="group key or name for rows without a group column")
    load.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    dump = hsub.add_parser("export", help="write the households as CSV, XLSX or JSON",
                           description="The same columns as import takes, so a file can be edited "
                                       "and imported again.")
    _common(dump)
    dump.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    dump.add_argument("--out", type=Path, help="output file (default: stdout; xlsx needs --out)")
    dump.add_argument("--group", help="only this group (key or name) and the groups below it")


def _rumor_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``rumors import|list|retire|match``: the rumour library (谣言库)."""
    rumors = sub.add_parser("rumors", help="the rumour library: import, list, retire, match")
    rsub = rumors.add_subparsers(dest="action", required=True)
    imp = rsub.add_parser(
        "import", help="add entries from a JSON Lines or CSV file, keeping their ids",
        description="Each row: id, claim, verdict (false|true|misleading|unverified), refutation, "
                    "source, published_at. Bad rows are listed by line with the reason and left "
                    "out; the rest are imported. An id already in the library is reported and "
                    "left as it is. Exit 0 when something was imported or nothing was wrong.")
    _common(imp)
    imp.add_argument("file", type=Path, help="the .jsonl or .csv file (UTF-8)")
    lst = rsub.add_parser("list", help="print the entries, oldest first")
    _common(lst)
    lst.add_argument("--all", action="store_true", help="retired entries too")
    retire = rsub.add_parser("retire", help="stop answering with one entry")
    _common(retire)
    retire.add_argument("id", help="the entry id, e.g. L12")
    match = rsub.add_parser("match", help="what the bot would do with a resident's text")
    _common(match)
    match.add_argument("--json", action="store_true",
                       help='print {"match": id or null, "score": 0-100, "action": answer|suggest|none}')
    match.add_argument("text", help="the text, e.g. 网传明天封城，是真的吗？")


def _campaign_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``campaigns report`` (接龙 / 报名 / 投票)."""
    campaigns = sub.add_parser("campaigns", help="roll-calls, sign-ups and votes (接龙 / 报名 / 投票)")
    csub = campaigns.add_subparsers(dest="action", required=True)
    report = csub.add_parser(
        "report", help="one campaign's counts and the households that have not answered",
        description="JSON: code, title, households, answered, options (count per option) and "
                    "missing (address, head, phone). CSV/XLSX: every household with its answer.")
    _common(report)
    report.add_argument("code", help="campaign code, e.g. C1 (full-width Ｃ１ works)")
    report.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    report.add_argument("--out", type=Path, help="output file (default: stdout; xlsx needs one)")


def _faq_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``faq import|list|match``: policy Q&A (政策问答)."""
    faq = sub.add_parser("faq", help="policy Q&A (政策问答): import, list, match")
    fsub = faq.add_subparsers(dest="action", required=True)
    imp = fsub.add_parser(
        "import", help="add entries from a JSON Lines or CSV file, keeping their ids",
        description="Each row: id, question, variants (a list; in CSV split by |), answer, source, "
                    "published_at, valid_until (optional, inclusive), scope (optional group key: that "
                    "group and those below). Bad rows are listed by line with the reason and left out; "
                    "the rest are imported. Exit 0 when something was imported or nothing was wrong.")
    _common(imp)
    imp.add_argument("file", type=Path, help="the .jsonl or .csv file (UTF-8)")
    _common(fsub.add_parser("list", help="print the entries, oldest first, expired ones marked"))
    match = fsub.add_parser("match", help="what the bot would do with a resident's question")
    _common(match)
    match.add_argument("--json", action="store_true",
                       help='print {"match": id or null, "score": 0-100, "action": answer|suggest|none}')
    match.add_argument("--group", help="as asked in this group (key or name): scoped entries apply")
    match.add_argument("text", help="the question, e.g. 请问核酸检测点在哪里？")


def _roster_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``roster import|export`` (卡点排班) and ``picklist`` (配菜单)."""
    roster = sub.add_parser("roster", help="checkpoint duty rosters (卡点排班)")
    rsub = roster.add_subparsers(dest="action", required=True)
    load = rsub.add_parser(
        "import", help="add dated shifts from CSV (UTF-8 or GBK) or XLSX",
        description="Columns checkpoint,date,start,end,volunteer[,contact][,shift] (or 卡点,日期,开始,结束,"
                    "姓名,联系方式,班次); contact is a phone number or the person's platform id. Bad rows "
                    "are listed by line and skipped. Exit 0 when every row was imported, 1 when some were "
                    "skipped, 2 when the file is unusable.")
    _common(load)
    load.add_argument("file", type=Path, help="the .csv or .xlsx file")
    dump = rsub.add_parser("export", help="write the roster as XLSX (the columns import reads)")
    _common(dump)
    dump.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    dump.add_argument("--from", dest="first", help="first day (default today)")
    dump.add_argument("--to", dest="last", help="last day (default a week from the first)")
    pick = sub.add_parser(
        "picklist", help="a group's grocery pick list (配菜单) of one day",
        description="The day's open grocery errands by building: XLSX to print, or JSON "
                    '[{"building", "households": [{"address", "name", "phone", "items", "tickets"}]}]. '
                    "Exit 1 when the day has no errands.")
    _common(pick)
    pick.add_argument("--group", required=True, help="group key or name")
    pick.add_argument("--date", help="YYYY-MM-DD (default today)")
    pick.add_argument("--format", choices=["xlsx", "json"], default="xlsx")
    pick.add_argument("--out", type=Path,
                      help="output file (default: xlsx under data/reports/, json to stdout)")


def _report_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``digest daily|weekly|monthly|ranking``: 日报 / 周报 / 月报 and 考核排名 (bot/commands_reports.py)."""
    p = sub.add_parser("digest", help="日报 / 周报 / 月报 and the monthly ranking (考核排名): print or send",
                       description="Print a report (every group by township, or --group and those below "
                                   "it) or the ranking; --send queues it for the running bot instead.")
    _common(p)
    p.add_argument("kind", choices=["daily", "weekly", "monthly", "ranking"])
    p.add_argument("--group", help="that group and those below it (key or full name)")
    p.add_argument("--at", help="a day or month: 2026-11-20, 11月20日, 昨天, 上周, 2026-10, 上月 "
                                "(default: the period so far; the ranking: last month)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--send", action="store_true", help="queue for the running bot instead of printing")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gridbot`` script."""
    # Databases (and their -wal/-shm), backups, exports and lock files hold residents' data:
    # everything this process creates is for its owner only (files 0600, folders 0700).
    previous = os.umask(0o077)
    try:
        return _main(argv)
    finally:
        os.umask(previous)  # tests call main() in-process


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.command in ("console", "tickets", "groups", "notice", "doctor", "backup", "purge",
                             "audit", "households", "rumors", "campaigns", "faq", "roster",
                             "picklist", "digest")
    redactor = logsafe.install(
        logging.DEBUG if args.verbose else (logging.WARNING if quiet else logging.INFO))
    try:
        config = load_config(args.config, database=args.db)
    except ConfigError as exc:
        if args.command == "doctor":  # the report's first line, and the exit code of a failed check
            from bot.doctor import config_failed, report

            text, code = report(config_failed(exc))
            print(text)
            return code
        print(f"配置错误 (config error): {exc}", file=sys.stderr)
        return 2
    # The tokens themselves live only in the environment; whatever holds them is redacted.
    redactor.add(env_secret(config.telegram.token_env), env_secret(config.wechat.token_env))
    if args.command == "run" and not args.verbose and list(args.platform or config.platforms) == ["console"]:
        # On the console the person types at a prompt: INFO lines would land in the middle of it
        # and of the help card. Warnings still show; -v brings the rest back.
        logging.getLogger().setLevel(logging.WARNING)
    try:
        return asyncio.run(_dispatch(args, config))
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace, config: Config) -> int:
    from bot import (
        commands,
        commands_campaigns,
        commands_faq,
        commands_households,
        commands_reports,
        commands_rosters,
        commands_rumors,
        commands_web,
    )

    handler = {
        "run": commands.run,
        "console": commands.console,
        "tickets": commands.tickets,
        "check": commands.check,
        "groups": commands.groups_tree,
        "notice": commands.notice,
        "doctor": commands.doctor,
        "backup": commands.backup,
        "purge": commands.purge,
        "audit": commands.audit,
        "households": commands_households.households,
        "rumors": commands_rumors.rumors,
        "campaigns": commands_campaigns.report,
        "faq": commands_faq.faq_command,
        "roster": commands_rosters.roster,
        "picklist": commands_rosters.picklist_command,
        "web": commands_web.web,
        "digest": commands_reports.digest,
    }[args.command]
    try:
        return await handler(args, config)
    except StoreUnavailable as exc:
        print(f"无法使用数据库 {exc.path}：{exc.reason}。"
              f"请用 --db 指定其他路径，或修改配置文件 [bot] database", file=sys.stderr)
        return 2
    except DatabaseBusy as exc:  # a second bot on the same database
        print(exc.line(config.tz), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
