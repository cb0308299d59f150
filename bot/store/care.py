"""The daily check-in (每日平安问询): records and the repository protocol.

Each morning every approved member linked to a household with a care tag (独居老人 …) is
asked in private how they are; a check-in is one such question about one household on one
local day, and its answer: ``ok`` (平安) or ``help`` (需要帮助, which opens an urgent errand).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.store.households import Household

Answer = Literal["", "ok", "help"]


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One member asked about one household on one day, and what they answered."""

    id: int
    day: str
    household_id: int
    platform: str
    user_id: str
    asked_at: datetime
    answer: Answer
    answered_at: datetime | None
    ticket_code: str


class CareRepo(Protocol):
    """The ``care_checkins`` table."""

    async def tagged(self, tags: Sequence[str]) -> list[Household]:
        """Households carrying any of these tags, by group and address."""

    async def ask(self, day: str, household_id: int, platform: str, user_id: str,
                  now: datetime) -> bool:
        """Record that a member is asked about a household today; False if already asked."""

    async def of_person(self, platform: str, user_id: str, day: str) -> list[CheckIn]:
        """The check-ins a person was asked on ``day``, oldest first."""

    async def answer(self, checkin: CheckIn, answer: Answer, now: datetime) -> CheckIn:
        """Record (or change) a member's answer."""

    async def set_ticket(self, day: str, household_id: int, code: str) -> None:
        """Remember the urgent errand opened for a household today (on all its check-ins)."""

    async def ticket_of(self, day: str, household_id: int) -> str:
        """The urgent errand opened for a household today, or ``""``."""

    async def answered(self, day: str, household_ids: Sequence[int]) -> set[int]:
        """Which of these households someone answered for on ``day``."""

    async def asked(self, day: str, household_ids: Sequence[int]) -> set[int]:
        """Which of these households someone was asked about on ``day``."""
