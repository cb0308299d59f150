"""The series the charts draw (``bot/charts.py``), computed in SQL: small aggregates only.

Every query is bounded by the period it shows and answers per day or per group, never per
ticket, so a chart of a million-ticket district reads only the period's index range.
``groups`` narrows a query to some group keys; None means every group (staff).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DayCount:
    """Tickets of one kind filed on one local day."""

    day: date
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class GroupHandling:
    """Tickets of one group finished in the period and the hours they took, summed."""

    group_key: str
    done: int
    hours: float


@dataclass(frozen=True, slots=True)
class GroupReceipts:
    """Notices delivered to one group in the period and how many of them it confirmed."""

    group_key: str
    sent: int
    confirmed: int


class ChartRepo(Protocol):
    """Aggregates over tickets and notice deliveries for the charts."""

    async def tickets_per_day(
        self, start: datetime, end: datetime, utc_offset_minutes: int, groups: Collection[str] | None,
    ) -> list[DayCount]:
        """Tickets filed in ``[start, end)`` per local day and kind (days in UTC + the offset)."""

    async def handling_by_group(
        self, start: datetime, end: datetime, groups: Collection[str] | None,
    ) -> list[GroupHandling]:
        """Per group: tickets finished in ``[start, end)`` and their hours from filing to done."""

    async def receipts_by_group(
        self, start: datetime, end: datetime, groups: Collection[str] | None,
    ) -> list[GroupReceipts]:
        """Per group: deliveries of notices created in ``[start, end)`` and those confirmed."""
