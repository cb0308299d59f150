"""Overdue tickets climb the hierarchy: one level up per SLA period, each level told once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot import render
from bot.message import Button, ChatRef, Reply
from bot.tickets import Ticket

if TYPE_CHECKING:
    from bot.app import App


def sla(app: App, t: Ticket) -> timedelta:
    """How long a ticket may stay open before it is escalated one level."""
    hours = app.config.digest.sla_hours_urgent if t.priority == "urgent" else app.config.digest.sla_hours_normal
    return timedelta(hours=hours)


def escalation_chats(app: App, t: Ticket, levels: int) -> tuple[str, list[ChatRef]]:
    """Who hears about a ticket ``levels`` periods overdue: owners that many levels up, or staff."""
    group = app.directory.group(t.group_key)
    node = group
    for _ in range(levels):
        parent = app.directory.group(node.parent) if node is not None and node.parent else None
        if parent is None:
            break
        node = parent
    if node is not None and node is not group and node.owners:
        return node.name, app.directory.owner_chats(node)
    platform = group.platform if group else t.platform
    return "指挥部", [ChatRef.private(platform, s) for s in app.config.staff.get(platform, ())]


async def job(app: App, now: datetime) -> list[Reply]:
    """Queue escalations for overdue open tickets; returns the new ones."""
    out: list[Reply] = []
    for t in await app.store.tickets.list(open_only=True):
        limit = sla(app, t)
        levels = int((now - t.created_at) / limit)
        if levels < 1:
            continue
        where, chats = escalation_chats(app, t, levels)
        hours = (now - t.created_at).total_seconds() / 3600
        text = (f"【超时提醒】{t.code} 已 {hours:.0f} 小时未办结（时限 {limit.total_seconds() / 3600:g} 小时），"
                f"请督办：\n{render.summary(t)}")
        told = 0
        for chat in chats:
            reply = Reply(chat, text, buttons=(Button("详情", f"详情 {t.code}"),))
            if await app.queue([reply], dedupe_prefix=f"sla:{t.code}:{levels}:{chat}"):
                out.append(reply)
                told += 1
        if told:
            await app.store.tickets.update(t, now=now, actor_id="bot", actor_name=app.config.name,
                                           action="escalate", note=f"超时升级到{where}")
    return out
