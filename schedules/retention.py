"""Daily retention run: purge old message texts, anonymise long-closed tickets and old campaign
answers, drop old care check-ins."""

from __future__ import annotations

import logging
from datetime import datetime

from bot import retention
from bot.config import Config
from bot.services import Job, Services, Triggers
from bot.store.audit import Actor

log = logging.getLogger(__name__)

#: Once a day in the quiet hours, in the bot's time zone.
AT = "03:30"
ACTOR = Actor("scheduler", "retention", "每日定时清理")


async def job(svc: Services, now: datetime) -> retention.Outcome:
    """Run the ``[privacy]`` retention for ``now``; audited when it changed something.

    It says nothing to anyone; its audit entry is the record."""
    outcome = await retention.purge(svc.store, svc.config.privacy, now, ACTOR, tz=svc.config.tz,
                                    record_empty=False)
    if outcome.messages or outcome.tickets or outcome.answers or outcome.checkins:
        log.info("retention: %d message texts purged, %d closed tickets and %d campaign answers "
                 "anonymised, %d care check-ins deleted",
                 outcome.messages, outcome.tickets, outcome.answers, outcome.checkins)
    return outcome


def _nightly(_: Config) -> Triggers:
    hour, minute = AT.split(":")
    return {"retention": {"trigger": "cron", "hour": int(hour), "minute": int(minute)}}


JOB = Job("retention", _nightly, job)
