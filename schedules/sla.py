"""Time limits: the holder is reminded before a deadline, and an overdue ticket climbs the
hierarchy one level per period up to the top, each level told once (the rules live in
:mod:`bot.sla_rules`). Each ticket's next moment is planned in the store, so a scan reads only
the tickets whose moment has come."""

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


def top_level(svc: Services, t: Ticket) -> int:
    """The level at which escalation reaches the top (the root group's owners, or staff): no
    one is further up, so past it the ticket is not escalated again."""
    levels, node, seen = 0, svc.directory.group(t.group_key), set()
    while node is not None and node.parent and node.key not in seen:  # seen: a bound group's loop
        seen.add(node.key)
        node = svc.directory.group(node.parent)
        levels += node is not None
    return max(levels, 1)


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


async def _say(svc: Services, t: Ticket, prefixes: dict[ChatRef, str], text: str) -> list[Reply]:
    """Queue one text about a ticket to each chat, under its dedupe prefix; the replies new."""
    out = []
    for chat, prefix in prefixes.items():
        reply = Reply(chat, f"{text}\n{render.summary(t)}", buttons=(Button("详情", f"详情 {t.code}"),))
        if await svc.queue([reply], dedupe_prefix=prefix):
            out.append(reply)
    return out


async def remind(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime,
                 told: set[str] | None = None) -> list[Reply]:
    """Remind the ticket's holder once per deadline, shortly before it."""
    prefixes = {c: _remind_prefix(t, d, c) for c in sla_rules.holder_chats(svc.directory, t)}
    prefixes = {c: p for c, p in prefixes.items() if told is None or f"{p}:0" not in told}
    if not prefixes:  # the usual case: say nothing, build nothing
        return []
    return await _say(svc, t, prefixes, sla_rules.reminder_text(svc.config, t, d, now))


async def escalate(svc: Services, t: Ticket, d: sla_rules.Deadline, now: datetime,
                   told: set[str] | None = None) -> tuple[str, list[Reply]]:
    """Tell the level the ticket has climbed to, once per level: where that is and the replies
    new (the caller notes them in the ticket's history)."""
    levels = d.levels(now)
    where, everyone = escalation_chats(svc, t, levels)
    prefixes = {c: _escalate_prefix(t, d, levels, c) for c in everyone}
    prefixes = {c: p for c, p in prefixes.items() if told is None or f"{p}:0" not in told}
    if not prefixes:
        return where, []
    return where, await _say(svc, t, prefixes, sla_rules.escalation_text(t, d, now))


#: Tickets worked out per transaction: a scan that has much to say (the first after an upgrade
#: or an outage) holds the write lock for one page at a time, and its memory stays bounded.
PAGE = 200


async def _tell(svc: Services, tickets: list[Ticket], now: datetime) -> list[Reply]:
    """Queue what these tickets have due and plan each one's next moment."""
    moments: dict[int, datetime | None] = {}
    due: list[tuple[Ticket, sla_rules.Deadline]] = []
    for t in tickets:
        d = sla_rules.deadline(svc.config, t)
        if d is None or now < d.remind_at:  # finished, or (new or changed) not due yet
            moments[t.id] = None if d is None else d.remind_at
        elif sla_rules.held(svc.config, t, now):
            moments[t.id] = sla_rules.quiet_end(svc.config, now)
        else:
            due.append((t, d))
            # Once the top has heard, there is nothing more to say until the ticket changes.
            top = d.levels(now) >= top_level(svc, t)
            moments[t.id] = sla_rules.ENDLESS if top else d.next_after(now)
    due.sort(key=lambda td: (td[0].priority != "urgent", td[0].id))  # urgent first, as 待办
    # What earlier scans queued already (an upgrade, a crash before the plan was written).
    keys = [k for t, d in due for k in _keys(svc, t, d, now)]
    told = set(await svc.store.outbox.queued_keys(keys)) if keys else set()
    out: list[Reply] = []
    notes: list[tuple[Ticket, str]] = []
    for t, d in due:
        out += await remind(svc, t, d, now, told)
        if d.levels(now) >= 1:
            where, escalated = await escalate(svc, t, d, now, told)
            out += escalated
            notes += [(t, f"超时升级到{where}")] if escalated else []
    if notes:  # the page's history lines in one statement, not three round trips each
        await svc.store.tickets.note(notes, now=now, actor_id="bot", actor_name=svc.config.name,
                                     action="escalate")
    await svc.store.sla.plan(moments)
    return out


async def job(svc: Services, now: datetime) -> list[Reply]:
    """Queue reminders and escalations that are due, each once; returns the new ones.

    Reads only the tickets whose planned moment has come (:mod:`bot.store.sla`), not every
    open one: a scan costs what it has to say."""
    await svc.store.sla.replan(sla_rules.rules(svc.config))
    out: list[Reply] = []
    seen: set[int] = set()
    while True:
        # One transaction per page: what is told and each ticket's next moment commit together.
        async with svc.store.tx():
            page = await svc.store.sla.due(now, PAGE)
            fresh = [t for t in page if t.id not in seen]  # planned past now: never read twice
            seen.update(t.id for t in fresh)
            out += await _tell(svc, fresh, now)
        if len(page) < PAGE or not fresh:
            return out


def _every_five_minutes(_: Config) -> Triggers:
    return {"sla-escalation": {"trigger": "interval", "minutes": 5}}


JOB = Job("sla", _every_five_minutes, job)
