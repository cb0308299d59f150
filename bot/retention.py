"""Retention (``[privacy]``): what it would remove, counted or done in batches, and audited."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.care import day_of
from bot.config import PrivacyConfig
from bot.store import Store
from bot.store.audit import Actor

#: Rows per transaction: short enough that the running bot's handlers wait only a moment.
BATCH = 500


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """What is older than this goes; None when the setting is 0 (keep forever).

    ``messages`` also applies to answers of campaigns closed before it; ``care_day`` is the
    first local day whose care check-ins stay (from keep_messages_days, never after yesterday)."""

    messages: datetime | None
    tickets: datetime | None
    care_day: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How many messages' texts, sent copies, tickets, campaign answers and care check-ins a run
    purges (or would), and the cut-offs."""

    cut: Cutoffs
    messages: int
    tickets: int
    outbox: int = 0
    answers: int = 0
    checkins: int = 0
    questions: int = 0
    roster_phones: int = 0


def cutoffs(privacy: PrivacyConfig, now: datetime, tz: ZoneInfo) -> Cutoffs:
    """The cut-off times for ``now`` (check-in days are local days in ``tz``)."""
    def before(days: int) -> datetime | None:
        return now - timedelta(days=days) if days else None

    messages = before(privacy.keep_messages_days)
    # Today's and yesterday's check-ins are still being answered and listed: never before those.
    care_day = (min(day_of(messages, tz), day_of(now - timedelta(days=1), tz))
                if messages else None)
    return Cutoffs(messages, before(privacy.anonymise_closed_after_days), care_day)


async def plan(store: Store, privacy: PrivacyConfig, now: datetime, *, tz: ZoneInfo) -> Outcome:
    """Count what a run at ``now`` would change, changing nothing."""
    cut = cutoffs(privacy, now, tz)
    repo = store.retention
    messages = await repo.count_messages(cut.messages) if cut.messages else 0
    tickets = await repo.count_tickets(cut.tickets) if cut.tickets else 0
    outbox = await repo.count_outbox(cut.messages) if cut.messages else 0
    answers = await repo.count_answers(cut.messages) if cut.messages else 0
    checkins = await repo.count_checkins(cut.care_day) if cut.care_day else 0
    questions = await repo.count_questions(cut.messages) if cut.messages else 0
    phones = await repo.count_roster_phones(cut.messages) if cut.messages else 0
    return Outcome(cut, messages, tickets, outbox, answers, checkins, questions, phones)


async def purge(
    store: Store, privacy: PrivacyConfig, now: datetime, actor: Actor, *, tz: ZoneInfo,
    record_empty: bool = True, batch: int = BATCH,
) -> Outcome:
    """Purge and anonymise in batches; one audit entry, kept current in each batch's transaction."""
    cut = cutoffs(privacy, now, tz)
    counts = {"messages": 0, "outbox": 0, "tickets": 0, "answers": 0, "checkins": 0, "questions": 0,
              "roster_phones": 0}
    entry: int | None = None

    async def audit() -> None:
        nonlocal entry
        detail = summary(Outcome(cut, **counts), tz)
        if entry is None:
            entry = await store.audit.record(actor, "purge", "[privacy]", detail, now)
        else:
            await store.audit.amend(entry, detail)

    repo = store.retention
    steps: list[tuple[str, Callable[[], Awaitable[int]]]] = []
    if cut.messages is not None:
        msgs = cut.messages
        steps += [("messages", lambda: repo.purge_messages(msgs, now, batch)),
                  ("outbox", lambda: repo.purge_outbox(msgs, now, batch)),
                  ("answers", lambda: repo.anonymise_answers(msgs, now, batch)),
                  ("questions", lambda: repo.purge_questions(msgs, batch)),
                  ("roster_phones", lambda: repo.purge_roster_phones(msgs, batch))]
    if cut.care_day is not None:
        day = cut.care_day
        steps.append(("checkins", lambda: repo.delete_checkins(day, batch)))
    if cut.tickets is not None:
        tix = cut.tickets
        steps.append(("tickets", lambda: repo.anonymise_tickets(tix, now, batch)))
    for what, step in steps:
        while True:
            async with store.tx():
                changed = await step()
                if changed:
                    counts[what] += changed
                    await audit()  # commits with the rows it counts
            if changed < batch:
                break
            await asyncio.sleep(0)  # let the bot's handlers take the write lock between batches
    if entry is None and record_empty:
        async with store.tx():
            await audit()
    return Outcome(cut, **counts)


def _day(at: datetime, tz: ZoneInfo) -> str:
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M}"


def summary(outcome: Outcome, tz: ZoneInfo) -> str:
    """One short line for the audit log."""
    cut = outcome.cut
    msgs = ("消息原文、接龙回复、平安问询记录、居民提问和值班人员电话永久保留" if cut.messages is None else
            f"删除消息原文 {outcome.messages} 条、发出存档 {outcome.outbox} 条（{_day(cut.messages, tz)} 之前）；"
            f"隐去接龙回复 {outcome.answers} 条的姓名/地址/账号（{_day(cut.messages, tz)} 之前结束的接龙）；"
            f"删除平安问询记录 {outcome.checkins} 条（{cut.care_day} 之前）；"
            f"删除居民提问原文 {outcome.questions} 条（{_day(cut.messages, tz)} 之前）；"
            f"删除值班人员电话 {outcome.roster_phones} 条（{_day(cut.messages, tz)} 之前结束的班次）")
    tix = ("工单永久保留" if cut.tickets is None else
           f"隐去已办结工单 {outcome.tickets} 张的电话/身份证号/地址（{_day(cut.tickets, tz)} 之前办结）")
    return f"{msgs}；{tix}"


def describe(outcome: Outcome, tz: ZoneInfo, *, done: bool) -> str:
    """What a run did (or would do), one line per kind of data, in Chinese."""
    def day(at: datetime) -> str:
        return _day(at, tz)

    cut = outcome.cut
    delete, hide = ("已删除", "已隐去") if done else ("将删除", "将隐去")
    if cut.messages is None:
        msgs = "消息原文：keep_messages_days = 0，永久保留"
        rest = ["接龙回复、平安问询记录、居民提问、值班人员电话：keep_messages_days = 0，永久保留"]
    else:
        msgs = (f"{delete} {outcome.messages} 条消息的原文"
                f"（{day(cut.messages)} 之前收到并已处理的；只留去重所需的消息编号），"
                f"以及 {outcome.outbox} 条机器人已发出消息的存档内容")
        rest = [f"{hide} {outcome.answers} 条接龙/报名/投票回复的姓名、地址和账号"
                f"（{day(cut.messages)} 之前结束的；各选项的统计数不变）",
                f"{delete} {outcome.checkins} 条平安问询记录（{cut.care_day} 之前各天的；今天和昨天的总是保留）",
                f"{delete} {outcome.questions} 条居民提问的原文和提问人（{day(cut.messages)} 之前提的、已答复的；答复保留）",
                f"{delete} {outcome.roster_phones} 条卡点值班人员的电话（{day(cut.messages)} 之前结束的班次；谁值了哪班保留）"]
    if cut.tickets is None:
        tix = "已办结工单：anonymise_closed_after_days = 0，永久保留电话、身份证号和地址"
    else:
        tix = (f"{hide} {outcome.tickets} 张已办结工单的电话、身份证号和地址"
               f"（{day(cut.tickets)} 之前办结的）")
    return "\n".join([msgs, tix, *rest])
