"""Duty rosters every minute: make the day's fixed shifts, remind people, report missed check-ins.

Each reminder and each alert is said once across restarts: the duty's ``reminded_at`` /
``alerted_at`` and the outbox dedupe key are written in one transaction, so a second run (or a
restart in the middle) finds it done. A reminder is due from ``remind_before_minutes`` before
the start until the start (a bot that was down then does not remind after the shift began);
a missing check-in is reported from ``late_after_minutes`` after the start until the shift ends.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from bot import rosters
from bot.config import Config
from bot.config.checkpoints import CheckpointConfig
from bot.message import ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.store.rosters import Duty


def _checkpoints(config: Config) -> dict[str, CheckpointConfig]:
    return {cp.key: cp for cp in config.checkpoints}


async def remind(svc: Services, now: datetime) -> int:
    """Remind each known person of their shift once, ahead of it; how many were reminded."""
    cps = _checkpoints(svc.config)
    sent = 0
    ahead = max((cp.remind_before_minutes for cp in svc.config.checkpoints), default=0)
    for duty in await svc.store.rosters.to_remind(now, now + timedelta(minutes=ahead)):
        cp = cps.get(duty.shift.checkpoint)
        if cp is None or duty.shift.start_at - timedelta(minutes=cp.remind_before_minutes) > now:
            continue
        reply = Reply(ChatRef.private(duty.platform, duty.user_id), rosters.reminder_text(cp, duty))
        async with svc.store.tx():  # the mark and the message together: once, across restarts
            if await svc.store.rosters.mark_reminded(duty, now):
                await svc.store.outbox.enqueue(reply, now, f"roster-remind:{duty.id}")
                sent += 1
    if sent:
        svc.wake(svc.config.platforms)
    return sent


def _recipients(svc: Services, cp: CheckpointConfig) -> list[ChatRef]:
    group = svc.directory.group(cp.group)
    if group is None:
        return []
    leads = [ChatRef.private(group.platform, lead) for lead in cp.leads]
    owners = svc.directory.owner_chats(group) or [
        ChatRef.private(group.platform, s) for s in svc.config.staff.get(group.platform, ())]
    return leads + [c for c in owners if c not in leads]


async def alert_missed(svc: Services, now: datetime) -> int:
    """Tell each checkpoint's leads and owners, once per shift, who has not checked in."""
    cps = _checkpoints(svc.config)
    late: dict[int, list[Duty]] = defaultdict(list)
    for duty in await svc.store.rosters.missed(now, now):
        cp = cps.get(duty.shift.checkpoint)
        if cp is not None and duty.shift.start_at + timedelta(minutes=cp.late_after_minutes) <= now:
            late[duty.shift.id].append(duty)
    told = 0
    for shift_id, duties in late.items():
        cp = cps[duties[0].shift.checkpoint]
        text = rosters.missed_text(cp, duties, cp.late_after_minutes)
        async with svc.store.tx():
            if not await svc.store.rosters.mark_alerted(duties, now):
                continue
            first = min(d.id for d in duties)
            for chat in _recipients(svc, cp):
                await svc.store.outbox.enqueue(Reply(chat, text), now, f"roster-missed:{shift_id}:{first}:{chat}")
            told += len(duties)
    if told:
        svc.wake(svc.config.platforms)
    return told


async def job(svc: Services, now: datetime) -> int:
    """Today's and tomorrow's fixed shifts, then the reminders and alerts due by ``now``."""
    if not svc.config.checkpoints:
        return 0
    today = rosters.local_day(now, svc.config.tz)
    await rosters.ensure_days(svc.store, svc.config, (today, today + timedelta(days=1)))
    return await remind(svc, now) + await alert_missed(svc, now)


def _every_minute(config: Config) -> Triggers:
    return {"roster-duty": {"trigger": "interval", "minutes": 1}} if config.checkpoints else {}


JOB = Job("rosters", _every_minute, job)
