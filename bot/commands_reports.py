"""``gridbot digest daily|weekly|monthly|ranking``: print a report or the ranking, or queue it.

Without ``--group`` the report covers every group, one line per township (what staff get);
with it, that group and those below. ``--at`` takes what the chat commands take (2026-11-20,
11月20日, 昨天, 上周, 2026-10, 上月); without it, the current period so far (the ranking: last
month). ``--send`` queues through the outbox for the running bot: every owner's and staff
member's report (only the owners of ``--group`` and staff with it), or the ranking to each
group and to staff, each at most once per period.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot import reports
from bot.config import Config
from bot.message import ChatRef, Reply
from bot.reports import render
from bot.reports.build import build
from bot.reports.period import DateError, Kind, Period, last_complete, parse_when
from bot.reports.ranking import ranking
from bot.reports.ranking_text import as_json, group_replies, staff_text
from bot.reports.scope import below, everything
from bot.services import Services


def _period(svc: Services, kind: Kind, at: str | None, ranked: bool) -> Period:
    now = svc.now()
    if ranked and not at:
        return last_complete("monthly", now, svc.config.tz)
    return parse_when(at or "", kind, now, svc.config.tz)


async def digest(args: argparse.Namespace, config: Config) -> int:
    """Print (or with --send, queue) one report or the ranking; 2 on bad input, in Chinese."""
    from bot.commands import open_app  # the composition root, as the other commands_* do

    app = await open_app(config)
    try:
        return await _digest(app.services, args)
    finally:
        await app.close()


async def _digest(svc: Services, args: argparse.Namespace) -> int:
    ranked = args.kind == "ranking"
    kind: Kind = "monthly" if ranked else args.kind
    group = None
    if args.group:
        group = svc.directory.find(args.group)
        if group is None:
            print(f"没有名为「{args.group}」的群：--group 写群的 key 或完整群名；用 gridbot groups tree 查看",
                  file=sys.stderr)
            return 2
    try:
        period = _period(svc, kind, args.at, ranked)
    except DateError as exc:
        print(f"--at {args.at}：{exc}", file=sys.stderr)
        return 2
    if ranked:
        return await _ranking(svc, args, period)
    scope = below(svc.directory, group) if group else everything(svc.directory, "全部（按街道）")
    report = (await build(svc.store, svc.config, kind, [scope], period, svc.now()))[0]
    empty = await reports.empty_answer(svc, report)
    if empty:
        print(empty, file=sys.stderr)
        return 1
    if args.send:
        replies = [Reply(c, render.text(report, svc.config.tz)) for c in svc.directory.owner_chats(group)
                   ] if group else await reports.digest_replies(svc, kind, period, svc.now())
        replies += [] if not group else _to_staff(svc, render.text(report, svc.config.tz))
        where = group.key if group else "all"
        queued = await svc.queue(replies, dedupe_prefix=f"cli-{kind}:{where}:{period.start:%Y%m%d}")
        print(f"已排队 {queued} 条报表（共 {len(replies)} 个私聊；同一期重复执行不会重发），运行中的机器人会依次发出。")
        return 0
    _print(render.as_json(report, svc.config.tz) if args.format == "json" else render.text(report, svc.config.tz))
    return 0


def _to_staff(svc: Services, text: str) -> list[Reply]:
    return [Reply(ChatRef.private(p, u), text) for p, ids in svc.config.staff.items() for u in ids]


async def _ranking(svc: Services, args: argparse.Namespace, period: Period) -> int:
    r = await ranking(svc.store, svc.config, svc.directory, period, svc.now())
    if not r.ranked:
        print(f"{period.month_label()}没有可排名的数据：各群都没有工单、评价、通知回执或住户登记。", file=sys.stderr)
        return 1
    if args.send:
        text = staff_text(r, svc.config)
        queued = await svc.queue(group_replies(r, svc.config) + _to_staff(svc, text),
                                 dedupe_prefix=f"ranking:{period.start:%Y-%m}")
        print(f"已排队 {queued} 条（{len(r.standings)} 个群和工作人员；同一个月重复执行不会重发）。")
        return 0
    _print(as_json(r) if args.format == "json" else staff_text(r, svc.config))
    return 0


def _print(out: str | dict[str, Any]) -> None:
    print(out if isinstance(out, str) else json.dumps(out, ensure_ascii=False, indent=1))
