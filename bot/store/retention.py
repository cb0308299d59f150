"""Retention: purge old inbound texts, anonymise long-closed tickets, in small batches.

A purged message keeps its dedup key (platform, chat_id, platform_message_id) and handled_at, so
a redelivered old update is still recognised as seen; unhandled messages are never touched.
Each batch is one short transaction, so the running bot's handlers get the write lock between.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.privacy import mask

ADDRESS_GONE = "（地址已隐去）"


def scrub(text: str, address: str) -> str:
    """A text with the ticket's address taken out and phone and ID numbers masked."""
    if address:
        text = text.replace(address, ADDRESS_GONE)
    return mask(text)


class RetentionRepo(Protocol):
    """Counting and doing the ``[privacy]`` work over ``messages``, ``tickets`` and history."""

    async def count_messages(self, before: datetime) -> int:
        """Handled messages received before ``before`` whose text is still kept."""

    async def count_outbox(self, before: datetime) -> int:
        """Sent (or failed) replies created before ``before`` whose text is still kept."""

    async def count_tickets(self, before: datetime) -> int:
        """Closed tickets last changed before ``before`` and not yet anonymised."""

    async def purge_messages(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank the text, names and title of up to ``limit`` old messages; returns how many."""

    async def purge_outbox(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank the text, mentions and action of up to ``limit`` old sent replies; pending ones stay."""

    async def anonymise_tickets(self, before: datetime, now: datetime, limit: int) -> int:
        """Mask phone/ID numbers and drop the address of up to ``limit`` closed tickets."""
