"""The SQLite store: every repository over one aiosqlite connection to one file."""

from __future__ import annotations

from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, TypeVar, overload

from bot.store.sqlite.audit import SqliteAuditRepo
from bot.store.sqlite.base import Database
from bot.store.sqlite.campaigns import SqliteCampaignRepo
from bot.store.sqlite.care import SqliteCareRepo
from bot.store.sqlite.charts import SqliteChartRepo
from bot.store.sqlite.faq import SqliteFaqRepo
from bot.store.sqlite.groups import SqliteGroupRepo
from bot.store.sqlite.households import SqliteHouseholdRepo, SqliteMemberRepo
from bot.store.sqlite.messages import SqliteMessageRepo
from bot.store.sqlite.notices import SqliteNoticeRepo
from bot.store.sqlite.outbox import SqliteOutboxRepo
from bot.store.sqlite.reports import SqliteReportRepo
from bot.store.sqlite.retention import SqliteRetentionRepo
from bot.store.sqlite.rosters import SqliteRosterRepo
from bot.store.sqlite.rumors import SqliteRumorRepo
from bot.store.sqlite.sla import SqliteSlaRepo
from bot.store.sqlite.tickets import SqliteTicketRepo
from bot.store.sqlite.volunteers import SqliteVolunteerRepo
from bot.store.sqlite.web import SqliteWebRepo

A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")
E = TypeVar("E")


class SqliteStore:
    """Every repository over one database connection (a :class:`bot.store.Store`)."""

    def __init__(self, path: Path | str):
        self.db = Database(path)
        self.messages = SqliteMessageRepo(self.db)
        self.tickets = SqliteTicketRepo(self.db)
        self.sla = SqliteSlaRepo(self.db)
        self.outbox = SqliteOutboxRepo(self.db)
        self.groups = SqliteGroupRepo(self.db)
        self.households = SqliteHouseholdRepo(self.db)
        self.members = SqliteMemberRepo(self.db)
        self.campaigns = SqliteCampaignRepo(self.db)
        self.care = SqliteCareRepo(self.db)
        self.rosters = SqliteRosterRepo(self.db)
        self.notices = SqliteNoticeRepo(self.db)
        self.audit = SqliteAuditRepo(self.db)
        self.retention = SqliteRetentionRepo(self.db)
        self.rumors = SqliteRumorRepo(self.db)
        self.faq = SqliteFaqRepo(self.db)
        self.volunteers = SqliteVolunteerRepo(self.db)
        self.web = SqliteWebRepo(self.db)
        self.charts = SqliteChartRepo(self.db)
        self.reports = SqliteReportRepo(self.db)

    @property
    def jobstore_url(self) -> str:
        """The SQLAlchemy URL of this same file, for APScheduler's job store."""
        return f"sqlite:///{self.db.path.resolve()}"

    async def open(self) -> SqliteStore:
        """Open the database and migrate it; returns self for chaining."""
        await self.db.open()
        return self

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()

    def tx(self) -> AbstractAsyncContextManager[None]:
        """A write transaction spanning several repositories."""
        return self.db.tx()

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
        """Independent store calls at once, their first reads in one trip to the thread."""
        return tuple(await self.db.together(*aws))
