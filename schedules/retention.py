"""Daily retention run: purge old message texts and anonymise long-closed tickets."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import retention
from bot.store.audit import Actor

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

#: Once a day in the quiet hours (the bot's time zone), as APScheduler ``add_job`` arguments.
TRIGGER: dict[str, Any] = {"trigger": "cron", "hour": 3, "minute": 30}
ACTOR = Actor("scheduler", "retention", "每日定时清理")


async def job(app: App, now: datetime) -> retention.Outcome:
    """Run the ``[privacy]`` retention for ``now``; audited when it changed something."""
    outcome = await retention.purge(app.store, app.config.privacy, now, ACTOR, tz=app.config.tz,
                                    record_empty=False)
    if outcome.messages or outcome.tickets:
        log.info("retention: %d message texts purged, %d closed tickets anonymised",
                 outcome.messages, outcome.tickets)
    return outcome
