"""Time limits: the holder is reminded before a deadline, and an overdue ticket climbs the
hierarchy one level per period, each level told once (the rules live in :mod:`bot.sla_rules`)."""

from __future__ import annotations

from datetime import datetime

from bot import render, sla_rules
from bot.config import Config
from bot.message import Button, ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.tickets import Ticket


def escalation_chats(svc: Services, t: Ticket, levels: int) -> tuple[str, list[ChatRef]]:
    """Who hears about a ticket ``levels`` periods overdue: owners that many levels up, or staff."""
    group = svc.directory.group(t.group_key)
    node = group
    for _ in range(levels):
        parent = svc.directory.group(node.parent) if node is not None and node.parent else None
        if parent is None:
            break
        node = parent
    if node is not None and node is not group and node.owners:
        return node.name, svc.directory.owner_chats(node)
    platform = group.platform if group else t.platform
    return "指挥部", [ChatRef.private(platform, s) for s in svc.config.staff.get(platform, ())]


async def remind(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime) -> list[Reply]:
    """Remind the ticket's holder once per deadline, shortly before it."""
    text = f"{sla_rules.reminder_text(svc.config, t, d, now)}\n{render.summary(t)}"
    out = []
    for chat in sla_rules.holder_chats(svc.directory, t):
        reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
        if await svc.queue([reply], dedupe_prefix=f"sla-remind:{t.code}:{d.phase}:{chat}"):
            out.append(reply)
    return out


async def escalate(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime) -> list[Reply]:
    """Tell the level the ticket has climbed to, once per level, and note it in its history."""
    levels = d.levels(now)
    where, chats = escalation_chats(svc, t, levels)
    text = f"{sla_rules.escalation_text(t, d, now)}\n{render.summary(t)}"
    # The finish phase keeps the key escalations had before [sla]: no repeats across the upgrade.
    phase = "" if d.phase == "finish" else "accept:"
    out = []
    for chat in chats:
        reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
        if await svc.queue([reply], dedupe_prefix=f"sla:{t.code}:{phase}{levels}:{chat}"):
            out.append(reply)
    if out:
        await svc.store.tickets.update(t, now=now, actor_id="bot", actor_name=svc.config.name,
                                       action="escalate", note=f"超时升级到{where}")
    return out


async def job(svc: Services, now: datetime) -> list[Reply]:
    """Queue reminders and escalations for unfinished tickets, each once; returns the new ones."""
    out: list[Reply] = []
    for t in await svc.store.tickets.list(open_only=True):
        d = sla_rules.deadline(svc.config, t)
        if d is None or now < d.remind_at or sla_rules.held(svc.config, t, now):
            continue
        out += await remind(svc, t, d, now)
        if d.levels(now) >= 1:
            out += await escalate(svc, t, d, now)
    return out


def _every_five_minutes(_: Config) -> Triggers:
    return {"sla-escalation": {"trigger": "interval", "minutes": 5}}


JOB = Job("sla", _every_five_minutes, job)
