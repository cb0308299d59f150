"""Digests: each owner hears their groups' numbers; staff get the district and a ranking."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot import campaign_flow, sla_rules
from bot.config import Config
from bot.kinds import REGISTRY
from bot.message import ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.store.tickets import OpenCount


def _numbers(counts: list[OpenCount], done_today: int) -> str:
    open_ = sum(c.open for c in counts)
    kinds = Counter[str]()
    for c in counts:
        kinds[c.kind] += c.open
    overdue = sum(c.overdue for c in counts)
    by_kind = "，".join(f"{k.label} {kinds[k.key]}" for k in REGISTRY if kinds[k.key]) or "无"
    urgent = sum(c.open for c in counts if c.priority == "urgent")
    return (f"未办结 {open_} 张（{by_kind}），其中紧急 {urgent}、超时 {overdue}；"
            f"今日办结 {done_today} 张")


async def digests(svc: Services, now: datetime) -> list[Reply]:
    """One digest per owner and per staff member, for this run of the schedule.

    The numbers are counted in SQL over the open tickets and today's closings: a district's
    year of tickets is never read.
    """
    cutoffs = {key: now - limit for key, limit in sla_rules.limits(svc.config).items()}
    counts = await svc.store.tickets.open_counts(cutoffs)
    by_group: dict[str, list[OpenCount]] = {}
    for c in counts:
        by_group.setdefault(c.group_key, []).append(c)
    day_start = now.astimezone(svc.config.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    done = await svc.store.tickets.done_since(day_start)
    closed = await svc.store.campaigns.undigested()  # since the last digest: job() marks them
    local = now.astimezone(svc.config.tz)
    stamp = f"{local:%m-%d %H:%M}"
    out: list[Reply] = []
    owners: dict[ChatRef, list[str]] = {}
    for group in svc.directory.groups:
        for chat in svc.directory.owner_chats(group):
            owners.setdefault(chat, []).append(group.key)
    for chat, keys in owners.items():
        mine = [c for k in dict.fromkeys(keys) for c in by_group.get(k, ())]
        numbers = _numbers(mine, sum(done.get(k, 0) for k in set(keys)))
        names = "、".join(g.name for g in svc.directory.groups if g.key in keys)
        text = f"【工作日报 {stamp}】{names}：{numbers}。发送「待办」查看清单。"
        lines = await campaign_flow.digest_lines(svc, closed, keys)
        out.append(Reply(chat, "\n".join([text, *lines])))
    ranking = Counter({g.key: 0 for g in svc.directory.groups if g.tickets})  # groups that take tickets
    for c in counts:
        ranking[c.group_key] += c.overdue
    worst = [(svc.directory.group(k), n) for k, n in ranking.most_common(5) if n]
    lines = [f"【全区日报 {stamp}】{_numbers(counts, sum(done.values()))}。"]
    if worst:
        lines.append("超时最多的群：" + "；".join(f"{g.name} {n} 张" for g, n in worst if g))
    new = await svc.store.tickets.created_since(now - timedelta(days=1))
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
