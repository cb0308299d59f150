"""Tickets, their history and ratings: what the bot asks of any ticket store."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.floodgate import Burst
from bot.message import Incoming
from bot.tickets import Closing, NewTicket, Rating, Ticket, TicketEvent


class NamedGroup(Protocol):
    """What the store needs of a group (a ``GroupConfig`` fits): the store knows no config types."""

    @property
    def key(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Reserved:
    """Numbers held for the next ticket of a kind by the open transaction (``reserve``)."""

    kind: str
    id: int
    number: int


@dataclass(frozen=True)
class OpenCount:
    """Open tickets of one group, kind and priority: how many, and how many are overdue."""

    group_key: str
    kind: str
    priority: str
    open: int
    overdue: int


class TicketRepo(Protocol):
    """The ``tickets``, ``ticket_events`` and ``ratings`` tables."""

    async def create(
        self, new: NewTicket, group: NamedGroup, msg: Incoming, message_row: int | None,
        now: datetime, *, household_id: int | None = None, grid_key: str = "",
        reserved: Reserved | None = None,
    ) -> Ticket:
        """Number and store a ticket, with its first history line (and its household's grid).

        With ``reserved`` (:meth:`reserve`, in the same transaction) it takes those numbers and
        is written with the transaction's next statement or its commit: no look of its own.
        """

    async def reserve(self, kind: str) -> Reserved:
        """The id and number the next ticket of ``kind`` takes; inside a write transaction
        only, which holds them until it ends (a read, so it can go with other look-ups)."""

    async def get(self, code: str) -> Ticket | None:
        """The ticket with this code, or None."""

    async def update(
        self, ticket: Ticket, *, now: datetime, actor_id: str, actor_name: str, action: str,
        to_status: str | None = None, note: str = "", **fields: str,
    ) -> Ticket:
        """Change a ticket's status and/or fields and record who did it."""

    async def note(self, notes: Sequence[tuple[Ticket, str]], *, now: datetime, actor_id: str,
                   actor_name: str, action: str) -> None:
        """Add a history line to each of these tickets, status unchanged, in bulk."""

    async def history(self, ticket: Ticket) -> builtins.list[TicketEvent]:
        """Every history line of a ticket, oldest first."""

    async def list(  # noqa: A003 - reads as store.tickets.list(...)
        self, *, groups: Sequence[str] | None = None, kind: str | None = None,
        open_only: bool = False, requester: tuple[str, str] | None = None, limit: int = 0,
        filed_by: datetime | None = None, after: Ticket | None = None,
    ) -> builtins.list[Ticket]:
        """Tickets matching every filter given (``filed_by``: created at or before), urgent and
        oldest first; open ones listed ``after`` a ticket: the next page (keyset)."""

    async def count_open(self, groups: Sequence[str], kind: str | None = None,
                         after: Ticket | None = None) -> int:
        """How many open tickets ``list(groups=..., kind=..., open_only=True, after=...)`` holds."""

    async def open_counts(self, cutoffs: Mapping[tuple[str, str, bool], datetime]) -> builtins.list[OpenCount]:
        """Open tickets counted by group, kind and priority, with how many were filed before the
        cutoff for their (kind, priority, still to be accepted): the overdue."""

    async def done_since(self, since: datetime) -> dict[str, int]:
        """Tickets finished (done) after ``since``, by group."""

    async def created_since(self, since: datetime) -> int:
        """How many tickets were filed after ``since``."""

    async def intake(
        self, platform: str, requester_id: str, group_key: str, kind: str, filed_after: datetime,
        open_after: datetime, limit: int,
    ) -> tuple[int, builtins.list[Ticket]]:
        """What filing a request reads first, in one look: how many tickets this person filed
        in this group after ``filed_after`` (the flood limit), and :meth:`recent_open` of
        ``kind`` after ``open_after`` (the repeat check)."""

    async def recent_open(
        self, platform: str, requester_id: str, group_key: str, kind: str, since: datetime,
        limit: int,
    ) -> builtins.list[Ticket]:
        """This person's open tickets of one kind in one group filed after ``since``, newest
        first, at most ``limit``: what a repeat check may look at, however many there are.
        """

    async def flood_burst(self, platform: str, requester_id: str, group_key: str) -> Burst | None:
        """The person's latest burst of held-back requests in this group, if any."""

    async def hold(self, platform: str, requester_id: str, group_key: str, now: datetime, *,
                   new_burst: bool) -> Burst:
        """Count one request held back: the first of a new burst, or one more in the current."""

    async def say_once(self, platform: str, requester_id: str, group_key: str, topic: str,
                       now: datetime, since: datetime) -> bool:
        """Whether to give this person the reply about ``topic``: not if it was given after
        ``since`` (the message is then only counted as held back).
        """

    async def rate(
        self, ticket: Ticket, score: int, rater_id: str, comment: str, now: datetime
    ) -> bool:
        """Store the one rating a ticket takes; False if it was already rated."""

    async def rating(self, ticket: Ticket) -> int | None:
        """The ticket's rating, if it has one."""

    async def export_rows(self, after: int = 0, limit: int = 0, groups: Sequence[str] | None = None,
                          grids: Sequence[str] = (),
                          ) -> builtins.list[tuple[Ticket, Rating | None, Closing | None]]:
        """Every ticket with its rating and, once closed, its closing event; oldest first.
        A page at a time (keyset on id) with ``after`` (the last id read) and ``limit``;
        ``groups`` / ``grids`` narrow it to those groups' tickets or those grids' (None: all)."""
