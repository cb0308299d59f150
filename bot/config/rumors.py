"""``[rumors]``: how long reports of one claim join one ticket, and how long a verdict holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config.reader import Document, Table
from bot.config.small import MAX_DAYS, whole_numbers


@dataclass(frozen=True, slots=True)
class RumorConfig:
    """Joining reports of one claim, and when a library entry is only suggested, not answered."""

    #: Reports of the same claim this soon after an open ticket was filed join that ticket.
    join_window_minutes: int = 1440
    #: Entries added to the library longer ago than this are only suggested to an owner
    #: (the situation may have changed); 0 = always answered.
    answer_for_days: int = 14

    @property
    def join_window(self) -> timedelta:
        """The join window as a duration."""
        return timedelta(minutes=self.join_window_minutes)


def _rumors(doc: Document) -> RumorConfig:
    minutes = whole_numbers(doc, "rumors", {
        "join_window_minutes": (1440, "同一说法在多少分钟内的求证并入同一张工单；0 表示不合并"),
    }, minimum=0, unit="（分钟）", maximum=MAX_DAYS * 1440)
    days = whole_numbers(doc, "rumors", {
        "answer_for_days": (14, "谣言库条目加入多少天内自动答复，之后只推荐给群主确认；0 表示一直自动答复"),
    }, minimum=0, unit="（天）", maximum=MAX_DAYS)
    return RumorConfig(**minutes, **days)


RUMORS = Table("rumors", ("join_window_minutes", "answer_for_days"), _rumors)
