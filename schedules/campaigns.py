"""Campaign deadlines: remind the groups before, close and report at the deadline, each once.

Every run looks at the open campaigns with a deadline. A reminder or a closing is queued under
an outbox dedupe key in the same transaction that marks it done, so a restart (or two runs in
one minute) never says it twice, and a crash before the commit leaves it to the next run.
"""

from __future__ import annotations

from datetime import datetime

from bot import campaign_flow
from bot.config import Config
from bot.services import Job, Services, Triggers


async def job(svc: Services, now: datetime) -> int:
    """Queue due reminders and closings; returns how many replies were queued."""
    store, queued = svc.store, 0
    for c in await store.campaigns.to_remind(now + svc.config.campaigns.remind_before):
        if c.deadline is not None and c.deadline <= now:
            continue  # past its deadline already: it is closed below, a reminder would be noise
        replies = await campaign_flow.reminder(svc, c)
        async with store.tx():
            queued += await svc.queue(replies, dedupe_prefix=f"campaign:{c.id}:remind")
            await store.campaigns.mark_reminded(c.id, now)
    for c in await store.campaigns.due(now):
        async with store.tx():
            if not await store.campaigns.close(c.id, now):
                continue
            closed = await store.campaigns.get(c.id)
            assert closed is not None
            replies = await campaign_flow.closing(svc, closed)
            queued += await svc.queue(replies, dedupe_prefix=f"campaign:{c.id}:close")
        svc.wake({r.chat.platform for r in replies})  # committed now: the senders find them
    return queued


def _every_minute(_: Config) -> Triggers:
    return {"campaign-deadlines": {"trigger": "interval", "minutes": 1}}


JOB = Job("campaigns", _every_minute, job)
