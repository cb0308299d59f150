"""The household register and the people in the groups: records and repository protocols.

A household is one address in one group (``3-2-501`` in 幸福小区居民群), keyed by the
normalised address (``bot/address.py``). A member is one chat account in one group: it joins,
asks to be registered by real name (``实名``), and once an owner approves it is linked to a
household. Join rate (入群率) = households with at least one linked member / households.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

#: How tags are written in one text column and in messages.
TAG_SEPARATOR = "、"

MemberStatus = Literal["joined", "pending", "approved", "rejected"]


@dataclass(frozen=True, slots=True)
class HouseholdData:
    """What a household is, without its id: an import row or an owner's ``住户 新增``."""

    group_key: str
    address_key: str
    address: str
    head: str = ""
    phone: str = ""
    members: int = 1
    tags: tuple[str, ...] = ()
    grid_key: str = ""


@dataclass(frozen=True, slots=True)
class Household:
    """One household of the register."""

    id: int
    group_key: str
    address_key: str
    address: str
    head: str
    phone: str
    members: int
    tags: tuple[str, ...]
    grid_key: str
    created_at: datetime
    updated_at: datetime

    def data(self) -> HouseholdData:
        """The same household as data, to change a field and save it."""
        return HouseholdData(self.group_key, self.address_key, self.address, self.head,
                             self.phone, self.members, self.tags, self.grid_key)


@dataclass(frozen=True, slots=True)
class JoinRate:
    """One group's households and how many of them have someone in the group."""

    group_key: str
    households: int
    joined: int

    @property
    def rate(self) -> float | None:
        """``joined / households``; None for a group with no households registered."""
        return self.joined / self.households if self.households else None


@dataclass(frozen=True, slots=True)
class Member:
    """One chat account in one group, and where its real-name registration stands."""

    id: int
    platform: str
    user_id: str
    group_key: str
    name: str
    real_name: str
    address_key: str
    address: str
    household_id: int | None
    status: MemberStatus
    via_request: bool
    reply_chat: str
    joined_at: datetime
    registered_at: datetime | None
    decided_at: datetime | None
    decided_by: str
    reason: str
    reminded_at: datetime | None

    @property
    def code(self) -> str:
        """The registration's code in owners' cards and commands."""
        return f"J{self.id}"


class HouseholdRepo(Protocol):
    """The ``households`` table."""

    async def save(self, data: HouseholdData, now: datetime) -> tuple[Household, bool]:
        """Add a household or update the one at the same (group, address); True if added."""

    async def save_many(self, rows: Sequence[HouseholdData], now: datetime) -> tuple[int, int]:
        """Save rows in one transaction (an import); returns (added, updated)."""

    async def get(self, household_id: int) -> Household | None:
        """One household by id."""

    async def find(self, group_key: str, address_key: str) -> Household | None:
        """The household at a normalised address in a group."""

    async def of_sender(self, platform: str, user_id: str, group_key: str,
                        address_key: str | None) -> Household | None:
        """The household a request in a group comes from: the sender's own when they are
        registered with one, else the one at ``address_key`` (one look)."""

    async def find_address(self, group_keys: Sequence[str], address_key: str) -> list[Household]:
        """The households at a normalised address in any of these groups, by group."""

    async def delete(self, household_id: int) -> bool:
        """Remove a household (its members stay, unlinked); False if there was none."""

    async def count(self, group_keys: Sequence[str] | None = None) -> int:
        """How many households in these groups (all groups when None)."""

    def scan(self, group_keys: Sequence[str] | None = None, *, page: int = 1000,
             ) -> AsyncIterator[Household]:
        """Every household in these groups (all when None), by group and address, page by page."""

    async def join_rates(self, group_keys: Sequence[str]) -> list[JoinRate]:
        """Households and households with a linked member, per group, in the order given."""

    async def unjoined(self, group_keys: Sequence[str], limit: int | None = None,
                       offset: int = 0) -> list[Household]:
        """Households with nobody linked in the group, by group and address (``offset`` pages on)."""

    async def in_grid(self, grid_key: str) -> list[Household]:
        """The households of one grid."""


class MemberRepo(Protocol):
    """The ``members`` table."""

    async def joined(self, platform: str, user_id: str, group_key: str, name: str, now: datetime,
                     *, via_request: bool = False, reply_chat: str = "") -> tuple[Member, bool]:
        """Someone joined (or asked to join) a group; True if new. A rejoin keeps its link."""

    async def register(self, member: Member, real_name: str, address_key: str, address: str,
                       household_id: int | None, now: datetime) -> Member:
        """The person asked to be registered by real name: pending the owner's decision."""

    async def decide(self, member: Member, *, approve: bool, household_id: int | None, who: str,
                     reason: str, now: datetime) -> Member:
        """An owner approved (linking ``household_id``) or rejected a registration."""

    async def get(self, member_id: int) -> Member | None:
        """One member by id (the number of its J code)."""

    async def find(self, platform: str, user_id: str, group_key: str) -> Member | None:
        """A person's membership of one group."""

    async def of_person(self, platform: str, user_id: str) -> list[Member]:
        """Every group a person is known in, newest first."""

    async def linked(self, household_ids: Sequence[int]) -> list[Member]:
        """The approved members of these households."""

    async def in_groups(self, group_keys: Sequence[str], statuses: Sequence[MemberStatus],
                        limit: int | None = None) -> list[Member]:
        """Members of these groups in these states, oldest first."""

    async def to_remind(self, older_than: datetime, limit: int = 500) -> list[Member]:
        """Joined but never registered since before ``older_than`` and not yet reminded."""

    async def mark_reminded(self, member_ids: Sequence[int], now: datetime) -> None:
        """Record that these members were reminded once."""
