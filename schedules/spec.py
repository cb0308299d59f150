"""Schedule specs people write (每天 08:00, 每周一 09:00, 工作日 07:30, cron …, 2026-12-01 18:30)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

WEEKDAYS = {"一": "mon", "二": "tue", "三": "wed", "四": "thu", "五": "fri", "六": "sat",
            "日": "sun", "天": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu",
            "5": "fri", "6": "sat", "7": "sun"}
_TIME = r"(\d{1,2})[:：点](\d{2})?"
_PATTERNS = (
    ("daily", re.compile(rf"^每天\s*{_TIME}\s*")),
    ("workdays", re.compile(rf"^(?:每个)?工作日\s*{_TIME}\s*")),
    ("weekly", re.compile(rf"^每(?:周|星期|礼拜)([一二三四五六日天1-7])\s*{_TIME}\s*")),
    ("monthly", re.compile(rf"^每月\s*(\d{{1,2}})[日号]\s*{_TIME}\s*")),
    ("once", re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})\s+{_TIME}\s*")),
    ("cron", re.compile(r"^cron\s+((?:\S+\s+){4}\S+)\s*", re.IGNORECASE)),
)
HOW_TO = ("时间可以写：每天 08:00、工作日 07:30、每周一 09:00、每月1日 09:00、"
          "2026-12-01 18:30，或 cron 0 8 * * 1-5")


class SpecError(ValueError):
    """A schedule spec that cannot be understood; the message is in Chinese."""


def split_spec(text: str) -> tuple[str, str]:
    """``"每天 08:00 领菜通知…"`` -> ``("每天 08:00", "领菜通知…")``."""
    for _, pattern in _PATTERNS:
        m = pattern.match(text.strip())
        if m:
            return m.group(0).strip(), text.strip()[m.end():].strip()
    raise SpecError(f"看不懂时间「{text.strip()[:20]}」。{HOW_TO}")


_CRON_DOW = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _standard_cron(expr: str) -> str:
    """Standard cron counts weekdays from Sunday = 0; APScheduler 3 from Monday = 0: use names."""
    fields = expr.split()
    fields[4] = re.sub(r"\d+", lambda m: _CRON_DOW[int(m.group(0))] if int(m.group(0)) < 8
                       else m.group(0), fields[4])
    return " ".join(fields)


def _hm(hour: str, minute: str | None) -> tuple[int, int]:
    h, m = int(hour), int(minute or 0)
    if h > 23 or m > 59:
        raise SpecError(f"没有 {h}:{m:02d} 这个时间。")
    return h, m


def trigger(spec: str, tz: ZoneInfo) -> BaseTrigger:
    """An APScheduler trigger for a spec in the given zone."""
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(spec.strip() + " ") or pattern.fullmatch(spec.strip())
        if not m:
            continue
        g = m.groups()
        if kind == "daily":
            h, mi = _hm(g[0], g[1])
            return CronTrigger(hour=h, minute=mi, timezone=tz)
        if kind == "workdays":
            h, mi = _hm(g[0], g[1])
            return CronTrigger(day_of_week="mon-fri", hour=h, minute=mi, timezone=tz)
        if kind == "weekly":
            h, mi = _hm(g[1], g[2])
            return CronTrigger(day_of_week=WEEKDAYS[g[0]], hour=h, minute=mi, timezone=tz)
        if kind == "monthly":
            if not 1 <= int(g[0]) <= 31:
                raise SpecError(f"没有 {g[0]} 日。")
            h, mi = _hm(g[1], g[2])
            return CronTrigger(day=int(g[0]), hour=h, minute=mi, timezone=tz)
        if kind == "once":
            h, mi = _hm(g[3], g[4])
            try:
                when = datetime(int(g[0]), int(g[1]), int(g[2]), h, mi, tzinfo=tz)
            except ValueError:
                raise SpecError(f"没有 {g[0]}-{g[1]}-{g[2]} 这一天。") from None
            return DateTrigger(run_date=when, timezone=tz)
        try:
            return CronTrigger.from_crontab(_standard_cron(g[0].strip()), timezone=tz)
        except ValueError as exc:
            raise SpecError(f"cron 表达式不对：{exc}") from None
    raise SpecError(f"看不懂时间「{spec[:20]}」。{HOW_TO}")


def one_off_at(spec: str, tz: ZoneInfo) -> datetime | None:
    """The date of a one-off spec (``2026-12-01 18:30``); None for recurring specs."""
    trig = trigger(spec, tz)
    return trig.run_date if isinstance(trig, DateTrigger) else None


def next_fire(spec: str, tz: ZoneInfo, now: datetime) -> datetime | None:
    """When a spec fires next after ``now`` (None for a one-off in the past)."""
    trig = trigger(spec, tz)
    if isinstance(trig, DateTrigger):  # a DateTrigger reports its date even once it has passed
        run_date: datetime = trig.run_date
        return run_date if run_date > now else None
    nxt: datetime | None = trig.get_next_fire_time(None, now)
    return nxt


def occurrence(spec: str, tz: ZoneInfo, now: datetime, window: timedelta) -> datetime | None:
    """The latest time the spec fired at or before ``now``, looking back ``window``."""
    trig = trigger(spec, tz)
    t = trig.get_next_fire_time(None, now - window)
    last = None
    while t is not None and t <= now:
        last = t
        t = trig.get_next_fire_time(t, t + timedelta(seconds=1))
    return last
