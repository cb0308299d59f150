"""``[campaigns]``: how often a group sees a roll-call's progress, when it is reminded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config.reader import Document, Table
from bot.config.small import whole_numbers


@dataclass(frozen=True, slots=True)
class CampaignConfig:
    """Roll-calls, sign-ups and votes (接龙 / 报名 / 投票)."""

    #: A group sees at most one progress line per campaign in this many minutes.
    progress_interval_minutes: int = 10
    #: The group is reminded (missing households' members @-mentioned) this long before the deadline.
    remind_before_minutes: int = 60

    @property
    def progress_interval(self) -> timedelta:
        """The progress interval as a duration."""
        return timedelta(minutes=self.progress_interval_minutes)

    @property
    def remind_before(self) -> timedelta:
        """The reminder's lead as a duration."""
        return timedelta(minutes=self.remind_before_minutes)


def _campaigns(doc: Document) -> CampaignConfig:
    values = whole_numbers(doc, "campaigns", {
        "progress_interval_minutes": (10, "群里最多每隔多少分钟发一次接龙进度"),
        "remind_before_minutes": (60, "截止前多少分钟在群里提醒未回复的住户"),
    }, minimum=1, unit="（分钟）")
    return CampaignConfig(**values)


CAMPAIGNS = Table("campaigns", ("progress_interval_minutes", "remind_before_minutes"), _campaigns)
