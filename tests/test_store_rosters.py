"""Duty rosters through the ``Store`` protocol: once-only marks, links, swaps, the pick list's query."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.rosters import Shift
from tests.store_backends import sqlite_db

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
DAY = "2026-03-01"


async def _shift(store: Store, hm: str = "08:00", source: str = "config") -> Shift:
    start = START.replace(hour=int(hm[:2]))
    shift, _ = await store.rosters.add_shift("north", DAY, "早班", hm, "16:00", start,
                                             START.replace(hour=16), source)
    return shift


async def test_shifts_and_duties_are_added_once_and_ids_filled_in_later(store: Store) -> None:
    shift = await _shift(store)
    again, new = await store.rosters.add_shift("north", DAY, "早班", "08:00", "16:00", shift.start_at,
                                               shift.end_at, "config")
    assert again == shift and not new
    assert await store.rosters.add_duty(shift, "王小明", "console", "", "")
    assert not await store.rosters.add_duty(shift, "王小明", "console", "", "13800138000")
    [duty] = await store.rosters.on_day(DAY)
    assert (duty.user_id, duty.phone) == ("", "13800138000")
    await store.rosters.link("console", "王小明", "wxm")
    assert (await store.rosters.on_day(DAY))[0].user_id == "wxm"
    later = await _shift(store, "09:00")
    await store.rosters.add_duty(later, "王小明", "console", "", "")  # the link fills it in
    assert [d.user_id for d in await store.rosters.named("console", "王小明", DAY)] == ["wxm", "wxm"]


async def test_reminders_alerts_and_check_ins_happen_once(store: Store) -> None:
    shift = await _shift(store)
    await store.rosters.add_duty(shift, "王小明", "console", "wxm", "")
    await store.rosters.add_duty(shift, "张三", "console", "", "")  # nobody to remind yet
    before = shift.start_at - timedelta(minutes=30)
    [due] = await store.rosters.to_remind(before, shift.start_at)
    assert due.name == "王小明"
    assert await store.rosters.mark_reminded(due, before)
    assert not await store.rosters.mark_reminded(due, before)
    assert await store.rosters.to_remind(before, shift.start_at) == []
    assert await store.rosters.check_in(due, shift.start_at)
    assert not await store.rosters.check_in(due, shift.start_at)
    late = shift.start_at + timedelta(minutes=15)
    [missing] = await store.rosters.missed(late, late)
    assert missing.name == "张三"
    assert await store.rosters.mark_alerted([missing], late) == 1
    assert await store.rosters.mark_alerted([missing], late) == 0
    assert await store.rosters.missed(late, late) == []


async def test_a_swap_is_decided_once_and_hands_the_duty_over(store: Store) -> None:
    shift = await _shift(store)
    await store.rosters.add_duty(shift, "王小明", "console", "wxm", "")
    [duty] = await store.rosters.on_day(DAY)
    first = await store.rosters.ask_swap(duty, "李四", "ls", START)
    second = await store.rosters.ask_swap(duty, "赵六", "zl", START)
    assert (await store.rosters.swap(first.id)) is not None
    assert not await store.rosters.decide_swap(first, True, START)  # the later request voided it
    assert await store.rosters.decide_swap(second, True, START)
    assert not await store.rosters.decide_swap(second, False, START)
    moved = await store.rosters.duty(duty.id)
    assert moved is not None and (moved.name, moved.user_id) == ("赵六", "zl")


async def test_imported_days_replace_fixed_shifts_nobody_checked_in_on(store: Store) -> None:
    fixed = await _shift(store)
    await store.rosters.add_duty(fixed, "王小明", "console", "", "")
    assert await store.rosters.drop_config_shifts("north", DAY) == 1
    assert await store.rosters.on_day(DAY) == []
    await _shift(store, "09:00", "import")
    assert [(s.start_hm, s.source) for s in await store.rosters.shifts(DAY)] == [("09:00", "import")]


async def _plans(store: Store, calls: Callable[[], Awaitable[object]]) -> list[str]:
    """The query plan of each statement ``calls`` runs against the roster or ticket tables."""
    db = sqlite_db(store)
    queries: list[str] = []
    tracing = [True]

    def trace(sql: str) -> None:
        if tracing[0]:
            queries.append(sql)

    await db.conn.set_trace_callback(trace)  # the statements as SQLite runs them
    try:
        await calls()
    finally:
        tracing[0] = False
    return [" ".join(str(r[3]) for r in await db.fetchall("EXPLAIN QUERY PLAN " + q))
            for q in queries if q.lstrip().startswith("SELECT")]


async def test_scans_of_shifts_under_way_read_one_range_of_the_start_index(store: Store) -> None:
    shift = await _shift(store)
    await store.rosters.add_duty(shift, "王小明", "console", "", "")

    async def scans() -> None:
        await store.rosters.missed(shift.start_at, shift.start_at)
        await store.rosters.to_remind(shift.start_at - timedelta(minutes=30), shift.start_at)

    plans = await _plans(store, scans)
    assert len(plans) == 2
    assert all("roster_shifts_start" in p and "SCAN s" not in p for p in plans), plans


async def test_the_pick_list_query_reads_the_open_errands_index(store: Store) -> None:
    [plan] = await _plans(store, lambda: store.rosters.open_errands("xingfu", "groceries", START, START))
    assert "tickets_open_group" in plan, plan
