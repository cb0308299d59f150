"""The small tables of numbers and times: ``[privacy]``, ``[notices]``, ``[digest]``, ``[limits]``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config.reader import Document, Reader, Table


@dataclass(frozen=True, slots=True)
class PrivacyConfig:
    """Retention: how long raw messages, campaign answerers, care check-ins and closed tickets'
    personal details are kept (0 = forever)."""

    #: Days an inbound message's text, sender name and chat title are kept once handled; also how
    #: long answers keep their answerer after a campaign closes, and care check-ins are kept.
    keep_messages_days: int = 30
    #: Days after closing (done/rejected) a ticket's phone and ID numbers and address are blanked.
    anonymise_closed_after_days: int = 180


@dataclass(frozen=True, slots=True)
class NoticeConfig:
    """Notice cascade settings."""

    remind_after_minutes: int = 30
    grace_minutes: int = 60


@dataclass(frozen=True, slots=True)
class DigestConfig:
    """Scheduled digest settings."""

    times: tuple[str, ...] = ("08:00", "18:00")
    sla_hours_urgent: float = 2.0
    sla_hours_normal: float = 24.0


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Per-person flood limit: new tickets one person may file in one group per window."""

    tickets_per_window: int = 5
    window_minutes: int = 10

    @property
    def window(self) -> timedelta:
        """The window as a duration."""
        return timedelta(minutes=self.window_minutes)


#: A hundred years: beyond this a [privacy] cut-off date falls before year 1; 0 keeps forever.
MAX_DAYS = 36500


def whole_numbers(doc: Document, table: str, keys: dict[str, tuple[int, str]], minimum: int,
                  unit: str = "", note: str = "", maximum: int | None = None) -> dict[str, int]:
    """A table of whole numbers (key: (default, what it means)), each at least ``minimum``."""
    r = doc.root.sub(table)
    r.only(table)
    values = {}
    span = f"不小于 {minimum} " if maximum is None else f" {minimum} 到 {maximum} 之间"
    for key, (default, what) in keys.items():
        value = r.table.get(key, default)
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            raise r.fail(key, f"应是{span}的整数{unit}（{what}{note}），不是 {value!r}；例如 {key} = {default}")
        values[key] = value
    return values


def hhmm(reader: Reader, key: str, value: str) -> str:
    """A time of day written HH:MM (or H:MM), as HH:MM."""
    parts = value.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise reader.fail(key, f"时间要写成 HH:MM，例如 \"08:00\"，不是 {value!r} (times are written HH:MM)")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise reader.fail(key, f"没有这个时间：{value!r}，小时 0-23、分钟 0-59 (no such time of day)")
    return f"{hour:02d}:{minute:02d}"


#: Each whole-number key: (default, what it means).
_PRIVACY = {
    "keep_messages_days": (30, "收到的消息原文保留多少天"),
    "anonymise_closed_after_days": (180, "工单办结多少天后隐去电话、身份证号和地址"),
}
_LIMITS = {
    "tickets_per_window": (5, "每人每个时间窗内在一个群最多登记几张工单"),
    "window_minutes": (10, "时间窗有多少分钟"),
}


def _privacy(doc: Document) -> PrivacyConfig:
    """``[privacy]``: whole days, 0 meaning keep forever."""
    return PrivacyConfig(**whole_numbers(doc, "privacy", _PRIVACY, 0, "天数", "；0 表示永久保留", maximum=MAX_DAYS))


def _notices(doc: Document) -> NoticeConfig:
    nt = doc.root.sub("notices")
    nt.only("notices")
    return NoticeConfig(
        remind_after_minutes=int(nt.num("remind_after_minutes", 30)),
        grace_minutes=int(nt.num("grace_minutes", 60)),
    )


def _digest(doc: Document) -> DigestConfig:
    dg = doc.root.sub("digest")
    dg.only("digest")
    return DigestConfig(
        times=tuple(hhmm(dg, "times", t) for t in dg.strs("times") or ("08:00", "18:00")),
        sla_hours_urgent=dg.num("sla_hours_urgent", 2.0),
        sla_hours_normal=dg.num("sla_hours_normal", 24.0),
    )


def _limits(doc: Document) -> LimitsConfig:
    """``[limits]``: how many new tickets one person may file in one group per window."""
    return LimitsConfig(**whole_numbers(doc, "limits", _LIMITS, 1))


PRIVACY = Table("privacy", tuple(_PRIVACY), _privacy)
NOTICES = Table("notices", ("remind_after_minutes", "grace_minutes"), _notices)
DIGEST = Table("digest", ("times", "sla_hours_urgent", "sla_hours_normal"), _digest)
LIMITS = Table("limits", tuple(_LIMITS), _limits)
