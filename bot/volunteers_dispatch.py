"""Posting errands to a team's group, and what a claim tells everyone (shared by handlers and jobs)."""

from __future__ import annotations

from datetime import datetime

from bot import volunteers as vol
from bot.message import ChatRef, Reply
from bot.services import Services
from bot.store.volunteers import Volunteer, Waiting
from bot.tickets import Ticket


async def post(svc: Services, t: Ticket, now: datetime) -> list[Reply]:
    """The card for the team that takes this errand (recorded as posted), or nothing."""
    team = vol.team_for(svc.directory, t)
    if team is None:
        return []
    await svc.store.volunteers.posted(t, team.key, now)
    return [vol.card(svc.directory, team, t)]


async def claimed(svc: Services, t: Ticket, v: Volunteer) -> list[Reply]:
    """After a claim: the volunteer's briefing, the resident's notice, the owners' note."""
    home = await svc.store.households.get(t.household_id) if t.household_id else None
    phone = vol.resident_phone(t, home.phone if home else "")
    team = vol.find_team(svc.config, v.team_key)
    owners = [Reply(chat, f"志愿者 {vol.who(v, team)}接下了 {t.code}（{t.category_label}，{t.requester_name}）。")
              for chat in vol.owner_chats(svc.directory, t)]
    return [Reply(ChatRef.private(v.platform, v.user_id), vol.briefing(t, phone)), vol.on_the_way(t, v.name),
            *owners]


async def escalate(svc: Services, w: Waiting, now: datetime) -> list[Reply]:
    """Post an errand nobody took again and tell its owners, once (False from the store: done)."""
    team = vol.find_team(svc.config, w.team_key)
    if team is None or svc.directory.group(team.group) is None:
        return []
    minutes = team.repost_after_minutes
    replies = [vol.card(svc.directory, team, w.ticket, again=True)]
    replies += [Reply(chat, f"{w.ticket.code}（{w.ticket.category_label}，{w.ticket.requester_name}）发到「{team.name}」"
                            f"{minutes} 分钟还没有志愿者接单，已重新发布。可以「指派 {w.ticket.code} 姓名」或自己「接单 {w.ticket.code}」。")
                for chat in vol.owner_chats(svc.directory, w.ticket)]
    async with svc.store.tx():  # the mark and the queued replies commit together: once, across restarts
        if not await svc.store.volunteers.escalated(w.ticket, now):
            return []
        await svc.queue(replies, dedupe_prefix=f"dispatch:{w.ticket.code}:{w.posted_at.isoformat()}")
    return replies
