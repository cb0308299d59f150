"""The ticket store: what the bot asks of its database, and the factory that opens one.

``Store`` is the one interface the rest of the bot sees: a repository per table family
(``bot/store/<family>.py`` holds its records and its protocol) plus transactions. Nothing
outside this package imports a database driver; failures arrive as :class:`StoreError`.

Implementations live in their own packages: ``bot.store.sqlite`` today. To add one (say
``bot.store.postgres`` on asyncpg or psycopg 3): implement every repository protocol and
``Store`` there (``tx()`` must make nested use in one task join the outer transaction),
turn the driver's errors into :class:`StoreUnavailable`, give ``jobstore_url`` the
SQLAlchemy URL of the same database, teach :func:`make_store` its ``scheme:`` prefix and add
the scheme to ``tests/store_backends.py``: the behavioural store tests then run against it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

from bot.store.audit import AuditRepo
from bot.store.campaigns import CampaignRepo
from bot.store.care import CareRepo
from bot.store.charts import ChartRepo
from bot.store.errors import StoreError, StoreUnavailable
from bot.store.faq import FaqRepo
from bot.store.groups import BoundGroup, GroupRepo
from bot.store.households import HouseholdRepo, MemberRepo
from bot.store.messages import MessageRepo
from bot.store.notices import NoticeRepo
from bot.store.outbox import OutboxItem, OutboxRepo
from bot.store.reports import ReportRepo
from bot.store.retention import RetentionRepo
from bot.store.rosters import RosterRepo
from bot.store.rumors import RumorRepo
from bot.store.sla import SlaRepo
from bot.store.tickets import TicketRepo
from bot.store.volunteers import VolunteerRepo
from bot.store.web import WebRepo

A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")
E = TypeVar("E")

__all__ = ["BoundGroup", "OutboxItem", "Store", "StoreError", "StoreUnavailable", "make_store", "open_store"]


class Store(Protocol):
    """Every repository over one database, and the transactions that span them."""

    @property
    def messages(self) -> MessageRepo:
        """Inbound messages."""

    @property
    def tickets(self) -> TicketRepo:
        """Tickets, their history, ratings and flood counts."""

    @property
    def outbox(self) -> OutboxRepo:
        """Replies queued to send."""

    @property
    def groups(self) -> GroupRepo:
        """Groups bound at run time."""

    @property
    def households(self) -> HouseholdRepo:
        """The household register."""

    @property
    def members(self) -> MemberRepo:
        """People in the groups and their real-name registrations."""

    @property
    def care(self) -> CareRepo:
        """Daily check-ins of vulnerable households."""

    @property
    def campaigns(self) -> CampaignRepo:
        """Roll-calls, sign-ups and votes, and their answers."""

    @property
    def rosters(self) -> RosterRepo:
        """Checkpoint duty rosters (卡点排班) and the pick list's errands."""

    @property
    def notices(self) -> NoticeRepo:
        """Notices, deliveries, approvals and schedules."""

    @property
    def sla(self) -> SlaRepo:
        """When each unfinished ticket's next reminder or escalation is due."""

    @property
    def audit(self) -> AuditRepo:
        """The audit log."""

    @property
    def retention(self) -> RetentionRepo:
        """The ``[privacy]`` purges."""

    @property
    def rumors(self) -> RumorRepo:
        """The rumour library and the reports joined on rumour tickets."""

    @property
    def faq(self) -> FaqRepo:
        """Policy Q&A entries (residents' open questions are tickets of kind ``question``)."""

    @property
    def volunteers(self) -> VolunteerRepo:
        """Volunteers, the tickets they hold and the errands posted for them."""

    @property
    def web(self) -> WebRepo:
        """The dashboard's login links, sessions and ticket search."""

    @property
    def charts(self) -> ChartRepo:
        """Per-day and per-group aggregates the charts draw."""

    @property
    def reports(self) -> ReportRepo:
        """Report figures over a period (日报 / 周报 / 月报, 考核排名)."""

    @property
    def jobstore_url(self) -> str:
        """The SQLAlchemy URL of the same database, where APScheduler keeps its jobs."""

    async def open(self) -> Store:
        """Connect and bring the schema up to date; returns self. StoreUnavailable if it cannot."""

    async def close(self) -> None:
        """Disconnect; safe to call twice."""

    def tx(self) -> AbstractAsyncContextManager[None]:
        """A write transaction spanning several repositories; nested use in one task joins it."""

    @overload
    async def together(self, a: Awaitable[A], b: Awaitable[B], /) -> tuple[A, B]: ...

    @overload
    async def together(self, a: Awaitable[A], b: Awaitable[B], c: Awaitable[C], /) -> tuple[A, B, C]: ...

    @overload
    async def together(self, a: Awaitable[A], b: Awaitable[B], c: Awaitable[C], d: Awaitable[D], /
                       ) -> tuple[A, B, C, D]: ...

    @overload
    async def together(self, a: Awaitable[A], b: Awaitable[B], c: Awaitable[C], d: Awaitable[D],
                       e: Awaitable[E], /) -> tuple[A, B, C, D, E]: ...

    async def together(self, *aws: Awaitable[Any]) -> tuple[Any, ...]:
        """Run independent store calls at once (like ``asyncio.gather``); a store that can
        sends their first reads to the database together (SQLite: one trip to its thread)."""


def make_store(location: Path | str) -> Store:
    """An unopened store for ``location``: ``sqlite:PATH`` or a plain path (a SQLite file)."""
    from bot.store.sqlite import SqliteStore  # imported here: the backend imports this package

    text = str(location)
    return SqliteStore(text.removeprefix("sqlite:") if text.startswith("sqlite:") else location)


async def open_store(location: Path | str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``."""
    return await make_store(location).open()
