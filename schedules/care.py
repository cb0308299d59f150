"""The daily check-in (每日平安问询): ask at ``[care] ask_at``, list who did not answer at ``list_at``.

Both triggers run the same job, which does what is due by ``now``: before ``list_at`` it asks
(each linked member once a day: a check-in row and an outbox dedupe key per person and day,
so a restart or a second run asks nobody twice); from ``list_at`` on it lists the households
nobody answered for, and those with nobody in the group, to grid workers and owners in private.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from bot import care
from bot.config import Config
from bot.config.care import minutes
from bot.message import ChatRef, Reply
from bot.services import Job, Services, Triggers
from bot.store.households import Household, Member


async def _tagged(svc: Services) -> tuple[list[Household], dict[int, list[Member]]]:
    homes = await svc.store.care.tagged(svc.config.care.tags)
    linked: dict[int, list[Member]] = defaultdict(list)
    for m in await svc.store.members.linked([h.id for h in homes]):
        if m.household_id is not None:
            linked[m.household_id].append(m)
    return homes, linked


async def ask(svc: Services, now: datetime) -> int:
    """Ask every linked member of a care household, once per person and day; how many asked."""
    day = care.day_of(now, svc.config.tz)
    homes, linked = await _tagged(svc)
    by_id = {h.id: h for h in homes}
    people: dict[tuple[str, str], list[Household]] = defaultdict(list)
    for home_id, members in linked.items():
        for m in members:
            people[(m.platform, m.user_id)].append(by_id[home_id])
    asked = 0
    for (platform, user_id), theirs in people.items():
        reply = Reply(ChatRef.private(platform, user_id), care.question(theirs))
        async with svc.store.tx():  # the check-ins and the question together: once, across restarts
            for home in theirs:
                await svc.store.care.ask(day, home.id, platform, user_id, now)
            if await svc.store.outbox.enqueue(reply, now, f"care:{day}:{platform}:{user_id}") is not None:
                asked += 1
    svc.wake({platform for platform, _ in people})
    return asked


async def list_missing(svc: Services, now: datetime) -> list[Reply]:
    """Tell grid workers and owners, in private, which care households did not answer today."""
    day = care.day_of(now, svc.config.tz)
    homes, linked = await _tagged(svc)
    ids = [h.id for h in homes]
    answered = await svc.store.care.answered(day, ids)
    asked = await svc.store.care.asked(day, ids)
    lists: dict[ChatRef, dict[str, list[Household]]] = defaultdict(lambda: defaultdict(list))
    for home in homes:
        if home.id in answered:
            continue
        group = svc.directory.group(home.group_key)
        if group is None:
            continue
        chats = svc.directory.grid_worker_chats(home.grid_key) if home.grid_key else []
        owners = svc.directory.owner_chats(group) or [
            ChatRef.private(group.platform, s) for s in svc.config.staff.get(group.platform, ())]
        for chat in chats + [c for c in owners if c not in chats]:
            lists[chat][group.key].append(home)
    out: list[Reply] = []
    for chat, by_group in lists.items():
        for group_key, theirs in by_group.items():
            group = svc.directory.group(group_key)
            assert group is not None
            text = care.missing_list(day, group.name, [h for h in theirs if linked.get(h.id)],
                                     [h for h in theirs if not linked.get(h.id)], asked)
            reply = Reply(chat, text)
            if await svc.queue([reply], dedupe_prefix=f"care-list:{day}:{group_key}:{chat}"):
                out.append(reply)
    return out


async def job(svc: Services, now: datetime) -> int:
    """What is due by ``now`` today: the questions before ``list_at``, the lists from then on."""
    local = now.astimezone(svc.config.tz)
    at = local.hour * 60 + local.minute
    if at >= minutes(svc.config.care.list_at):
        return len(await list_missing(svc, now))
    if at >= minutes(svc.config.care.ask_at):
        return await ask(svc, now)
    return 0


def _cron(hhmm: str) -> dict[str, object]:
    hour, minute = hhmm.split(":")
    return {"trigger": "cron", "hour": int(hour), "minute": int(minute)}


def _at_care_times(config: Config) -> Triggers:
    return {"care-ask": _cron(config.care.ask_at), "care-list": _cron(config.care.list_at)}


JOB = Job("care", _at_care_times, job)
