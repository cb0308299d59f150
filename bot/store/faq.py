"""Policy Q&A (政策问答): FAQ entries, records and protocol."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class FaqData:
    """One FAQ entry as imported or saved from an owner's answer."""

    id: str
    question: str
    variants: tuple[str, ...]
    answer: str
    source: str
    published_at: date
    #: The last day the answer holds (inclusive); None: no end.
    valid_until: date | None = None
    #: A group key: the entry applies to that group and those below; "": everywhere.
    scope: str = ""

    def valid_on(self, day: date) -> bool:
        """Whether the answer still holds on ``day``."""
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """An FAQ entry as stored."""

    data: FaqData
    added_at: datetime

    @property
    def id(self) -> str:
        """The entry's id (F12)."""
        return self.data.id


class FaqRepo(Protocol):
    """The ``faq`` and ``faq_version`` tables (residents' open questions are tickets, kind ``question``)."""

    async def add_many(self, rows: Sequence[FaqData], now: datetime) -> builtins.list[str]:
        """Add entries in one transaction; returns the ids already there (left as they are)."""

    async def get(self, entry_id: str) -> FaqEntry | None:
        """One entry."""

    def scan(self, *, page: int = 1000) -> AsyncIterator[FaqEntry]:
        """Entries in the order they were added, page by page."""

    async def version(self) -> int:
        """A number that changes whenever the entries do (any process)."""

    async def expire(self, entry_id: str, last_day: date) -> FaqEntry | None:
        """End an entry's validity after ``last_day`` (retiring it); None when there is no such id."""
