"""Schedule specs people write (每天 08:00, 每周一 09:00, 工作日 07:30, cron …, 2026-12-01 18:30).

Every error is a :class:`SpecError` whose message a community worker can act on: it is in
Chinese and says which forms are accepted.
"""

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
# 08:00, 8：00, 8点, 8点半, 8点30分, 下午3点; the period word turns 3点 into 15:00.
_TIME = (r"(?:(?P<period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)\s*)?(?P<h>\d{1,2})"
         r"(?:[:：](?P<m>\d{2})|点(?:(?P<half>半)|(?P<m2>\d{1,2})分|(?P<m3>\d{2})(?=\s|$))?)")
_PATTERNS = (
    ("daily", re.compile(rf"^每天\s*{_TIME}\s*")),
    ("workdays", re.compile(rf"^(?:每个)?工作日\s*{_TIME}\s*")),
    ("weekly", re.compile(rf"^每(?:周|星期|礼拜)(?P<dow>[一二三四五六日天1-7])\s*{_TIME}\s*")),
    ("monthly", re.compile(rf"^每月\s*(?P<day>\d{{1,2}})[日号]\s*{_TIME}\s*")),
    ("once", re.compile(rf"^(?P<y>\d{{4}})[-/.年](?P<mo>\d{{1,2}})[-/.月](?P<d>\d{{1,2}})[日号]?\s*{_TIME}\s*")),
    ("cron", re.compile(r"^cron\s+(?P<cron>(?:\S+\s+){4}\S+)\s*", re.IGNORECASE)),
)
HOW_TO = ("时间写在最前面，后面空一格再写内容。可以写：每天 08:00、每天 下午3点半、工作日 07:30、"
          "每周一 09:00、每月1日 09:00、2026-12-01 18:30，或 cron 0 8 * * 1-5"
          "（cron 五段依次是 分 时 日 月 星期，星期 0 和 7 都是星期日）")


class SpecError(ValueError):
    """A schedule spec that cannot be understood; the message is in Chinese."""


def split_spec(text: str) -> tuple[str, str]:
    """``"每天 08:00 领菜通知…"`` -> ``("每天 08:00", "领菜通知…")``."""
    text = text.strip()
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            if kind != "cron" and m.group(0).rstrip().endswith("点") and rest[:1].isdigit():
                # "每天 8点3栋领菜": 8:03 or 8:00 for building 3? Ask rather than guess.
                raise SpecError(f"「{text[:20]}」看不出是几点几分。请把时间写成 08:30 这样，"
                                f"时间和内容之间空一格，例如：每天 08:00 3栋领菜")
            return m.group(0).strip(), rest
    raise SpecError(f"看不懂时间「{text[:20]}」。{HOW_TO}")


def _hm(m: re.Match[str]) -> tuple[int, int]:
    h = int(m["h"])
    minute = 30 if m["half"] else int(m["m"] or m["m2"] or m["m3"] or 0)
    period = m["period"]
    if period in ("下午", "傍晚", "晚上") and h < 12 or period == "中午" and h < 11:
        h += 12
    if h > 23 or minute > 59:
        raise SpecError(f"没有 {h}:{minute:02d} 这个时间：小时写 0-23，分钟写 00-59，"
                        f"例如 每天 08:00、每天 20:30 或 每天 晚上8点。")
    return h, minute


_CRON_FIELDS = (
    ("minute", "分钟", "0-59"),
    ("hour", "小时", "0-23"),
    ("day", "日", "1-31"),
    ("month", "月", "1-12"),
    ("day_of_week", "星期", "0-7，0 和 7 都是星期日，1-5 是周一到周五"),
)
_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_ITEM = re.compile(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?")


def _cron_error(label: str, value: str, allowed: str) -> SpecError:
    return SpecError(f"cron 的「{label}」写成了「{value}」，看不懂（{label}可写 {allowed}）。"
                     f"cron 五段依次是 分 时 日 月 星期，例如 cron 0 8 * * 1-5 是工作日 8:00，"
                     f"cron 30 7 * * * 是每天 7:30。")


def _standard_dow(field: str) -> str:
    """Standard cron counts weekdays from Sunday = 0 (7 too); APScheduler 3 from Monday = 0: use names.

    "0-6", "0-5" and "*/2" mean something else (or nothing) to APScheduler, so such items are
    spelled out as lists of day names.
    """
    out = []
    for item in field.split(","):
        m = _DOW_ITEM.fullmatch(item)
        if m is None or item == "*":
            out.append(item)  # names (mon-fri) and "*": APScheduler reads them as cron does
            continue
        lo_s, _, hi_s = m.group(1).partition("-")
        step = int(m.group(2) or 1)
        lo = 0 if lo_s == "*" else int(lo_s)
        hi = int(hi_s) if hi_s else (7 if lo_s == "*" or m.group(2) else lo)
        if hi > 7 or lo > hi or step < 1:
            raise _cron_error("星期", field, _CRON_FIELDS[4][2])
        days = sorted({d % 7 for d in range(lo, hi + 1, step)})
        if len(days) == 7:
            out.append("*")
        elif step == 1 and hi > lo and lo >= 1:
            out.append(f"{_DOW_NAMES[lo]}-{_DOW_NAMES[hi % 7]}")  # "1-5" stays "mon-fri"
        else:
            out.extend(_DOW_NAMES[d] for d in days)
    return ",".join(out)


def _cron(expr: str, tz: ZoneInfo) -> CronTrigger:
    fields = expr.split()
    fields[4] = _standard_dow(fields[4])
    try:
        return CronTrigger.from_crontab(" ".join(fields), timezone=tz)
    except ValueError:
        pass
    # Only now, to say which field is wrong: try them one at a time.
    for (name, label, allowed), value in zip(_CRON_FIELDS, fields, strict=True):
        try:
            CronTrigger(timezone=tz, **{name: value})
        except ValueError:
            raise _cron_error(label, value, allowed) from None
    raise SpecError(f"cron 表达式「{expr}」看不懂。{HOW_TO}")


def trigger(spec: str, tz: ZoneInfo) -> BaseTrigger:
    """An APScheduler trigger for a spec in the given zone."""
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(spec.strip() + " ") or pattern.fullmatch(spec.strip())
        if not m:
            continue
        if kind == "cron":
            return _cron(m["cron"].strip(), tz)
        h, mi = _hm(m)
        if kind == "daily":
            return CronTrigger(hour=h, minute=mi, timezone=tz)
        if kind == "workdays":
            return CronTrigger(day_of_week="mon-fri", hour=h, minute=mi, timezone=tz)
        if kind == "weekly":
            return CronTrigger(day_of_week=WEEKDAYS[m["dow"]], hour=h, minute=mi, timezone=tz)
        if kind == "monthly":
            if not 1 <= int(m["day"]) <= 31:
                raise SpecError(f"没有 {m['day']} 日：每月几号写 1-31，例如 每月1日 09:00。")
            return CronTrigger(day=int(m["day"]), hour=h, minute=mi, timezone=tz)
        try:
            when = datetime(int(m["y"]), int(m["mo"]), int(m["d"]), h, mi, tzinfo=tz)
        except ValueError:
            raise SpecError(f"没有 {m['y']}-{m['mo']}-{m['d']} 这一天：日期写 年-月-日，"
                            f"例如 2026-12-01 18:30。") from None
        return DateTrigger(run_date=when, timezone=tz)
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
