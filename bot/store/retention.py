"""Retention: purge old inbound texts, anonymise long-closed tickets and campaign answers, drop
old care check-ins, in small batches.

A purged message keeps its dedup key (platform, chat_id, platform_message_id) and handled_at, so
a redelivered old update is still recognised as seen; unhandled messages are never touched.
Each batch is one short transaction, so the running bot's handlers get the write lock between.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.privacy import mask

ADDRESS_GONE = "（地址已隐去）"
#: Shown for an answer whose name and address retention blanked.
NAME_GONE = "（已隐去）"
#: An anonymised campaign answer's voter and user id: ``x:<n>``, n counting within the campaign.
#: Real voters are ``a:``, ``h:`` or ``m:`` keys, which all sort before it.
ANONYMOUS = "x:"


def scrub(text: str, address: str) -> str:
    """A text with the ticket's address taken out and phone and ID numbers masked."""
    if address:
        text = text.replace(address, ADDRESS_GONE)
    return mask(text)


class RetentionRepo(Protocol):
    """Counting and doing the ``[privacy]`` work over messages, tickets, campaign answers and check-ins."""

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

    async def count_answers(self, before: datetime) -> int:
        """Answers to campaigns closed before ``before`` that still say who gave them."""

    async def count_questions(self, before: datetime) -> int:
        """Answered residents' questions (tickets Q<n>) asked before ``before`` that still hold their text."""

    async def purge_questions(self, before: datetime, limit: int) -> int:
        """Blank the text and asker's name of up to ``limit`` such questions."""

    async def count_roster_phones(self, before: datetime) -> int:
        """Phones on checkpoint duties (卡点排班) of shifts that ended before ``before``."""

    async def purge_roster_phones(self, before: datetime, limit: int) -> int:
        """Blank the phone of up to ``limit`` such duties (who stood which shift stays)."""

    async def count_checkins(self, before_day: str) -> int:
        """Care check-ins of local days before ``before_day`` (``YYYY-MM-DD``)."""

    async def anonymise_answers(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank name and address and replace the voter and user id of up to ``limit`` answers to
        campaigns closed before ``before`` by a placeholder unique in the campaign (counts stay)."""

    async def delete_checkins(self, before_day: str, limit: int) -> int:
        """Delete up to ``limit`` care check-ins of local days before ``before_day``."""
