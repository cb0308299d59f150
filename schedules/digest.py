"""日报 at ``[digest] times``: each owner hears their groups' report, staff everyone's by township.

A morning run reports yesterday, a later one today so far (:func:`bot.reports.period.scheduled`).
Campaigns closed since the last digest are listed under the reports, each in exactly one.
"""

from __future__ import annotations

from datetime import datetime

from bot import campaign_flow, reports
from bot.config import Config
from bot.message import PRIVATE_PREFIX, Reply
from bot.reports import render
from bot.reports.period import scheduled
from bot.services import Job, Services, Triggers


async def digests(svc: Services, now: datetime) -> list[Reply]:
    """One daily report per owner and per staff member, for this run of the schedule.

    Every figure is counted in SQL over the period's index ranges (two store calls for all
    reports): a district's year of tickets is never read.
    """
    closed = await svc.store.campaigns.undigested()  # since the last digest: job() marks them
    out = []
    for chat, report in await reports.digest_reports(svc, "daily", scheduled("daily", now, svc.config.tz), now):
        staff = svc.directory.is_staff(chat.platform, chat.chat_id.removeprefix(PRIVATE_PREFIX))
        lines = await campaign_flow.digest_lines(svc, closed, None if staff else list(report.scope.groups))
        out.append(Reply(chat, "\n".join([render.text(report, svc.config.tz), *lines])))
    return out


async def job(svc: Services, now: datetime) -> int:
    """Queue this slot's reports; one per slot, even if a restart runs the job again.

    Campaigns closed since the last digest are marked in the same transaction, so each is
    reported in exactly one digest.
    """
    closed = [c.id for c in await svc.store.campaigns.undigested()]
    replies = await digests(svc, now)
    async with svc.store.tx():
        queued = await svc.queue(replies, dedupe_prefix=f"digest:{now:%Y%m%d%H%M}")
        await svc.store.campaigns.mark_digested(closed, now)
    return queued


def _at_digest_times(config: Config) -> Triggers:
    out: dict[str, dict[str, object]] = {}
    for hhmm in config.digest.times:
        hour, minute = hhmm.split(":")
        out[f"digest-{hhmm}"] = {"trigger": "cron", "hour": int(hour), "minute": int(minute)}
    return out


JOB = Job("digest", _at_digest_times, job)
