"""A month of volunteering in numbers (志愿者统计) and the thank-you list (感谢名单)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.privacy import mask
from bot.store.volunteers import Tally

_YEAR_MONTH = re.compile(r"(?:(\d{4})\s*[-年/.]\s*)?(\d{1,2})\s*月?")
LAST = ("上月", "上个月")


@dataclass(frozen=True)
class Month:
    """One calendar month in the configured zone: [start, end)."""

    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """``2026年11月``."""
        return f"{self.start.year}年{self.start.month}月"

    @property
    def key(self) -> str:
        """``2026-11``, for dedupe keys."""
        return f"{self.start.year}-{self.start.month:02d}"


def _month(year: int, month: int, tz: ZoneInfo) -> Month:
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return Month(start, end)


def parse_month(text: str, now: datetime, tz: ZoneInfo) -> Month | None:
    """``""`` (this month), ``上月``, ``11月``, ``2026-11``, ``2026年11月``; None if not a month."""
    local = now.astimezone(tz)
    text = text.strip()
    if not text or text in ("本月", "这个月"):
        return _month(local.year, local.month, tz)
    if text in LAST:
        return _month(local.year - (local.month == 1), (local.month - 2) % 12 + 1, tz)
    m = _YEAR_MONTH.fullmatch(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    month = int(m.group(2))
    # "12月" written in January means last December, not a month still to come.
    year = int(m.group(1)) if m.group(1) else local.year - (month > local.month)
    return _month(year, month, tz)


def _minutes(value: float | None) -> str:
    if value is None:
        return ""
    return f"，用时中位 {value:.0f} 分钟" if value < 90 else f"，用时中位 {value / 60:.1f} 小时"


def _line(name: str, t: Tally) -> str:
    rating = f"，平均评分 {t.rating:.1f}" if t.rating is not None else ""
    return f"· {name}：接单 {t.taken}，完成 {t.done}{_minutes(t.median_minutes)}{rating}"


def team_name(config: Config, key: str) -> str:
    """A team's name by key (a team since removed from bot.toml keeps its key)."""
    return next((t.name for t in config.teams if t.key == key), key)


def report(config: Config, month: Month, teams: list[Tally], people: list[Tally], more: bool) -> str:
    """The owner's month: per team, then per volunteer (private: names and numbers only)."""
    if not people:
        return f"{month.label}还没有志愿者接过您负责范围内的工单。"
    lines = [f"{month.label}志愿者统计：", "【小分队】"]
    lines += [_line(team_name(config, t.key), t) for t in teams]
    lines.append("【志愿者】")
    lines += [_line(f"{p.name}（{team_name(config, p.team_key)}）", p) for p in people]
    if more:
        lines.append(f"……只列出前 {len(people)} 位。")
    lines.append(f"发布感谢名单：感谢名单 发布 {month.key}")
    return "\n".join(lines)


def thanks(config: Config, month: Month, people: list[Tally]) -> str:
    """The thank-you list a group may read: names, teams and how many errands each finished."""
    done = [p for p in people if p.done]
    lines = [f"【{month.label}志愿者感谢名单】", "这个月，这些志愿者为大家跑腿办事，谢谢你们！"]
    lines += [f"· {mask(p.name)}（{team_name(config, p.team_key)}）完成 {p.done} 单" for p in done]
    return "\n".join(lines)
