"""Checkpoint duty rosters (卡点排班): days and times, checkpoints by name, the texts people read.

Shifts are kept per local day with their start and end as instants (a shift ``22:00-06:00``
ends the next morning; ``end = 24:00`` is midnight). The fixed daily shifts of ``bot.toml`` are
made into rows for each day by :func:`ensure_days` (the roster job does today and tomorrow; a
roster view does the day it shows), unless an import already gave that checkpoint that day.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.config.checkpoints import CheckpointConfig
from bot.store import Store
from bot.store.rosters import Duty, Shift

_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "昨天": -1}
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_SHORT = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")
DAY_HINT = "日期写 2026-11-26、11-26、11月26日 或 今天/明天"


def parse_day(word: str, today: date) -> date | None:
    """A day as people write it (``2026-11-26``, ``11-26``, ``11月26日``, ``明天``), or None."""
    word = word.strip()
    if word in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[word])
    try:
        if m := _ISO.fullmatch(word):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _SHORT.fullmatch(word):
            return date(today.year, int(m[1]), int(m[2]))
    except ValueError:  # 2月30日
        return None
    return None


def local_day(now: datetime, tz: ZoneInfo) -> date:
    """The local day of an instant."""
    return now.astimezone(tz).date()


def shift_times(day: date, start_hm: str, end_hm: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a shift of ``day`` starts and ends; an end at or before the start is the next day."""
    sh, sm = (int(p) for p in start_hm.split(":"))
    eh, em = (int(p) for p in end_hm.split(":"))
    start = datetime.combine(day, time(sh, sm), tz)
    end = datetime.combine(day, time(0, 0), tz) + timedelta(hours=eh, minutes=em)
    if end <= start:
        end += timedelta(days=1)
    return start, end


def checkpoint_named(config: Config, word: str) -> CheckpointConfig | None:
    """The checkpoint a person means: its key, its name, or its name without 卡点 (``北门``)."""
    word = word.strip()
    for cp in config.checkpoints:
        if word in (cp.key, cp.name) or (word and cp.name.removesuffix("卡点") == word.removesuffix("卡点")):
            return cp
    return None


def checkpoint_list(config: Config) -> str:
    """The configured checkpoints' names, for answers that ask for one."""
    return "、".join(cp.name for cp in config.checkpoints) or "（还没有配置卡点）"


async def ensure_days(store: Store, config: Config, days: Iterable[date]) -> int:
    """Make the fixed shifts of bot.toml into rows for these days; how many shifts were added."""
    added = 0
    for day in days:
        on_day: dict[str, list[Shift]] = defaultdict(list)
        for shift in await store.rosters.shifts(day.isoformat()):  # one query a day, not one a checkpoint
            on_day[shift.checkpoint].append(shift)
        for cp in config.checkpoints:
            made = on_day[cp.key]
            if any(m.source == "import" for m in made):
                continue  # an imported roster for the day replaces the fixed shifts
            have = {(m.start_hm, m.end_hm) for m in made}
            group = config.group(cp.group)
            platform = group.platform if group else "console"
            # Only what is missing: every minute's run reads one index range and writes nothing.
            for s in [s for s in cp.shifts if (s.start, s.end) not in have]:
                start, end = shift_times(day, s.start, s.end, config.tz)
                async with store.tx():  # a shift and its people together, or a restart would skip them
                    shift, new = await store.rosters.add_shift(cp.key, day.isoformat(), s.name, s.start,
                                                               s.end, start, end, "config")
                    if not new:
                        continue  # made meanwhile: swaps since then stand
                    added += 1
                    for name, user_id in s.people:
                        await store.rosters.add_duty(shift, name, platform, user_id, "")
    return added


def checked_in_label(duty: Duty, now: datetime, late_after: int, tz: ZoneInfo) -> str:
    """A duty's state in a roster view."""
    if duty.checked_in_at is not None:
        return f"已到岗 {duty.checked_in_at.astimezone(tz):%H:%M}"
    if now >= duty.shift.end_at:
        return "未到岗（已结束）"
    if now >= duty.shift.start_at + timedelta(minutes=late_after):
        return "未到岗"
    return "待到岗" if now >= duty.shift.start_at else "未开始"


def roster_text(config: Config, day: date, duties: Sequence[Duty], now: datetime) -> str:
    """One day's roster by checkpoint and shift, with who checked in (names only, no phones)."""
    by_cp: dict[str, dict[int, list[Duty]]] = defaultdict(lambda: defaultdict(list))
    for d in duties:
        by_cp[d.shift.checkpoint][d.shift.id].append(d)
    lines = [f"【卡点排班】{day.isoformat()}"]
    for cp in config.checkpoints:
        if cp.key not in by_cp:
            continue
        lines.append(f"■ {cp.name}")
        for people in by_cp[cp.key].values():
            shift = people[0].shift
            label = f"{shift.name}（{shift.hours}）" if shift.name != shift.hours else shift.hours
            states = "、".join(f"{d.name}（{checked_in_label(d, now, cp.late_after_minutes, config.tz)}）"
                              for d in people)
            lines.append(f"  {label}：{states}")
    return "\n".join(lines)


def reminder_text(cp: CheckpointConfig, duty: Duty) -> str:
    """The private reminder before a shift."""
    return (f"【上岗提醒】{duty.name}，您今天 {duty.shift.hours} 在「{cp.name}」值班"
            f"（{duty.shift.name}）。到岗后请回复「到岗 {cp.name}」。"
            f"不能到岗请尽快找人替班：换班 {duty.shift.day} {duty.shift.name} 对方姓名")


def missed_text(cp: CheckpointConfig, duties: Sequence[Duty], late_after: int) -> str:
    """The alert to a checkpoint's lead and the owners: who has not checked in."""
    shift = duties[0].shift
    names = "、".join(d.name + (f"（{d.phone}）" if d.phone else "") for d in duties)
    return (f"【未到岗提醒】「{cp.name}」{shift.day} {shift.name}（{shift.hours}）开班已超过 {late_after} 分钟，"
            f"以下人员还没有到岗：{names}。请电话联系或安排替班。")
