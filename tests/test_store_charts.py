"""The charts' aggregates in SQL (``bot/store/sqlite/charts.py``), against hand-made data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.store.charts import DayCount, GroupHandling, GroupReceipts
from tests.chart_setup import busy_week
from tests.harness import START, TZ, Bot
from tests.store_backends import sqlite_db

WEEK = (START - timedelta(days=3), START + timedelta(days=4))


async def test_tickets_per_day_count_local_days_by_kind(bot: Bot) -> None:
    await busy_week(bot)
    repo = bot.app.store.charts
    assert await repo.tickets_per_day(*WEEK, 480, None) == [
        DayCount(date(2026, 11, 22), "errand", 1), DayCount(date(2026, 11, 23), "errand", 1),
        DayCount(date(2026, 11, 23), "verification", 1)]
    assert await repo.tickets_per_day(*WEEK, 480, ["yangguang"]) == [DayCount(date(2026, 11, 23), "errand", 1)]
    assert await repo.tickets_per_day(*WEEK, 480, []) == []
    # 09:00 in Shanghai is 01:00 UTC: with the offset the days are local ones, not UTC's.
    late = START.replace(hour=23, minute=30)
    bot.clock.now = late
    await bot.say("幸福小区居民群", "王大爷", "代买 面粉 4栋")
    days = await repo.tickets_per_day(late - timedelta(hours=1), late + timedelta(hours=1), 480, None)
    assert days == [DayCount(date(2026, 11, 22), "errand", 1)]


async def test_handling_sums_hours_of_tickets_finished_in_the_period(bot: Bot) -> None:
    await busy_week(bot)
    repo = bot.app.store.charts
    assert await repo.handling_by_group(*WEEK, None) == [
        GroupHandling("xingfu", 1, 3.0), GroupHandling("yangguang", 1, 5.0)]
    # Finished before the period: not counted, whenever it was filed.
    assert await repo.handling_by_group(START + timedelta(days=1), WEEK[1], ["xingfu"]) == []


async def test_receipts_count_deliveries_and_confirmations_per_group(bot: Bot) -> None:
    await busy_week(bot)
    repo = bot.app.store.charts
    assert await repo.receipts_by_group(*WEEK, None) == [
        GroupReceipts("dongcheng", 1, 0), GroupReceipts("hexi", 1, 0), GroupReceipts("xingfu", 1, 1),
        GroupReceipts("yangguang", 1, 0)]
    assert await repo.receipts_by_group(*WEEK, ["xingfu"]) == [GroupReceipts("xingfu", 1, 1)]
    assert await repo.receipts_by_group(START + timedelta(days=3), WEEK[1], None) == []


async def test_every_series_reads_an_index_range_not_the_table(bot: Bot) -> None:
    db = sqlite_db(bot.app.store)
    start, end = (datetime(2026, 11, 1, tzinfo=TZ).isoformat(), datetime(2026, 11, 8, tzinfo=TZ).isoformat())
    for sql in ("SELECT date(created_at, '+480 minutes') AS day, kind, COUNT(*) FROM tickets "
                "WHERE created_at >= ? AND created_at < ? GROUP BY day, kind",
                "SELECT group_key, COUNT(*) FROM tickets INDEXED BY tickets_done_at "
                "WHERE status = 'done' AND updated_at >= ? AND updated_at < ? GROUP BY group_key"):
        plan = " ".join(r["detail"] for r in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", (start, end)))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "SCAN tickets" not in plan.replace("SCAN tickets USING", ""), plan
