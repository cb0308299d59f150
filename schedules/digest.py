"""Digests: each owner hears their groups' numbers; staff get the district and a ranking."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot import campaign_flow, sla_rules
from bot.config import Config
from bot.kinds import REGISTRY
from bot.message import ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.tickets import DONE, Ticket


def _numbers(svc: Services, tickets: list[Ticket], now: datetime) -> str:
    open_ = [t for t in tickets if not t.is_final]
    kinds = Counter(t.kind for t in open_)
    overdue = sum(1 for t in open_ if sla_rules.overdue(svc.config, t, now))
    day_start = now.astimezone(svc.config.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    done_today = sum(1 for t in tickets if t.status == DONE and t.updated_at >= day_start)
    by_kind = "，".join(f"{k.label} {kinds[k.key]}" for k in REGISTRY if kinds[k.key]) or "无"
    urgent = sum(1 for t in open_ if t.priority == "urgent")
    return (f"未办结 {len(open_)} 张（{by_kind}），其中紧急 {urgent}、超时 {overdue}；"
            f"今日办结 {done_today} 张")


async def digests(svc: Services, now: datetime) -> list[Reply]:
    """One digest per owner and per staff member, for this run of the schedule."""
    tickets = await svc.store.tickets.list()
    closed = await svc.store.campaigns.undigested()  # since the last digest: job() marks them
    local = now.astimezone(svc.config.tz)
    stamp = f"{local:%m-%d %H:%M}"
    out: list[Reply] = []
    owners: dict[ChatRef, list[str]] = {}
    for group in svc.directory.groups:
        for chat in svc.directory.owner_chats(group):
            owners.setdefault(chat, []).append(group.key)
    for chat, keys in owners.items():
        mine = [t for t in tickets if t.group_key in keys]
        names = "、".join(g.name for g in svc.directory.groups if g.key in keys)
        text = f"【工作日报 {stamp}】{names}：{_numbers(svc, mine, now)}。发送「待办」查看清单。"
        lines = await campaign_flow.digest_lines(svc, closed, keys)
        out.append(Reply(chat, "\n".join([text, *lines])))
    ranking = Counter({g.key: 0 for g in svc.directory.groups if g.tickets})  # groups that take tickets
    for t in tickets:
        if sla_rules.overdue(svc.config, t, now):
            ranking[t.group_key] += 1
    worst = [(svc.directory.group(k), n) for k, n in ranking.most_common(5) if n]
    lines = [f"【全区日报 {stamp}】{_numbers(svc, tickets, now)}。"]
    if worst:
        lines.append("超时最多的群：" + "；".join(f"{g.name} {n} 张" for g, n in worst if g))
    since = now - timedelta(days=1)
    new = sum(1 for t in tickets if t.created_at >= since)
    lines.append(f"近 24 小时新增 {new} 张。导出台账：gridbot tickets export --format xlsx")
    lines += await campaign_flow.digest_lines(svc, closed, None)
    for platform, ids in svc.config.staff.items():
        for staff in ids:
            out.append(Reply(ChatRef.private(platform, staff), "\n".join(lines)))
    return out


async def job(svc: Services, now: datetime) -> int:
    """Queue this slot's digests; one per slot, even if a restart runs the job again.

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
