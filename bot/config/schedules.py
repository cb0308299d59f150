"""``[[schedules]]``: recurring notices written in the config file, their times checked at load."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.config.groups import GROUPS
from bot.config.platforms import BOT
from bot.config.reader import Document, Reader, Table
from bot.schedule_spec import HOW_TO, SpecError, trigger


@dataclass(frozen=True, slots=True)
class ScheduledNoticeConfig:
    """A recurring notice written in the config file."""

    key: str
    group: str
    when: str
    text: str
    subtree: bool = True


def _schedules(doc: Document) -> tuple[ScheduledNoticeConfig, ...]:
    items = doc.root.items("schedules", "定时通知")
    keys = {g.key for g in doc[GROUPS]}
    tz = ZoneInfo(doc[BOT].timezone)
    out = []
    for i, r in enumerate(items):
        r.only("schedules")
        group = r.str("group")
        if group not in keys:
            raise r.fail("group", f"没有这个群 {group!r}：写某个群的 key 或群名 (unknown group)")
        out.append(
            ScheduledNoticeConfig(
                key=r.str("key", f"config-{i}"),
                group=group,
                when=_when(r, tz),
                text=r.str("text"),
                subtree=r.bool("subtree", True),
            )
        )
    return tuple(out)


def _when(r: Reader, tz: ZoneInfo) -> str:
    """The schedule's time, checked now rather than when the scheduler first reads it."""
    when = r.str("when")
    try:
        trigger(when, tz)
    except SpecError as exc:
        why = str(exc)
        raise r.fail("when", why if HOW_TO in why else f"{why}{HOW_TO}") from None
    return when


SCHEDULES = Table("schedules", ("key", "group", "when", "text", "subtree"), _schedules, array=True)
