"""周报 / 月报 and the published ranking as the scheduler runs them: once per period, restarts too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from schedules import ranking, reports
from tests.harness import TZ, Bot


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.start(tmp_path)
    await b.say("幸福小区居民群", "张阿姨", "代买 大米一袋 3栋501")  # Sunday 2026-11-22 09:00
    await b.say("@", "李书记", "完成 E1")
    yield b
    await b.close()


async def _run(bot: Bot, job: object, when: datetime) -> tuple[int, list[str]]:
    bot.clock.now = when
    before = len(bot.adapter.sent)
    queued = await job(bot.app.services, when)  # type: ignore[operator]
    await bot.app.outbox.drain("console")
    return queued, [f"{r.chat.chat_id}|{r.text}" for r in bot.adapter.sent[before:]]


async def test_the_weekly_report_covers_last_week_once(bot: Bot) -> None:
    monday = datetime(2026, 11, 23, 8, 30, tzinfo=TZ)
    queued, sent = await _run(bot, reports.WEEKLY.run, monday)
    assert queued == 4 and len(sent) == 4
    mine = next(s for s in sent if s.startswith("@李书记|"))
    assert mine.startswith("@李书记|【工作周报】幸福小区居民群 · 2026-11-16 至 11-22\n")
    assert "新增 1（+1），办结 1（+1）" in mine
    assert (await _run(bot, reports.WEEKLY.run, monday))[0] == 0  # the slot again (a restart)


async def test_the_monthly_report_and_the_published_ranking(bot: Bot) -> None:
    first = datetime(2026, 12, 1, 8, 30, tzinfo=TZ)
    queued, sent = await _run(bot, reports.MONTHLY.run, first)
    assert queued == 4 and any(s.startswith("@区指挥部小王|【工作月报】全部（按街道） · 2026年11月\n") for s in sent)
    queued, sent = await _run(bot, ranking.JOB.run, datetime(2026, 12, 1, 10, 0, tzinfo=TZ))
    assert queued == 3
    groups = {s.split("|")[0]: s for s in sent if not s.startswith("@")}
    assert groups["幸福小区居民群"].startswith("幸福小区居民群|【2026年11月考核排名】本群（幸福小区居民群）第 1 名")
    assert groups["阳光花园居民群"].startswith("阳光花园居民群|【2026年11月考核排名】本群（阳光花园居民群）本月数据不足")
    assert any(s.startswith("@区指挥部小王|【2026年11月考核排名】共 2 个群，1 个有数据。") for s in sent)
    assert (await _run(bot, ranking.JOB.run, datetime(2026, 12, 1, 10, 5, tzinfo=TZ)))[0] == 0
