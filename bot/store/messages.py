"""Inbound messages: stored before handling, handled once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.message import ChatRef, Incoming


class MessageRepo(Protocol):
    """The ``messages`` table."""

    async def record(self, msg: Incoming, received_at: datetime) -> int | None:
        """Store an inbound message; None if this platform message was seen before."""

    async def record_handled(self, msg: Incoming, at: datetime) -> None:
        """Store an inbound message as handled at ``at``, in the caller's transaction, with
        the effects of handling it. If this platform message was stored before, the
        transaction raises :class:`bot.store.errors.AlreadyStored` (here, at its next
        statement, or at its commit) and can only roll back."""

    async def unhandle(self, msg: Incoming) -> int:
        """Clear the handled mark :meth:`record_handled` set, in the caller's transaction
        (the handler deferred work past its commit); returns the message's row."""

    async def mark_handled(self, row_id: int, at: datetime) -> None:
        """Record that the message's effects are committed."""

    async def unhandled(self, platform: str | None = None) -> list[tuple[int, Incoming]]:
        """Messages stored but not handled (the process stopped in between), oldest first."""

    async def row_of(self, msg: Incoming) -> int | None:
        """The stored row of a message (found by its platform id), if it was stored."""

    async def group_chats_of(self, platform: str, sender_id: str) -> list[str]:
        """The group chats where this person has posted or joined, the latest first.

        A join request does not count: until it is approved the person is not in the group.
        """

    async def recent_private(self, chat: ChatRef, limit: int = 20) -> list[tuple[int, str, bool]]:
        """A private chat's latest texts, newest first: (row, text, a ticket was filed from it)."""

    async def get(self, row_id: int) -> Incoming | None:
        """The stored message of this row, unless it is unknown or its text was purged."""

    async def ticket_of(self, row_id: int) -> str | None:
        """The code of the ticket filed from this message row, if one was."""

    async def count(self) -> int:
        """How many messages are stored."""
