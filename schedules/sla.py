"""Overdue tickets climb the hierarchy: one level up per SLA period, each level told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import render
from bot.config import Config
from bot.kinds import REGISTRY
from bot.message import Button, ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.tickets import OPEN, Ticket


def sla(config: Config, t: Ticket) -> timedelta:
    """How long a ticket may stay open before it is escalated one level."""
    hours = config.digest.sla_hours_urgent if t.priority == "urgent" else config.digest.sla_hours_normal
    return timedelta(hours=hours)


def limits(config: Config) -> dict[tuple[str, str], timedelta]:
    """The limit of every (kind, priority), read through ``sla`` so that it stays the one rule:
    lets a query select only the overdue instead of reading every open ticket."""
    out: dict[tuple[str, str], timedelta] = {}
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    for kind in REGISTRY:
        for priority in ("urgent", "normal"):
            probe = Ticket(0, "", kind.key, "", priority, OPEN, "", "", "", "", "", "", "", "", "",
                           "", "", "", epoch, epoch)
            out[(kind.key, priority)] = sla(config, probe)
    return out


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


async def job(svc: Services, now: datetime) -> list[Reply]:
    """Queue escalations for overdue open tickets, each under a dedupe key; returns the new ones."""
    out: list[Reply] = []
    # Only tickets past the shortest limit, read by the open-ticket index (not the whole year).
    shortest = min(limits(svc.config).values())
    due: list[tuple[Ticket, timedelta, int, str, list[ChatRef]]] = []
    for t in await svc.store.tickets.list(open_only=True, filed_by=now - shortest):
        limit = sla(svc.config, t)
        levels = int((now - t.created_at) / limit)
        if levels >= 1:
            due.append((t, limit, levels, *escalation_chats(svc, t, levels)))
    # Who was told at this level already, in one look-up: each scan queues only the new.
    told_keys = await svc.store.outbox.queued_keys(
        [f"sla:{t.code}:{levels}:{chat}:0" for t, _, levels, _, chats in due for chat in chats])
    for t, limit, levels, where, chats in due:
        hours = (now - t.created_at).total_seconds() / 3600
        text = (f"【超时提醒】{t.code} 已 {hours:.0f} 小时未办结（时限 {limit.total_seconds() / 3600:g} 小时），"
                f"请督办：\n{render.summary(t)}")
        told = 0
        for chat in chats:
            if f"sla:{t.code}:{levels}:{chat}:0" in told_keys:
                continue
            reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
            if await svc.queue([reply], dedupe_prefix=f"sla:{t.code}:{levels}:{chat}"):
                out.append(reply)
                told += 1
        if told:
            await svc.store.tickets.update(t, now=now, actor_id="bot", actor_name=svc.config.name,
                                           action="escalate", note=f"超时升级到{where}")
    return out


def _every_five_minutes(_: Config) -> Triggers:
    return {"sla-escalation": {"trigger": "interval", "minutes": 5}}


JOB = Job("sla", _every_five_minutes, job)
