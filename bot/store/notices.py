"""Notices, their per-group deliveries and approvals, and notice schedules."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Notice:
    """One published notice."""

    id: int
    code: str
    origin_key: str
    author_platform: str
    author_id: str
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """One (notice, group) pair, joined with the state of its outbox row."""

    notice_id: int
    group_key: str
    group_name: str
    platform: str
    chat_id: str
    depth: int
    state: str
    outbox_key: str
    queued_at: datetime | None
    confirmed_at: datetime | None
    confirmed_by: str
    reminded_at: datetime | None
    send_status: str | None  # pending / sent / failed, None while held
    sent_at: datetime | None
    last_error: str


@dataclass(frozen=True, slots=True)
class Schedule:
    """A recurring or one-off notice."""

    id: int
    code: str
    group_key: str
    subtree: bool
    spec: str
    text: str
    author_platform: str
    author_id: str
    author_name: str
    config_key: str | None
    cancelled: bool
    #: A one-off whose notice went out (or whose time passed while the bot was down).
    finished: bool = False

    @property
    def active(self) -> bool:
        """Still to fire: neither cancelled nor finished."""
        return not (self.cancelled or self.finished)


class NoticeRepo(Protocol):
    """The ``notices``, ``notice_deliveries``, ``notice_approvals`` and ``notice_schedules`` tables."""

    async def create(
        self, origin_key: str, author: tuple[str, str, str], text: str, now: datetime,
        fire_key: str | None = None,
    ) -> Notice | None:
        """Store a notice and give it the next code; None if ``fire_key`` already posted one."""

    async def get(self, code: str) -> Notice | None:
        """A notice by code."""

    async def recent(self, limit: int = 10) -> list[Notice]:
        """The newest notices first."""

    async def recent_for(self, platform: str, user_id: str, group_keys: Collection[str],
                         limit: int = 10) -> list[Notice]:
        """The newest notices a person wrote, or that started in or reached (not held) ``group_keys``."""

    async def add_delivery(
        self, notice: Notice, group_key: str, group_name: str, platform: str, chat_id: str,
        depth: int, held: bool,
    ) -> str:
        """Record that a group is to receive a notice; returns its outbox dedupe key."""

    async def mark_queued(self, notice: Notice, group_key: str, now: datetime) -> None:
        """A held delivery was released into the outbox."""

    async def deliveries(self, notice: Notice) -> list[Delivery]:
        """Every group of a notice with its send state, top of the hierarchy first."""

    async def approve(self, notice: Notice, group_key: str, who: str, now: datetime) -> bool:
        """Record a reviewing level's approval; False if it was already approved."""

    async def approvals(self, notice: Notice) -> set[str]:
        """Groups whose reviewers approved the notice."""

    async def confirm(self, notice: Notice, group_key: str, who: str, now: datetime) -> bool:
        """A group's owner confirms receipt; False if already confirmed."""

    async def unconfirmed(self, group_keys: Collection[str], limit: int = 20) -> list[tuple[Notice, str]]:
        """Notices sent to ``group_keys`` and not yet confirmed there, newest first: (notice, group key)."""

    async def due_reminders(self, before: datetime) -> list[tuple[Notice, Delivery]]:
        """Sent, unconfirmed, never reminded deliveries that reached their group before ``before``."""

    async def mark_reminded(self, notice: Notice, group_key: str, now: datetime) -> None:
        """Record that a group was reminded (it is reminded once)."""

    async def add_schedule(
        self, group_key: str, subtree: bool, spec: str, text: str,
        author: tuple[str, str, str], now: datetime, config_key: str | None = None,
    ) -> Schedule:
        """Store a schedule (a config schedule is stored once under its key)."""

    async def schedule(self, code: str) -> Schedule | None:
        """A schedule by code."""

    async def schedules(self, include_inactive: bool = False) -> list[Schedule]:
        """Active schedules (or every one), oldest first."""

    async def finish_schedule(self, schedule: Schedule, now: datetime) -> None:
        """A one-off schedule has had its one occurrence."""

    async def cancel_schedule(self, schedule: Schedule, now: datetime) -> None:
        """Stop a schedule for good."""
