"""Scheduled notices and receipt reminders."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot import notices
from bot.config import Config
from bot.schedule_spec import occurrence, one_off_at
from bot.services import Job, Services, Triggers
from bot.store.notices import Notice, Schedule

log = logging.getLogger(__name__)


async def fire(svc: Services, schedule: Schedule, now: datetime) -> Notice | None:
    """Publish one occurrence of a schedule; at most once per occurrence, however often called."""
    if not schedule.active:
        log.info("schedule %s was cancelled or has finished; not firing", schedule.code)
        return None
    group = svc.directory.group(schedule.group_key)
    if group is None:
        log.error("schedule %s names group %r, which is no longer configured",
                  schedule.code, schedule.group_key)
        return None
    grace = timedelta(minutes=svc.config.notices.grace_minutes)
    when = occurrence(schedule.spec, svc.config.tz, now, grace)
    if when is None:
        log.warning("schedule %s: no occurrence within %s of %s; skipped", schedule.code, grace, now)
        return None
    author = (schedule.author_platform, schedule.author_id, schedule.author_name)
    notice = await notices.publish(svc, group, schedule.text, author, now,
                                   subtree=schedule.subtree,
                                   fire_key=f"{schedule.code}@{when.isoformat()}")
    if notice is None:
        log.info("schedule %s occurrence %s was already published", schedule.code, when)
    if one_off_at(schedule.spec, svc.config.tz) is not None:
        await svc.store.notices.finish_schedule(schedule, now)
    return notice


async def job(svc: Services, now: datetime) -> int:
    """Remind groups that have not confirmed a notice, once, and tell the senders."""
    return await svc.queue(await notices.reminders(svc, now))


def _every_minute(_: Config) -> Triggers:
    return {"notice-reminders": {"trigger": "interval", "minutes": 1}}


JOB = Job("reminders", _every_minute, job)
