"""Checkpoint duty rosters (卡点排班) and the pick list's errands: records and the repository protocol.

A shift is one checkpoint's stretch of time on one local day; a duty is one person on a shift.
A person is known by name, and by platform id once the import gave one or they identified
themselves with ``到岗`` (remembered in ``roster_people`` for every later shift of that name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.tickets import Ticket

SwapStatus = Literal["pending", "accepted", "declined", "void"]


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift of one checkpoint on one local day."""

    id: int
    checkpoint: str
    day: str
    name: str
    start_hm: str
    end_hm: str
    start_at: datetime
    end_at: datetime
    source: str

    @property
    def hours(self) -> str:
        """``08:00-16:00``, as people write a shift."""
        return f"{self.start_hm}-{self.end_hm}"


@dataclass(frozen=True, slots=True)
class Duty:
    """One person on one shift, and whether they were reminded, checked in, or missed."""

    id: int
    shift: Shift
    name: str
    platform: str
    user_id: str
    phone: str
    checked_in_at: datetime | None
    reminded_at: datetime | None
    alerted_at: datetime | None


@dataclass(frozen=True, slots=True)
class Swap:
    """A request to hand one duty to another rostered person, and its answer."""

    id: int
    duty_id: int
    from_name: str
    from_user: str
    to_name: str
    to_user: str
    status: SwapStatus
    asked_at: datetime


class RosterRepo(Protocol):
    """The ``roster_shifts``, ``roster_duties``, ``roster_people`` and ``roster_swaps`` tables."""

    async def add_shift(self, checkpoint: str, day: str, name: str, start_hm: str, end_hm: str,
                        start_at: datetime, end_at: datetime, source: str) -> tuple[Shift, bool]:
        """The shift at these times (added if new; True when added)."""

    async def shifts(self, day: str) -> list[Shift]:
        """Every checkpoint's shifts that day, by checkpoint and start."""

    async def drop_config_shifts(self, checkpoint: str, day: str) -> int:
        """Remove a day's shifts made from bot.toml where nobody checked in; how many."""

    async def add_duty(self, shift: Shift, name: str, platform: str, user_id: str,
                       phone: str) -> bool:
        """Put a person on a shift (filling in an id or phone given now); True if new."""

    async def on_day(self, day: str, checkpoints: Sequence[str] | None = None) -> list[Duty]:
        """The duties of one day (of these checkpoints), by checkpoint, start and name."""

    async def between(self, first_day: str, last_day: str) -> list[Duty]:
        """The duties of these days, by day, checkpoint, start and name (an export)."""

    async def of_person(self, platform: str, user_id: str, start_before: datetime,
                        end_after: datetime) -> list[Duty]:
        """A person's duties starting by ``start_before`` and ending after ``end_after``."""

    async def unlinked(self, checkpoint: str, platform: str, start_before: datetime,
                       end_after: datetime) -> list[Duty]:
        """Duties of the checkpoint in that window whose person has no platform id yet."""

    async def person(self, platform: str, name: str) -> str:
        """The platform id a roster name was linked to, or ``""``."""

    async def link(self, platform: str, name: str, user_id: str) -> None:
        """Remember who a roster name is and fill it into every duty of that name without one."""

    async def named(self, platform: str, name: str, from_day: str) -> list[Duty]:
        """Duties of a name from ``from_day`` on, soonest first: whether someone is on the roster."""

    async def check_in(self, duty: Duty, now: datetime) -> bool:
        """Record a check-in; False if already checked in."""

    async def to_remind(self, start_from: datetime, start_to: datetime) -> list[Duty]:
        """Duties with a known person starting in ``(start_from, start_to]`` not yet reminded."""

    async def mark_reminded(self, duty: Duty, now: datetime) -> bool:
        """Record the reminder; False if another run did it first."""

    async def missed(self, started_by: datetime, now: datetime) -> list[Duty]:
        """Duties of shifts started by ``started_by`` and not over at ``now``, with no check-in
        and no alert yet."""

    async def mark_alerted(self, duties: Sequence[Duty], now: datetime) -> int:
        """Record the missed-check-in alert of these duties; how many were not yet alerted."""

    async def ask_swap(self, duty: Duty, to_name: str, to_user: str, now: datetime) -> Swap:
        """Record a request to hand ``duty`` to another person (earlier pending ones go void)."""

    async def swap(self, swap_id: int) -> Swap | None:
        """One swap request."""

    async def decide_swap(self, swap: Swap, accept: bool, now: datetime) -> bool:
        """Accept or decline a pending swap, handing the duty over on accept; False if not pending."""

    async def duty(self, duty_id: int) -> Duty | None:
        """One duty."""

    async def open_errands(self, group_key: str, category: str, since: datetime,
                           until: datetime) -> list[Ticket]:
        """Open errands of one group and category filed in ``[since, until)``, oldest first."""
