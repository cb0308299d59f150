"""Reading ``日报 / 周报 / 月报 [群名] [日期]``: whose groups, which period, or what was wrong."""

from __future__ import annotations

from datetime import datetime

from bot.directory import Directory
from bot.reports.period import LABEL, DateError, Kind, Period, looks_like_date, parse_when
from bot.reports.scope import Scope, below, owned
from bot.text import one_line


def request(directory: Directory, platform: str, user_id: str, kind: Kind, args: str,
            now: datetime) -> tuple[Scope, Period] | str:
    """The scope and period a person asks for, or the Chinese answer saying what was wrong."""
    words = args.split()
    when = ""
    if words and looks_like_date(words[-1]):
        when = words.pop()
    elif words and looks_like_date(words[0]):
        when = words.pop(0)
    try:
        period = parse_when(when, kind, now, directory.config.tz)
    except DateError as exc:
        return f"{exc}例如：{LABEL[kind]} 2026-11-20，或 {LABEL[kind]} 幸福小区居民群 上周"
    name = " ".join(words)
    mine = owned(directory, platform, user_id)
    if mine is None:
        return "您不是任何群的群主，没有可看的报表。"
    if not name:
        return mine, period
    return _named(directory, mine, name, kind, period)


def _named(directory: Directory, mine: Scope, name: str, kind: Kind,
           period: Period) -> tuple[Scope, Period] | str:
    quoted = one_line(name, 20)
    allowed = set(mine.groups)
    found = directory.find(name)
    candidates = [found] if found is not None else directory.named(
        name, [g for g in directory.groups if g.key in allowed])
    if found is not None and found.key not in allowed:
        return f"您不负责「{found.name}」，只能查看您负责的群。发送「{LABEL[kind]}」查看您负责的全部群。"
    if not candidates:
        return (f"没有找到叫「{quoted}」的群，也看不懂它是日期。请写完整群名，例如：{LABEL[kind]} "
                f"{_example(directory, mine)}；日期写在群名后面。")
    if len(candidates) > 1:
        names = "、".join(g.name for g in candidates[:8])
        return f"「{quoted}」对应 {len(candidates)} 个群：{names}。请写完整群名。"
    return below(directory, candidates[0]), period


def _example(directory: Directory, mine: Scope) -> str:
    g = directory.group(mine.lines[0].key) if mine.lines else None
    return g.name if g else "幸福小区居民群"

