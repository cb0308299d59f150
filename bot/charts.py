"""Charts staff and owners would rather look at than read (issue #13), as PNG files to send.

Three charts for a scope (some groups) and a period (日报 / 周报 / 月报):

1. 每日新工单: tickets filed per local day, stacked by kind (at least the last 7 days, so a
   daily report still shows a trend);
2. 平均处理时长: hours from filing to done of the tickets finished in the period, by township;
3. 通知回执率: confirmed / delivered notices of the period, by group, the lowest first.

The series come from the store as aggregates (:mod:`bot.store.charts`); drawing is in
:mod:`bot.chart_render` (matplotlib, imported only when a chart is drawn) and runs in a worker
thread. The PNGs are written under ``data/reports/charts/`` beside the database and sent as
group-safe attachments: they hold counts and rates, nothing about any one person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import GroupConfig
from bot.directory import Directory
from bot.kinds import BY_KEY
from bot.message import Attachment, ChatRef, Reply
from bot.store.charts import ChartRepo

#: Report word -> days it covers, ending today.
PERIODS = {"日报": 1, "周报": 7, "月报": 30}
#: The per-day chart shows at least this many days.
TREND_DAYS = 7
PNG = "image/png"


class ChartError(RuntimeError):
    """A chart cannot be drawn properly (the CJK font is missing or lacks a glyph)."""


@dataclass(frozen=True, slots=True)
class Period:
    """A report's time range: local days ``first`` to ``last``, as ``[start, end)`` instants."""

    word: str
    first: date
    last: date
    start: datetime
    end: datetime

    @property
    def dates(self) -> str:
        """``11月20日–11月26日`` (one date for a single day)."""
        return _md(self.first) if self.first == self.last else f"{_md(self.first)}–{_md(self.last)}"

    @property
    def label(self) -> str:
        """``周报（11月20日–11月26日）``."""
        return f"{self.word}（{self.dates}）"


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def period(word: str, now: datetime, tz: ZoneInfo, days: int | None = None) -> Period:
    """The local days a report word covers, ending today (``days`` overrides its length)."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=(days or PERIODS[word]) - 1)
    start = datetime.combine(first, time(), tz)
    return Period(word, first, today, start, datetime.combine(today + timedelta(days=1), time(), tz))


@dataclass(frozen=True)
class ChartData:
    """Everything the three charts draw, already named for people."""

    scope: str
    period: Period
    days: list[date]
    #: Kind label -> tickets filed on each of ``days``.
    per_day: dict[str, list[int]] = field(default_factory=dict)
    #: (township, average hours, tickets finished), slowest first.
    townships: list[tuple[str, float, int]] = field(default_factory=list)
    #: (group, confirmed, delivered), lowest rate first.
    receipts: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the period has no tickets and no notices to draw."""
        return not any(sum(c) for c in self.per_day.values()) and not self.townships and not self.receipts


def township_of(directory: Directory, group: GroupConfig) -> str:
    """The name of the township a group belongs to (itself if it is one)."""
    node: GroupConfig | None = group
    seen: set[str] = set()
    while node is not None and node.key not in seen:  # a bad parent loop must not hang
        if node.level == "township":
            return node.name
        seen.add(node.key)
        node = directory.group(node.parent) if node.parent else None
    return "区级" if group.level == "district" else "未归属乡镇"


async def gather(
    repo: ChartRepo, directory: Directory, scope: str, groups: Collection[GroupConfig] | None,
    when: Period, tz: ZoneInfo,
) -> ChartData:
    """The three series for ``groups`` (None: every group) over ``when``."""
    keys = None if groups is None else [g.key for g in groups]
    trend = period(when.word, when.end - timedelta(seconds=1), tz, max(PERIODS[when.word], TREND_DAYS))
    offset = trend.start.utcoffset() or timedelta()
    counts = await repo.tickets_per_day(trend.start, trend.end, int(offset.total_seconds() // 60), keys)
    days = [trend.first + timedelta(days=i) for i in range((trend.last - trend.first).days + 1)]
    per_day: dict[str, list[int]] = {}
    for c in counts:
        label = BY_KEY[c.kind].label if c.kind in BY_KEY else c.kind
        series = per_day.setdefault(label, [0] * len(days))
        if trend.first <= c.day <= trend.last:
            series[(c.day - trend.first).days] += c.count
    by_town: dict[str, tuple[float, int]] = {}
    for h in await repo.handling_by_group(when.start, when.end, keys):
        group = directory.group(h.group_key)
        town = township_of(directory, group) if group else "未归属乡镇"
        hours, done = by_town.get(town, (0.0, 0))
        by_town[town] = (hours + h.hours, done + h.done)
    townships = sorted(((t, hours / done, done) for t, (hours, done) in by_town.items() if done),
                       key=lambda row: (-row[1], row[0]))
    receipts = []
    for r in await repo.receipts_by_group(when.start, when.end, keys):
        group = directory.group(r.group_key)
        receipts.append((group.name if group else r.group_key, r.confirmed, r.sent))
    receipts.sort(key=lambda row: (row[1] / row[2] if row[2] else 1.0, row[0]))
    return ChartData(scope, when, days, per_day, townships, receipts)


#: File name people see and the caption of each chart, in the order they are sent.
CHARTS = (("每日新工单", "图1 每日新工单（按类别）"), ("平均处理时长", "图2 各乡镇平均处理时长"),
          ("通知回执率", "图3 各群通知回执率"))


def draw_all(data: ChartData) -> list[bytes]:
    from bot import chart_render  # matplotlib loads only when a chart is drawn

    return chart_render.render(data)


async def chart_replies(data: ChartData, chat: ChatRef, folder: Path, stamp: str) -> list[Reply]:
    """Draw the three charts (in a worker thread), write them under ``folder``, and the replies
    that send them to ``chat``, captioned."""
    images = await asyncio.to_thread(draw_all, data)
    replies = []
    for i, ((name, caption), png) in enumerate(zip(CHARTS, images, strict=True), 1):
        path = folder / f"{stamp}-{i}.png"
        await asyncio.to_thread(_write, path, png)
        title = f"{data.scope}{data.period.label}" if i == 1 else ""
        text = f"{title}\n{caption}" if title else caption
        replies.append(Reply(chat, text, attachment=Attachment(str(path), f"{name}-{data.period.word}.png",
                                                               PNG, group_safe=True)))
    return replies


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
