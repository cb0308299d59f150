"""考核排名 at ``[ranking] publish``: last month's ranking to every ranked group and to staff."""

from __future__ import annotations

from datetime import datetime

from bot.config import Config
from bot.message import ChatRef, Reply
from bot.reports.period import last_complete
from bot.reports.ranking import ranking
from bot.reports.ranking_text import group_replies, staff_text
from bot.schedule_spec import trigger
from bot.services import Job, Services, Triggers


async def publish(svc: Services, now: datetime) -> int:
    """Queue each group's place and the staff's full list, once per month across restarts."""
    r = await ranking(svc.store, svc.config, svc.directory, last_complete("monthly", now, svc.config.tz), now)
    text = staff_text(r, svc.config)
    replies = group_replies(r, svc.config) + [
        Reply(ChatRef.private(platform, user), text)
        for platform, ids in svc.config.staff.items() for user in ids]
    return await svc.queue(replies, dedupe_prefix=f"ranking:{r.period.start:%Y-%m}")


def _triggers(config: Config) -> Triggers:
    spec = config.ranking.publish
    return {"ranking-publish": {"trigger": trigger(spec, config.tz)}} if spec else {}


JOB = Job("ranking", _triggers, publish)
