"""Report periods (a day, a Monday-to-Sunday week, a calendar month) and the dates people write.

A period runs from local midnight to the next period's start; a period not over yet ends at the
report's time, and is compared with the same stretch of the period before it (today until 14:00
against yesterday until 14:00), so every "较上期" compares like with like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["daily", "weekly", "monthly"]
KINDS: tuple[Kind, ...] = ("daily", "weekly", "monthly")
LABEL: dict[Kind, str] = {"daily": "日报", "weekly": "周报", "monthly": "月报"}
PREVIOUS: dict[Kind, str] = {"daily": "前一日", "weekly": "上周", "monthly": "上月"}
#: How each kind's date is written, for the answer to one that cannot be read.
HOW_TO: dict[Kind, str] = {
    "daily": "日期写成 2026-11-20、11月20日、今天 或 昨天",
    "weekly": "写这一周里的任意一天，如 2026-11-20、11月20日，或 本周、上周",
    "monthly": "月份写成 2026-10、10月、本月 或 上月（也可写这个月里的某一天）",
}


class DateError(ValueError):
    """A date that cannot be read or has not come yet; the message is in Chinese."""


@dataclass(frozen=True, slots=True)
class Period:
    """One report's stretch of time, in the bot's time zone; ``end`` is exclusive."""

    kind: Kind
    start: datetime
    end: datetime
    #: Where the period ends once it is over (``end`` is earlier while it runs).
    full_end: datetime

    @property
    def partial(self) -> bool:
        """Still running: the figures are "so far"."""
        return self.end < self.full_end

    def previous(self) -> Period:
        """The period before, cut at the same point when this one is not over."""
        start = _shift(self.kind, self.start.date(), -1)
        begin = datetime.combine(start, time(), self.start.tzinfo)
        end = min(begin + (self.end - self.start), self.start)
        return Period(self.kind, begin, end, self.start)

    def title(self) -> str:
        """2026-11-20 / 2026-11-16 至 11-22 / 2026年10月, with 截至 14:00 while it runs."""
        s = self.start
        if self.kind == "daily":
            text = f"{s:%Y-%m-%d}"
        elif self.kind == "weekly":
            last = self.full_end - timedelta(days=1)
            text = f"{s:%Y-%m-%d} 至 {last:%m-%d}"
        else:
            text = f"{s.year}年{s.month}月"
        if self.partial:
            text += f"（截至 {self.end:%m-%d %H:%M}）" if self.kind != "daily" else f"（截至 {self.end:%H:%M}）"
        return text

    def month_label(self) -> str:
        """2026年10月."""
        return f"{self.start.year}年{self.start.month}月"


def _first(kind: Kind, day: date) -> date:
    if kind == "weekly":
        return day - timedelta(days=day.weekday())
    if kind == "monthly":
        return day.replace(day=1)
    return day


def _shift(kind: Kind, first: date, n: int) -> date:
    """The first day ``n`` periods after the period starting on ``first``."""
    if kind == "daily":
        return first + timedelta(days=n)
    if kind == "weekly":
        return first + timedelta(weeks=n)
    months = first.year * 12 + first.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def period_of(kind: Kind, day: date, tz: ZoneInfo, now: datetime) -> Period:
    """The period holding ``day``; one not over yet ends at ``now``."""
    first = _first(kind, day)
    start = datetime.combine(first, time(), tz)
    full_end = datetime.combine(_shift(kind, first, 1), time(), tz)
    if start > now:
        raise DateError(f"{day:%Y-%m-%d} 还没到，没有可报的数据。")
    # Up to the next whole second: what was filed in the second of the report counts (the
    # store keeps whole seconds, and ``end`` is exclusive).
    upto = now.astimezone(tz).replace(microsecond=0) + timedelta(seconds=1)
    return Period(kind, start, min(full_end, upto), full_end)


def last_complete(kind: Kind, now: datetime, tz: ZoneInfo) -> Period:
    """Yesterday, last week or last month."""
    today = now.astimezone(tz).date()
    return period_of(kind, _shift(kind, _first(kind, today), -1), tz, now)


def scheduled(kind: Kind, now: datetime, tz: ZoneInfo) -> Period:
    """What a scheduled report covers: a morning 日报 is about yesterday, a later one about
    today so far; 周报 and 月报 about the last whole week or month."""
    local = now.astimezone(tz)
    if kind == "daily" and local.hour >= 12:
        return period_of(kind, local.date(), tz, now)
    return last_complete(kind, now, tz)


_RELATIVE = {"今天": (0, "daily"), "今日": (0, "daily"), "昨天": (-1, "daily"), "昨日": (-1, "daily"),
             "前天": (-2, "daily"), "本周": (0, "weekly"), "这周": (0, "weekly"), "上周": (-1, "weekly"),
             "本月": (0, "monthly"), "这个月": (0, "monthly"), "上月": (-1, "monthly"),
             "上个月": (-1, "monthly")}
_DAY = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*月?")


def looks_like_date(word: str) -> bool:
    """Whether a word is meant as a date (so a wrong one is reported, not taken for a group)."""
    return word in _RELATIVE or bool(re.fullmatch(r"[\d\s\-/.年月日号]+", word)) and any(c.isdigit() for c in word)


def parse_when(text: str, kind: Kind, now: datetime, tz: ZoneInfo) -> Period:
    """The period a person means by ``text`` (empty: the current one) for a report of ``kind``."""
    text = text.strip()
    today = now.astimezone(tz).date()
    if not text:
        return period_of(kind, today, tz, now)
    if text in _RELATIVE:
        n, unit = _RELATIVE[text]
        return period_of(kind, _shift(unit, _first(unit, today), n), tz, now)  # type: ignore[arg-type]
    m = _DAY.fullmatch(text)
    if m:
        year = int(m.group(1)) if m.group(1) else today.year
        try:
            day = date(year, int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise DateError(f"没有 {text} 这一天。{HOW_TO[kind]}。") from None
        if not m.group(1) and day > today:  # 12月30日 written in January: last year's
            day = day.replace(year=year - 1)
        return period_of(kind, day, tz, now)
    m = _MONTH.fullmatch(text)
    if m and kind == "monthly" and (m.group(1) or text.endswith("月")):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise DateError(f"没有 {text} 这个月份。{HOW_TO[kind]}。")
        year = int(m.group(1)) if m.group(1) else today.year
        if not m.group(1) and date(year, month, 1) > today:
            year -= 1
        return period_of(kind, date(year, month, 1), tz, now)
    raise DateError(f"看不懂日期「{text[:20]}」。{HOW_TO[kind]}。")
