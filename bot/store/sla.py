"""The SLA scan's plan: when each unfinished ticket next has a reminder or escalation due.

The scan (:mod:`schedules.sla`) reads only the tickets whose moment has come and writes each
one's next moment, so it costs what is due, not what is open. The store keeps the plan in step
with the tickets themselves: a new ticket, or one whose status, holder or priority changed, is
due at once (to be worked out again), and a finished one leaves the plan.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from bot.tickets import Ticket


class SlaRepo(Protocol):
    """Each unfinished ticket's next reminder or escalation moment."""

    async def due(self, now: datetime, limit: int) -> builtins.list[Ticket]:
        """Up to ``limit`` unfinished tickets whose moment has come (or that changed since the
        last scan), earliest first."""

    async def plan(self, moments: Mapping[int, datetime | None]) -> None:
        """When to look at each of these tickets (by id) next; None: never (it is finished)."""

    async def replan(self, rules: str) -> int:
        """If the time-limit rules (described by ``rules``) differ from those the plan was made
        with, make every unfinished ticket due at once; how many were."""
