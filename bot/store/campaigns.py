"""Campaigns (接龙 roll-calls, 报名 sign-ups, 投票 votes): records and the repository protocol.

An owner starts a campaign for one or more groups; residents answer in the group. One answer
counts per voter (a household, or for votes a linked member) and the latest one wins.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.store.households import Household

CampaignKind = Literal["rollcall", "signup", "vote"]


@dataclass(frozen=True, slots=True)
class NewCampaign:
    """What an owner asked for, before it has a code."""

    kind: CampaignKind
    title: str
    options: tuple[str, ...]
    origin_key: str
    group_keys: tuple[str, ...]
    author: tuple[str, str, str]  # platform, user id, display name
    deadline: datetime | None = None
    capacity: int | None = None
    secret: bool = False


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign and where it stands."""

    id: int
    kind: CampaignKind
    title: str
    options: tuple[str, ...]
    capacity: int | None
    secret: bool
    origin_key: str
    group_keys: tuple[str, ...]
    author_platform: str
    author_id: str
    author_name: str
    created_at: datetime
    deadline: datetime | None
    reminded_at: datetime | None
    closed_at: datetime | None

    @property
    def code(self) -> str:
        """``C12``: how owners and residents name it."""
        return f"C{self.id}"

    def is_open(self, now: datetime) -> bool:
        """Still taking answers: not closed and before its deadline."""
        return self.closed_at is None and (self.deadline is None or now < self.deadline)


@dataclass(frozen=True, slots=True)
class NewAnswer:
    """One answer as read from a message."""

    campaign_id: int
    group_key: str
    #: ``h:<household id>``, ``a:<address key>`` (no register) or ``m:<platform>:<user id>`` (votes).
    voter: str
    household_id: int | None
    address: str
    option: str
    people: int
    platform: str
    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving an answer did: how often this voter has answered, and what it replaced."""

    answers: int
    previous: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A stored answer (the latest of its voter)."""

    group_key: str
    voter: str
    household_id: int | None
    address: str
    option: str
    people: int
    name: str
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    """Answers of a campaign in some groups: per option, and households of the register."""

    #: option -> (answers, people)
    options: dict[str, tuple[int, int]]
    #: Households of the register in these groups, and how many of them answered.
    households: int
    answered: int

    @property
    def answers(self) -> int:
        """Every answer counted, with or without a household of the register."""
        return sum(n for n, _ in self.options.values())

    @property
    def people(self) -> int:
        """People counted (``3人`` counts three)."""
        return sum(p for _, p in self.options.values())


class CampaignRepo(Protocol):
    """The ``campaigns``, ``campaign_groups`` and ``campaign_answers`` tables."""

    async def create(self, new: NewCampaign, now: datetime) -> Campaign:
        """Save a campaign for its groups; its code is ``C<id>``."""

    async def get(self, campaign_id: int) -> Campaign | None:
        """One campaign by the number of its code."""

    async def live(self, group_key: str, since: datetime) -> list[Campaign]:
        """Campaigns of a group still open or closed after ``since``, newest first.

        Called for every group message while campaigns run, so it is served from memory and
        refreshed whenever this store creates or closes a campaign.
        """

    async def recent(self, limit: int, group_keys: Sequence[str] | None = None) -> list[Campaign]:
        """The newest campaigns (touching these groups when given)."""

    async def answer(self, new: NewAnswer, now: datetime) -> Saved:
        """Save an answer; the voter's earlier answer is replaced."""

    async def answer_at(self, new: NewAnswer, address_key: str, now: datetime) -> tuple[Saved, int] | None:
        """Save ``new`` for the household at ``address_key`` in ``new.group_key`` in one step
        (the roll-call's hot path); (what it did, household id), or None without such a household.
        ``new.voter``, ``household_id`` and ``address`` are taken from the household."""

    async def answer_as_member(self, new: NewAnswer, now: datetime) -> tuple[Saved, int] | None:
        """Save ``new`` for the household its sender (``platform``, ``user_id``) is an approved
        member of in ``new.group_key``, in one step; None when the sender is linked to none."""

    async def people(self, campaign_id: int, *, except_voter: str = "") -> int:
        """People signed up so far, leaving one voter out (to check a sign-up's capacity)."""

    async def tally(self, campaign_id: int, group_keys: Sequence[str],
                    grid_keys: Sequence[str] | None = None) -> Tally:
        """Counts per option and households answered, in these groups (and only households of
        these grids, when given: a grid worker's view)."""

    async def answers(self, campaign_id: int, group_keys: Sequence[str],
                      limit: int | None = None) -> list[Answer]:
        """The answers in these groups, by group and time."""

    async def missing(self, campaign_id: int, group_keys: Sequence[str],
                      limit: int | None = None, grid_keys: Sequence[str] | None = None) -> list[Household]:
        """Households of these groups (and these grids, when given) that have not answered, by
        group and address."""

    def sheet(self, campaign_id: int, group_keys: Sequence[str], *, page: int = 1000,
              ) -> AsyncIterator[tuple[Household, Answer | None]]:
        """Every household of these groups with its answer (or None), page by page."""

    def progress_at(self, campaign_id: int, group_key: str) -> datetime | None:
        """When a group last saw this campaign's progress line (from memory)."""

    async def mark_progress(self, campaign_id: int, group_key: str, now: datetime) -> None:
        """Record a progress line posted to a group."""

    async def to_remind(self, until: datetime) -> list[Campaign]:
        """Open campaigns due at or before ``until`` that have not been reminded."""

    async def mark_reminded(self, campaign_id: int, now: datetime) -> None:
        """Record the reminder."""

    async def due(self, now: datetime) -> list[Campaign]:
        """Open campaigns whose deadline has come."""

    async def close(self, campaign_id: int, now: datetime) -> bool:
        """Close a campaign; False if it was closed already."""

    async def undigested(self) -> list[Campaign]:
        """Closed campaigns not yet in a digest, oldest first."""

    async def mark_digested(self, campaign_ids: Sequence[int], now: datetime) -> None:
        """Record that these closings went into the digests."""
