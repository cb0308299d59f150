"""Scheduled notices and receipt reminders."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot import notices
from bot.message import Reply
from bot.schedule_spec import occurrence, one_off_at
from bot.store.notices import Notice, Schedule

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


async def fire(app: App, schedule: Schedule, now: datetime) -> Notice | None:
    """Publish one occurrence of a schedule; at most once per occurrence, however often called."""
    if not schedule.active:
        log.info("schedule %s was cancelled or has finished; not firing", schedule.code)
        return None
    group = app.directory.group(schedule.group_key)
    if group is None:
        log.error("schedule %s names group %r, which is no longer configured",
                  schedule.code, schedule.group_key)
        return None
    grace = timedelta(minutes=app.config.notices.grace_minutes)
    when = occurrence(schedule.spec, app.config.tz, now, grace)
    if when is None:
        log.warning("schedule %s: no occurrence within %s of %s; skipped", schedule.code, grace, now)
        return None
    author = (schedule.author_platform, schedule.author_id, schedule.author_name)
    notice = await notices.publish(app, group, schedule.text, author, now,
                                   subtree=schedule.subtree,
                                   fire_key=f"{schedule.code}@{when.isoformat()}")
    if notice is None:
        log.info("schedule %s occurrence %s was already published", schedule.code, when)
    if one_off_at(schedule.spec, app.config.tz) is not None:
        await app.store.notices.finish_schedule(schedule, now)
    return notice


async def job(app: App, now: datetime) -> list[Reply]:
    """Remind groups that have not confirmed a notice, once, and tell the senders."""
    return await notices.reminders(app, now)
