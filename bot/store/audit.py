"""The audit log: who exported, purged, approved or changed a role, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: a chat user (platform, id, name), the command line or the scheduler."""

    platform: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: datetime
    actor: Actor
    action: str
    target: str
    detail: str


class AuditRepo(Protocol):
    """The ``audit`` table; writes join the caller's transaction, so they commit with the action."""

    async def record(self, actor: Actor, action: str, target: str, detail: str, now: datetime) -> int:
        """Append one entry; returns its id."""

    async def amend(self, entry_id: int, detail: str) -> None:
        """Rewrite an entry's detail: a batched purge keeps its one entry's counts current."""

    async def latest(
        self, *, since: datetime | None = None, limit: int = 20,
        before: tuple[datetime, int] | None = None,
    ) -> list[AuditEntry]:
        """Entries newest first, at most ``limit``; ``before`` (at, id) of the last row pages on."""
