"""The rumour library and the reports joined on one rumour ticket: records and protocol."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from bot.tickets import Ticket


@dataclass(frozen=True, slots=True)
class OpenClaim:
    """An open rumour ticket as a new report is compared with it."""

    code: str
    text: str

Verdict = Literal["false", "true", "misleading", "unverified"]
VERDICTS: tuple[Verdict, ...] = ("false", "true", "misleading", "unverified")


@dataclass(frozen=True, slots=True)
class RumorData:
    """One library entry as imported or learned from a verdict, without its bookkeeping."""

    id: str
    claim: str
    verdict: Verdict
    refutation: str
    source: str
    published_at: date
    #: The rumour ticket whose verdict added the entry ("" for an import).
    ticket_code: str = ""


@dataclass(frozen=True, slots=True)
class RumorEntry:
    """A library entry as stored."""

    data: RumorData
    added_at: datetime
    retired_at: datetime | None

    @property
    def id(self) -> str:
        """The entry's id (L12)."""
        return self.data.id

    @property
    def retired(self) -> bool:
        """Retired entries are never matched."""
        return self.retired_at is not None


@dataclass(frozen=True, slots=True)
class RumorReport:
    """One person reporting the claim of a rumour ticket, in one group."""

    ticket_id: int
    platform: str
    chat_id: str
    group_key: str
    group_name: str
    requester_id: str
    requester_name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReportTally:
    """How far a rumour ticket's claim has spread: what a new report's answer says."""

    reports: int
    groups: int
    #: The first groups it was reported in, by name, in the order they first reported it.
    first_groups: tuple[str, ...]
    #: Reports from the group asked about.
    here: int


class RumorRepo(Protocol):
    """The ``rumors`` and ``rumor_reports`` tables."""

    async def add_many(self, rows: Sequence[RumorData], now: datetime) -> builtins.list[str]:
        """Add entries in one transaction; returns the ids that were already there (left as
        they are)."""

    async def get(self, entry_id: str) -> RumorEntry | None:
        """One entry, retired or not."""

    def scan(self, *, include_retired: bool = False, page: int = 1000,
             ) -> AsyncIterator[RumorEntry]:
        """Entries in the order they were added, page by page."""

    async def retire(self, entry_id: str, now: datetime) -> RumorEntry | None:
        """Retire an entry; returns it (retired), or None when there is no such id."""

    async def version(self) -> int:
        """A number that changes whenever the library does (any process)."""

    async def open_claims(self, since: datetime, limit: int) -> builtins.list[OpenClaim]:
        """The claims of open rumour tickets filed after ``since``, newest first, at most
        ``limit``: what joining a report compares, without reading whole tickets."""

    async def add_report(self, ticket: Ticket, report: RumorReport) -> None:
        """Record one more report of a ticket's claim (with the caller's transaction)."""

    async def tally(self, ticket: Ticket, group_key: str, names: int) -> ReportTally:
        """Counts of a ticket's reports, the first ``names`` groups, and those of ``group_key``
        (however many reports there are, without reading them all)."""

    async def reports(self, ticket: Ticket) -> builtins.list[RumorReport]:
        """Every report of a ticket's claim, first first."""
