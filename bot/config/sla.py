"""``[sla]``: how soon each kind of ticket must be accepted and finished, reminders and quiet hours.

The table's keys are the kinds of :data:`bot.kinds.REGISTRY` (one sub-table each) plus two
settings; a new kind gets its own limits without touching this module. The old
``[digest] sla_hours_urgent / sla_hours_normal`` keep working as the finish limit of every kind
of that priority that ``[sla]`` does not set itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.config.reader import Document, Reader, Table
from bot.config.small import DIGEST, hhmm
from bot.kinds import REGISTRY

PRIORITIES = ("urgent", "normal")
#: What each kind's sub-table may hold: key -> (priority, accept or finish, unit, Chinese).
_LIMIT_KEYS = {
    "accept_minutes": ("normal", "accept", 1, "普通工单多少分钟内要接单"),
    "urgent_accept_minutes": ("urgent", "accept", 1, "紧急工单多少分钟内要接单"),
    "finish_hours": ("normal", "finish", 60, "普通工单多少小时内要办结"),
    "urgent_finish_hours": ("urgent", "finish", 60, "紧急工单多少小时内要办结"),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """How long one kind and priority of ticket may wait to be accepted, and to be finished."""

    accept: timedelta
    finish: timedelta


def default_limits(kind: str, priority: str) -> Limits:
    """The issue's defaults: an urgent errand or a verification clue accepted within 10 minutes,
    anything else within 2 hours; everything finished within 24 hours."""
    quick = kind == "verification" or (kind == "errand" and priority == "urgent")
    return Limits(timedelta(minutes=10 if quick else 120), timedelta(hours=24))


def _defaults() -> dict[tuple[str, str], Limits]:
    return {(k.key, p): default_limits(k.key, p) for k in REGISTRY for p in PRIORITIES}


@dataclass(frozen=True, slots=True)
class SlaConfig:
    """Limits by (kind, priority), how long before a deadline its holder is reminded, quiet hours."""

    limits: Mapping[tuple[str, str], Limits] = field(default_factory=_defaults)
    remind_before: timedelta = timedelta(minutes=5)
    #: ("22:00", "07:00"): non-urgent reminders wait until the end; None: no quiet hours.
    quiet_hours: tuple[str, str] | None = None

    def limit(self, kind: str, priority: str) -> Limits:
        """The limits of a ticket of this kind and priority."""
        return self.limits.get((kind, priority)) or default_limits(kind, priority)


def _minutes(r: Reader, key: str, default: float, unit: int, what: str) -> float:
    """A positive number of minutes or hours, as minutes."""
    value = r.table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise r.fail(key, f"应是大于 0 的数字（{what}），不是 {value!r}；例如 {key} = {default:g}")
    return float(value) * unit


def _quiet(r: Reader) -> tuple[str, str] | None:
    written = r.str("quiet_hours", "")
    if not written.strip():
        return None
    parts = written.replace("–", "-").replace("~", "-").split("-")
    if len(parts) != 2:
        raise r.fail("quiet_hours", f"免打扰时段要写成 \"开始-结束\"，例如 \"22:00-07:00\"，不是 {written!r}；"
                                    "不要免打扰就写 \"\"")
    start, end = (hhmm(r, "quiet_hours", p.strip()) for p in parts)
    if start == end:
        raise r.fail("quiet_hours", f"免打扰的开始和结束不能相同：{written!r}，例如 \"22:00-07:00\"")
    return start, end


def _legacy_finish(doc: Document) -> dict[str, float]:
    """Finish limits in hours by priority from the old ``[digest] sla_hours_*``, where written."""
    doc[DIGEST]  # validates them first: a bad value is reported under [digest]
    digest = doc.root.sub("digest").table
    old = {"urgent": "sla_hours_urgent", "normal": "sla_hours_normal"}
    return {p: float(digest[k]) for p, k in old.items() if k in digest and float(digest[k]) > 0}


def _sla(doc: Document) -> SlaConfig:
    r = doc.root.sub("sla")
    r.only("sla")
    legacy = _legacy_finish(doc)
    limits: dict[tuple[str, str], Limits] = {}
    for kind in REGISTRY:
        sub = r.sub(kind.key)
        for key in sub.table:
            if key not in _LIMIT_KEYS:
                raise sub.fail(key, f"[sla.{kind.key}]（{kind.label}）没有这一项；可以写的是："
                                    f"{'、'.join(_LIMIT_KEYS)} (unknown key)")
        found: dict[tuple[str, str], float] = {}
        for key, (priority, which, unit, what) in _LIMIT_KEYS.items():
            base = default_limits(kind.key, priority)
            default = (base.accept.total_seconds() / 60 if which == "accept"
                       else legacy.get(priority, base.finish.total_seconds() / 3600))
            found[priority, which] = _minutes(sub, key, default, unit, f"{kind.label}：{what}")
        for priority in PRIORITIES:
            limits[kind.key, priority] = Limits(timedelta(minutes=found[priority, "accept"]),
                                                timedelta(minutes=found[priority, "finish"]))
    lead = _minutes(r, "remind_before_minutes", 5, 1, "到时限前多少分钟提醒接单或办理的人")
    return SlaConfig(limits, timedelta(minutes=lead), _quiet(r))


SLA = Table("sla", ("remind_before_minutes", "quiet_hours", *(k.key for k in REGISTRY)), _sla)
