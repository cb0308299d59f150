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


def _remind_prefix(t: Ticket, d: sla_rules.Deadline, chat: ChatRef) -> str:
    return f"sla-remind:{t.code}:{d.phase}:{chat}"


def _escalate_prefix(t: Ticket, d: sla_rules.Deadline, levels: int, chat: ChatRef) -> str:
    # The finish phase keeps the key escalations had before [sla]: no repeats across the upgrade.
    phase = "" if d.phase == "finish" else "accept:"
    return f"sla:{t.code}:{phase}{levels}:{chat}"


def _keys(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime) -> list[str]:
    """The outbox keys this ticket's reminder and escalation would be queued under (one reply each)."""
    keys = [f"{_remind_prefix(t, d, chat)}:0" for chat in sla_rules.holder_chats(svc.directory, t)]
    levels = d.levels(now)
    if levels >= 1:
        keys += [f"{_escalate_prefix(t, d, levels, chat)}:0" for chat in escalation_chats(svc, t, levels)[1]]
    return keys


async def remind(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime,
                 told: set[str] | None = None) -> list[Reply]:
    """Remind the ticket's holder once per deadline, shortly before it."""
    chats = [c for c in sla_rules.holder_chats(svc.directory, t)
             if told is None or f"{_remind_prefix(t, d, c)}:0" not in told]
    if not chats:  # the usual case on a later scan: say nothing, build nothing
        return []
    text = f"{sla_rules.reminder_text(svc.config, t, d, now)}\n{render.summary(t)}"
    out = []
    for chat in chats:
        prefix = _remind_prefix(t, d, chat)
        reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
        if await svc.queue([reply], dedupe_prefix=prefix):
            out.append(reply)
    return out


async def escalate(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime,
                   told: set[str] | None = None) -> list[Reply]:
    """Tell the level the ticket has climbed to, once per level, and note it in its history."""
    levels = d.levels(now)
    where, everyone = escalation_chats(svc, t, levels)
    chats = [c for c in everyone if told is None or f"{_escalate_prefix(t, d, levels, c)}:0" not in told]
    if not chats:
        return []
    text = f"{sla_rules.escalation_text(t, d, now)}\n{render.summary(t)}"
    out = []
    for chat in chats:
        prefix = _escalate_prefix(t, d, levels, chat)
        reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
        if await svc.queue([reply], dedupe_prefix=prefix):
            out.append(reply)
    if out:
        await svc.store.tickets.update(t, now=now, actor_id="bot", actor_name=svc.config.name,
                                       action="escalate", note=f"超时升级到{where}")
    return out


async def job(svc: Services, now: datetime) -> list[Reply]:
    """Queue reminders and escalations for unfinished tickets, each once; returns the new ones."""
    out: list[Reply] = []
    due: list[tuple[Ticket, sla_rules.Deadline]] = []
    for t in await svc.store.tickets.list(open_only=True, filed_by=now - sla_rules.earliest_reminder(svc.config)):
        d = sla_rules.deadline(svc.config, t)
        if d is None or now < d.remind_at or sla_rules.held(svc.config, t, now):
            continue
        due.append((t, d))
    # What earlier scans queued already, in one look-up: each scan queues only the new.
    keys = [k for t, d in due for k in _keys(svc, t, d, now)]
    told = set(await svc.store.outbox.queued_keys(keys)) if keys else set()
    for t, d in due:
        out += await remind(svc, t, d, now, told)
        if d.levels(now) >= 1:
            out += await escalate(svc, t, d, now, told)
    return out


def _every_five_minutes(_: Config) -> Triggers:
    return {"sla-escalation": {"trigger": "interval", "minutes": 5}}


JOB = Job("sla", _every_five_minutes, job)
