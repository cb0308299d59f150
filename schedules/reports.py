"""周报 and 月报 at ``[reports] weekly / monthly``: the last whole week or month, once each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot import reports
from bot.config import Config
from bot.reports.period import Kind, scheduled
from bot.schedule_spec import trigger
from bot.services import Job, Services, Triggers


def _run(kind: Kind) -> Callable[[Services, datetime], Awaitable[int]]:
    async def run(svc: Services, now: datetime) -> int:
        """Queue every owner's and staff member's report; a second run of the slot adds none."""
        period = scheduled(kind, now, svc.config.tz)
        replies = await reports.digest_replies(svc, kind, period, now)
        return await svc.queue(replies, dedupe_prefix=f"{kind}:{period.start:%Y%m%d}")

    return run


def _at(kind: Kind) -> Callable[[Config], Triggers]:
    def triggers(config: Config) -> Triggers:
        spec = config.reports.weekly if kind == "weekly" else config.reports.monthly
        return {f"reports-{kind}": {"trigger": trigger(spec, config.tz)}} if spec else {}

    return triggers


WEEKLY = Job("weekly_report", _at("weekly"), _run("weekly"))
MONTHLY = Job("monthly_report", _at("monthly"), _run("monthly"))
