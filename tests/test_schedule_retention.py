"""The daily retention job: registered on the scheduler, driven here with ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.message import ChatRef, Incoming
from bot.scheduler import Scheduler, run_job
from schedules import JOBS, retention
from tests.harness import TZ, Bot, FakeAdapter, make_config, open_app
from tests.retention_setup import answered_campaigns, checkins
from tests.store_backends import sqlite_db

VILLAGE = "幸福小区居民群"


async def test_each_daily_run_takes_what_aged_past_the_limit_since_the_last(bot: Bot) -> None:
    await bot.say(VILLAGE, "张阿姨", "代买 大米 3栋 电话13812345678")
    bot.clock.advance(days=1)
    await bot.say(VILLAGE, "王大爷", "代买 面条 5栋")
    bot.clock.advance(days=29, hours=12)  # day 30.5: only the first is past 30 days
    first = await retention.job(bot.app.services, bot.clock())
    assert first.messages == 1
    assert (await retention.job(bot.app.services, bot.clock())).messages == 0  # a rerun the same day
    bot.clock.advance(days=1)  # the next day's run
    assert (await retention.job(bot.app.services, bot.clock())).messages == 1
    bot.clock.advance(days=1)
    assert (await retention.job(bot.app.services, bot.clock())).messages == 0
    # Audited as the scheduler, and only the runs that changed something.
    entries = await bot.app.store.audit.latest()
    assert [(e.actor.platform, e.action) for e in entries] == [("scheduler", "purge")] * 2
    assert "删除消息原文 1 条" in entries[0].detail


async def test_the_daily_run_anonymises_campaign_answers_and_drops_old_checkins_at_a_fixed_now(
        bot: Bot) -> None:
    await answered_campaigns(bot)  # closed on 2026-11-22
    await checkins(bot, (0, 1, 2))  # 2026-11-22, -21, -20
    run_at = datetime(2026, 12, 23, 3, 30, tzinfo=TZ)  # 03:30, 31 days after the closing
    bot.clock.now = run_at
    await checkins(bot, (0, 1))  # today's and yesterday's: kept
    outcome = await retention.job(bot.app.services, run_at)
    assert (outcome.answers, outcome.checkins, outcome.cut.care_day) == (6, 3, "2026-11-23")
    again = await retention.job(bot.app.services, run_at)
    assert (again.answers, again.checkins) == (0, 0)
    [entry] = await bot.app.store.audit.latest()
    assert "隐去接龙回复 6 条" in entry.detail and "删除平安问询记录 3 条（2026-11-23 之前）" in entry.detail
    days = await sqlite_db(bot.app.store).fetchall("SELECT day FROM care_checkins ORDER BY day")
    assert [r["day"] for r in days] == ["2026-12-22", "2026-12-23"]
    rows = await sqlite_db(bot.app.store).fetchall(
        "SELECT voter, name FROM campaign_answers WHERE campaign_id != 4")
    assert {r["name"] for r in rows} == {""} and all(r["voter"].startswith("x:") for r in rows)


async def test_scheduler_runs_it_once_a_day_at_half_past_three(tmp_path: Path) -> None:
    app = await open_app(make_config(tmp_path))  # APScheduler keeps real time, so does the app
    app.attach(FakeAdapter())
    scheduler = Scheduler(app.services, JOBS)
    await scheduler.start()
    try:
        job = scheduler.aps.get_job("retention")
        assert job is not None
        first: datetime = job.trigger.get_next_fire_time(None, datetime.now(app.config.tz))
        second: datetime = job.trigger.get_next_fire_time(first, first + timedelta(seconds=1))
        assert (first.hour, first.minute) == (3, 30) and second - first == timedelta(days=1)
        old = datetime.now(app.config.tz) - timedelta(days=31)
        msg = Incoming(ChatRef("console", VILLAGE), "张阿姨", "张阿姨", "代买 米 电话13812345678",
                       "m1", old, is_group=True)
        row = await app.store.messages.record(msg, old)
        assert row is not None
        await app.store.messages.mark_handled(row, old)
        await run_job(scheduler.key, "retention")  # what APScheduler calls at 03:30
        kept = await sqlite_db(app.store).fetchone("SELECT text, purged_at FROM messages WHERE id = ?", (row,))
        assert kept is not None and kept["text"] == "" and kept["purged_at"] is not None
    finally:
        await scheduler.stop()
        await app.close()
