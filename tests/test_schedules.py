"""Digests and SLA escalation at a fixed ``now``; APScheduler's persistence and misfire rules."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED

from bot.app import App
from bot.scheduler import Scheduler
from schedules import JOBS, digest, sla
from schedules.notices import fire
from tests.harness import Bot, FakeAdapter, make_config, open_app


async def test_overdue_urgent_ticket_climbs_one_level_per_period(bot: Bot) -> None:
    # [sla] (issue 13): an urgent errand must be accepted within 10 minutes (it was 2 hours open).
    await bot.say("幸福小区居民群", "张阿姨", "求助 老人发烧 3栋")  # urgent: accepted within 10 min
    await bot.say("幸福小区居民群", "王大爷", "代买 米 3栋")  # normal: within 2 h
    bot.clock.advance(minutes=4)
    assert await sla.job(bot.app.services, bot.clock()) == []
    bot.clock.advance(minutes=1)
    [remind] = await sla.job(bot.app.services, bot.clock())
    assert remind.chat.chat_id == "@李书记" and "【接单提醒】E1 须在 09:10 前接单" in remind.text
    bot.clock.advance(minutes=5)
    [first] = await sla.job(bot.app.services, bot.clock())
    assert first.chat.chat_id == "@刘主任" and "E1 已 10 分钟未接单（时限 10 分钟）" in first.text
    assert await sla.job(bot.app.services, bot.clock()) == []  # told once per level
    bot.clock.advance(minutes=10)
    [second] = await sla.job(bot.app.services, bot.clock())
    assert second.chat.chat_id == "@区指挥部小王"
    t = await bot.app.store.tickets.get("E1")
    assert t is not None
    assert [e.note for e in await bot.app.store.tickets.history(t) if e.action == "escalate"] == [
        "超时升级到东城街道群", "超时升级到河西区指挥部"]
    await bot.say("@", "李书记", "完成 E1")
    bot.clock.advance(hours=30)
    escalated = await sla.job(bot.app.services, bot.clock())
    assert all("E1" not in r.text for r in escalated) and any("E2" in r.text for r in escalated)


async def test_digest_numbers_for_owners_and_staff(bot: Bot) -> None:
    await bot.say("幸福小区居民群", "张阿姨", "求助 老人发烧 3栋")
    await bot.say("幸福小区居民群", "王大爷", "代买 米 3栋")
    await bot.say("阳光花园居民群", "孙姐", "求证 明天停水")
    await bot.say("@", "李书记", "完成 E2")
    bot.clock.advance(hours=3)  # 12:00: the day so far
    replies = await digest.digests(bot.app.services, bot.clock())
    by_chat = {r.chat.chat_id: r.text for r in replies}
    mine = by_chat["@李书记"]
    assert mine.startswith("【工作日报】幸福小区居民群 · 2026-11-22（截至 12:00）")
    assert "工单：新增 2（+2），办结 1（+1），驳回 0（持平），期末未办结 1（+1）" in mine
    assert "目前超时未办 1 张" in mine and "E1 幸福小区居民群 代办 待处理，经办：未接单，已等 3.0 小时" in mine
    assert "新增分类：谣言求证 1（" in by_chat["@陈网格员"]
    staff = by_chat["@区指挥部小王"]
    assert staff.startswith("【工作日报】全部（按街道）") and "新增 3（+3）" in staff
    assert "分群：" not in staff  # one township: its line would repeat the total


async def test_digest_counts_today_and_the_last_24_hours_over_two_days(bot: Bot) -> None:
    # Day 1, 09:00: three requests, one finished at once.
    await bot.say("幸福小区居民群", "张阿姨", "求助 老人发烧 3栋")  # E1 urgent
    await bot.say("幸福小区居民群", "王大爷", "代买 米 3栋")  # E2
    await bot.say("幸福小区居民群", "赵奶奶", "代买 菜 5栋")  # E3
    await bot.say("@", "李书记", "完成 E3")
    bot.clock.advance(hours=25)  # day 2, 10:00
    await bot.say("阳光花园居民群", "孙姐", "求证 明天停水")  # R1
    await bot.say("幸福小区居民群", "钱叔", "代买 药 7栋")  # E4
    await bot.say("@", "李书记", "完成 E2")
    bot.clock.advance(hours=1)  # 11:00: the morning report is about yesterday
    by_chat = {r.chat.chat_id: r.text for r in await digest.digests(bot.app.services, bot.clock())}
    mine = by_chat["@李书记"]
    assert mine.startswith("【工作日报】幸福小区居民群 · 2026-11-22\n")
    # E1 and E2 were still open at midnight; only E1 (26 h against 2 h) is overdue now.
    assert "新增 3（+3），办结 1（+1），驳回 0（持平），期末未办结 2（+2）" in mine
    assert "目前超时未办 1 张" in mine and "E1 " in mine and "E4" not in mine
    assert "本期没有新工单" in by_chat["@陈网格员"]  # 阳光花园 had nothing yesterday
    bot.clock.advance(hours=7)  # 18:00: today so far, against yesterday until 18:00
    by_chat = {r.chat.chat_id: r.text for r in await digest.digests(bot.app.services, bot.clock())}
    staff = by_chat["@区指挥部小王"]
    assert "2026-11-23（截至 18:00）" in staff and "（括号内为较前一日同期）" in staff
    assert "新增 2（-1），办结 1（持平）" in staff


async def _start(tmp_path: Path, minutes_ago: int) -> tuple[App, Scheduler, asyncio.Event, asyncio.Event]:
    """A bot on real time whose one-off notice was due ``minutes_ago`` while it was down."""
    app = await open_app(make_config(tmp_path))  # APScheduler runs on real time, so must the app
    app.attach(FakeAdapter())
    when = (datetime.now(app.config.tz) - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M")
    await app.store.notices.add_schedule("xingfu", False, when, "领菜", ("console", "李书记", "李书记"),
                                         app.now())
    scheduler = Scheduler(app.services, JOBS)
    executed, missed = asyncio.Event(), asyncio.Event()
    scheduler.aps.add_listener(lambda e: executed.set() if e.job_id == "S1" else None, EVENT_JOB_EXECUTED)
    scheduler.aps.add_listener(lambda e: missed.set() if e.job_id == "S1" else None, EVENT_JOB_MISSED)
    return app, scheduler, executed, missed


async def test_missed_notice_within_grace_is_sent_once_on_start(tmp_path: Path) -> None:
    app, scheduler, executed, _ = await _start(tmp_path, minutes_ago=5)
    await scheduler.start()
    await asyncio.wait_for(executed.wait(), 10)
    await scheduler.stop()
    [notice] = await app.store.notices.recent()
    assert notice.text == "领菜"
    schedule = await app.store.notices.schedule("S1")
    assert schedule is not None
    assert await fire(app.services, schedule, app.now()) is None  # the same occurrence never twice
    # A second start finds nothing left to run in the persisted job store.
    again = Scheduler(app.services, JOBS)
    await again.start()
    assert again.next_run("S1") is None
    await again.stop()
    assert len(await app.store.notices.recent()) == 1
    await app.close()


async def test_notice_missed_beyond_grace_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app, scheduler, executed, _ = await _start(tmp_path, minutes_ago=120)  # grace: 60 min
    await scheduler.start()
    assert scheduler.next_run("S1") is None  # never armed, so it cannot fire late
    await scheduler.stop()
    assert not executed.is_set()
    assert await app.store.notices.recent() == []
    assert "beyond the 60-minute grace period; skipped" in caplog.text
    schedule = await app.store.notices.schedule("S1")
    assert schedule is not None and schedule.finished
    assert await app.store.notices.schedules() == []  # no longer listed as pending
    await app.close()


async def test_recurring_schedule_is_persisted_in_the_same_database(tmp_path: Path) -> None:
    app = await open_app(make_config(tmp_path))
    app.attach(FakeAdapter())
    await app.store.notices.add_schedule("xingfu", True, "每天 08:00", "领菜", ("console", "a", "a"),
                                         app.now())
    scheduler = Scheduler(app.services, JOBS)
    await scheduler.start()
    first = scheduler.next_run("S1")
    await scheduler.stop()
    con = sqlite3.connect(tmp_path / "gridbot.db")
    ids = {r[0] for r in con.execute("SELECT id FROM apscheduler_jobs")}
    assert {"S1", "notice-reminders", "sla-escalation", "digest-08:00", "digest-18:00"} <= ids
    restarted = Scheduler(app.services, JOBS)
    await restarted.start()
    assert first is not None and restarted.next_run("S1") == first and first.hour == 8
    await restarted.stop()
    await app.close()
