"""Report figures over a period: what the bot asks of any store for 日报 / 周报 / 月报 and 考核排名.

Every figure is aggregated in the database, per *unit*: a name for a set of groups (one group,
a township's subtree, everyone's total). A group may sit in several units at once, so one call
answers a district's whole report, and percentiles are computed over each unit's own tickets
(a median of medians would be wrong). Durations are whole seconds; percentiles are nearest-rank.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

#: Units by name: the group keys each one counts.
Units = Mapping[str, Sequence[str]]
#: Families of figures a caller may ask for (all by default): tickets filed, closed and still
#: open; times to accept and to finish; the late count; the overdue list; ratings; notices;
#: households; campaigns. The ranking asks only for what its score uses.
PARTS = ("filed", "closed", "open", "accept", "finish", "late", "overdue", "ratings", "notices",
         "households", "campaigns")


@dataclass(frozen=True, slots=True)
class Spread:
    """How long something took over a set of tickets: how many, median and 90th percentile."""

    n: int = 0
    p50: float | None = None
    p90: float | None = None


@dataclass(frozen=True, slots=True)
class HeldTicket:
    """An unfinished ticket past its deadline, and who holds it."""

    code: str
    group_name: str
    kind: str
    status: str
    holder: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LowRating:
    """One of the lowest ratings of the period, with what the resident wrote."""

    code: str
    group_name: str
    score: int
    comment: str


@dataclass
class UnitRows:
    """Every raw figure of one unit over one period (counts keyed by kind / category)."""

    #: Tickets filed in the period, by (kind, category).
    filed: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Tickets finished (done) and rejected in the period, by (kind, category).
    done: dict[tuple[str, str], int] = field(default_factory=dict)
    rejected: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Tickets unfinished at the end of the period, by kind.
    open: dict[str, int] = field(default_factory=dict)
    #: Filed in the period, then accepted or finished later than their limit (or not yet, past it).
    late: int = 0
    #: From filing to the first move out of 待处理 (tickets filed in the period).
    accept: Spread = field(default_factory=Spread)
    #: From filing to 已完成 (tickets finished in the period; the library's instant answers apart).
    finish: Spread = field(default_factory=Spread)
    ratings: int = 0
    rating_sum: int = 0
    lowest: list[LowRating] = field(default_factory=list)
    #: Rumour reports closed in the period: answered from the library at once, or by staff.
    rumors_auto: int = 0
    rumors_staff: int = 0
    #: Notice deliveries queued in the period, those confirmed (收到), time to confirm.
    notices: int = 0
    confirmed: int = 0
    confirm: Spread = field(default_factory=Spread)
    #: Households registered by the end, and those with a member in the group.
    households: int = 0
    joined: int = 0
    #: Campaigns started in the period: households asked (group by group) and those that answered.
    campaign_asked: int = 0
    campaign_answered: int = 0
    #: Unfinished and past their deadline at ``asof`` (the report's time): how many, the oldest few.
    overdue: int = 0
    overdue_list: list[HeldTicket] = field(default_factory=list)


class ReportRepo(Protocol):
    """Aggregates over tickets, ratings, rumours, notices, households and campaigns."""

    async def period(
        self, units: Units, start: datetime, end: datetime, asof: datetime,
        limits: Mapping[tuple[str, str], tuple[timedelta, timedelta]], *, top: int = 5,
        parts: Collection[str] = PARTS,
    ) -> dict[str, UnitRows]:
        """Every unit's figures for [start, end): late judged at ``end``, the overdue list at
        ``asof`` (the report's time), both with ``limits`` ((kind, priority) -> (accept, finish));
        ``top`` bounds each unit's lists (0: none); ``parts`` names the families to compute."""

    async def first_activity(self) -> datetime | None:
        """When the first ticket or notice was recorded (None in an empty database)."""
