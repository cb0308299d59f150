"""A ticket filed on numbers reserved in its transaction (``tickets.reserve``) is the ticket its
row reads back as, takes the next numbers, and is never filed under numbers taken meanwhile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from bot.message import ChatRef, Incoming
from bot.store import Store
from bot.tickets import NewTicket

NOW = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))


@dataclass(frozen=True)
class Group:
    key: str = "xingfu"
    name: str = "幸福小区居民群"


def message(n: int) -> Incoming:
    return Incoming(ChatRef("console", "幸福小区居民群"), f"u{n}", f"居民{n}", "代买 大米", f"m{n}", NOW)


ERRAND = NewTicket("errand", "shopping", "urgent", "大米一袋 3栋2单元501", "3栋2单元501")


async def test_a_reserved_ticket_is_the_ticket_its_row_reads_back_as(store: Store) -> None:
    await store.tickets.create(ERRAND, Group(), message(0), None, NOW)  # E1, the usual way
    async with store.tx():
        reserved = await store.tickets.reserve("errand")
        filed = await store.tickets.create(ERRAND, Group(), message(1), None, NOW, household_id=None,
                                           grid_key="g1", reserved=reserved)
        again = await store.tickets.reserve("errand")  # the first is written before this look
    assert (reserved.id, reserved.number, filed.code) == (2, 2, "E2")
    assert (again.id, again.number) == (3, 3)
    assert await store.tickets.get("E2") == filed  # every field, times to the second
    assert [e.action for e in await store.tickets.history(filed)] == ["create"]
    rumor = NewTicket("rumor", "claim", "normal", "明天封城", "")
    async with store.tx():
        first_rumor = await store.tickets.create(rumor, Group(), message(2), None, NOW,
                                                 reserved=await store.tickets.reserve("rumor"))
    assert (first_rumor.code, first_rumor.id) == ("R1", 3)
    assert (await store.tickets.create(ERRAND, Group(), message(3), None, NOW)).code == "E3"


async def test_numbers_are_reserved_only_inside_a_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError, match="outside a transaction"):
        await store.tickets.reserve("errand")


async def test_numbers_taken_meanwhile_roll_the_transaction_back(store: Store) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - the backend's own constraint error
        async with store.tx():
            reserved = await store.tickets.reserve("errand")
            await store.tickets.create(ERRAND, Group(), message(1), None, NOW)  # takes E1 itself
            await store.tickets.create(ERRAND, Group(), message(2), None, NOW, reserved=reserved)
            await store.tickets.get("E1")  # the next statement: the reserved insert fails
    assert await store.tickets.get("E1") is None  # nothing of it was kept
