"""Nightly: forget the dashboard's spent login links and finished sessions (a day after they end)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Config
from bot.services import Job, Services, Triggers

#: Kept a day after they expire or end, so a person asking "was I logged in?" can be answered.
KEEP = timedelta(days=1)


async def job(svc: Services, now: datetime) -> int:
    """Delete links and sessions that ended more than :data:`KEEP` ago; how many rows."""
    return await svc.store.web.purge(now - KEEP)


def _nightly(_: Config) -> Triggers:
    return {"web-cleanup": {"trigger": "cron", "hour": 3, "minute": 40}}


JOB = Job("web_cleanup", _nightly, job)
