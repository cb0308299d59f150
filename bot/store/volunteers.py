"""Volunteers, the tickets they hold and the errands posted for them: records and protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.tickets import Ticket

Status = Literal["pending", "approved", "rejected"]
STATUS_LABEL = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}


@dataclass(frozen=True, slots=True)
class Volunteer:
    """One person's sign-up for one team, and its decision."""

    id: int
    platform: str
    user_id: str
    name: str
    phone: str
    team_key: str
    status: Status
    reason: str
    created_at: datetime

    @property
    def status_label(self) -> str:
        """待审核 / 已通过 / 未通过."""
        return STATUS_LABEL[self.status]

    @property
    def tail(self) -> str:
        """The phone's last four digits, to tell two people of one name apart."""
        return self.phone[-4:]


@dataclass(frozen=True, slots=True)
class Waiting:
    """An errand posted to a team's group that nobody has taken yet."""

    ticket: Ticket
    team_key: str
    posted_at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    """One volunteer's (or team's) month: tickets taken, done, median minutes, average rating."""

    key: str
    name: str
    team_key: str
    taken: int
    done: int
    median_minutes: float | None
    rating: float | None


class VolunteerRepo(Protocol):
    """The ``volunteers``, ``volunteer_tasks`` and ``dispatches`` tables."""

    async def sign_up(self, platform: str, user_id: str, name: str, phone: str, team_key: str,
                      now: datetime) -> tuple[Volunteer, bool]:
        """Record a sign-up (again, after a rejection); False with the existing one otherwise."""

    async def of_user(self, platform: str, user_id: str) -> Volunteer | None:
        """This person's sign-up, if any."""

    async def named(self, name: str, teams: Sequence[str] | None = None,
                    status: Status | None = None) -> list[Volunteer]:
        """Sign-ups under this name (in these teams, with this status), oldest first."""

    async def decide(self, volunteer: Volunteer, approve: bool, reason: str, by: str,
                     now: datetime) -> Volunteer:
        """Approve or reject a sign-up."""

    async def roster(self, teams: Sequence[str], limit: int) -> list[Volunteer]:
        """Sign-ups of these teams, pending first, then by team and name; at most ``limit``."""

    async def counts(self, teams: Sequence[str]) -> dict[tuple[str, str], int]:
        """How many sign-ups each (team, status) has."""

    async def claim(self, ticket: Ticket, volunteer: Volunteer, now: datetime) -> bool:
        """Give an open ticket to this volunteer; False if someone took it first (any process)."""

    async def assign(self, ticket: Ticket, volunteer: Volunteer, now: datetime) -> None:
        """Record that an owner handed the ticket to this volunteer (whoever held it before)."""

    async def holder(self, ticket: Ticket) -> Volunteer | None:
        """The volunteer holding the ticket now, if one does."""

    async def give_back(self, ticket: Ticket, reason: str, now: datetime) -> None:
        """The holder gives the ticket back: it is open again, to be posted anew."""

    async def tasks(self, volunteer: Volunteer, limit: int) -> list[Ticket]:
        """Unfinished tickets this volunteer holds, oldest first."""

    async def posted(self, ticket: Ticket, team_key: str, now: datetime) -> None:
        """Record (or renew) that the ticket was posted to a team's group."""

    async def waiting(self, before: datetime) -> list[Waiting]:
        """Posted errands still open and not escalated, posted at or before ``before``."""

    async def escalated(self, ticket: Ticket, now: datetime) -> bool:
        """Mark a waiting errand escalated; False if it was already."""

    async def tallies(self, start: datetime, end: datetime, *, groups: Sequence[str],
                      teams: Sequence[str], by_team: bool, limit: int = 0) -> list[Tally]:
        """Tickets taken in [start, end) of these groups or by these teams' volunteers,
        counted by volunteer (or team), busiest first; at most ``limit`` (0: all)."""
