"""Errands no volunteer took in time: posted again to the team's group, and the owners told (once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Config
from bot.message import Reply
from bot.services import Job, Services, Triggers
from bot.volunteers_dispatch import escalate


async def job(svc: Services, now: datetime) -> list[Reply]:
    """Repost and escalate every errand past its team's ``repost_after_minutes``; returns the new replies."""
    teams = {t.key: t for t in svc.config.teams}
    if not teams:
        return []
    shortest = min(t.repost_after_minutes for t in teams.values())
    out: list[Reply] = []
    for w in await svc.store.volunteers.waiting(now - timedelta(minutes=shortest)):
        team = teams.get(w.team_key)
        if team is not None and now >= w.posted_at + timedelta(minutes=team.repost_after_minutes):
            out += await escalate(svc, w, now)
    return out


def _every_minute(config: Config) -> Triggers:
    return {"dispatch-escalation": {"trigger": "interval", "minutes": 1}} if config.teams else {}


JOB = Job("dispatch", _every_minute, job)
