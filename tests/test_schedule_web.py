"""The nightly clean-up forgets links and sessions a day after they end; live ones stay."""

from __future__ import annotations

from pathlib import Path

from schedules import web
from tests.web_setup import dashboard, link_for, log_in


async def test_nightly_cleanup(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await link_for(bot, "李书记")  # never used
        await log_in(bot, client, "刘主任")
        svc = bot.app.services
        assert await web.job(svc, bot.clock()) == 0
        assert await web.job(svc, bot.clock.advance(days=1, minutes=11)) == 2  # both links, not the session
        assert await web.job(svc, bot.clock.advance(hours=12)) == 1  # the session, a day after it expired
        assert bot.app.scheduler is None and web.JOB.triggers(bot.app.config)["web-cleanup"]["hour"] == 3
