"""Retention (``[privacy]``): what it would remove, counted or done in batches, and audited."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import PrivacyConfig
from bot.store import Store
from bot.store.audit import Actor

#: Rows per transaction: short enough that the running bot's handlers wait only a moment.
BATCH = 500


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """What is older than this goes; None when the setting is 0 (keep forever)."""

    messages: datetime | None
    tickets: datetime | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How many messages' texts, sent copies and tickets a run purges (or would), and the cut-offs."""

    cut: Cutoffs
    messages: int
    tickets: int
    outbox: int = 0


def cutoffs(privacy: PrivacyConfig, now: datetime) -> Cutoffs:
    """The cut-off times for ``now``."""
    def before(days: int) -> datetime | None:
        return now - timedelta(days=days) if days else None

    return Cutoffs(before(privacy.keep_messages_days), before(privacy.anonymise_closed_after_days))


async def plan(store: Store, privacy: PrivacyConfig, now: datetime) -> Outcome:
    """Count what a run at ``now`` would change, changing nothing."""
    cut = cutoffs(privacy, now)
    messages = await store.retention.count_messages(cut.messages) if cut.messages else 0
    tickets = await store.retention.count_tickets(cut.tickets) if cut.tickets else 0
    outbox = await store.retention.count_outbox(cut.messages) if cut.messages else 0
    return Outcome(cut, messages, tickets, outbox)


async def purge(
    store: Store, privacy: PrivacyConfig, now: datetime, actor: Actor, *, tz: ZoneInfo,
    record_empty: bool = True, batch: int = BATCH,
) -> Outcome:
    """Purge and anonymise in batches; one audit entry, kept current in each batch's transaction."""
    cut = cutoffs(privacy, now)
    counts = {"messages": 0, "outbox": 0, "tickets": 0}
    entry: int | None = None

    async def audit() -> None:
        nonlocal entry
        detail = summary(Outcome(cut, **counts), tz)
        if entry is None:
            entry = await store.audit.record(actor, "purge", "[privacy]", detail, now)
        else:
            await store.audit.amend(entry, detail)

    steps = ((cut.messages, "messages", store.retention.purge_messages),
             (cut.messages, "outbox", store.retention.purge_outbox),
             (cut.tickets, "tickets", store.retention.anonymise_tickets))
    for before, what, step in steps:
        while before is not None:
            async with store.tx():
                changed = await step(before, now, batch)
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
    msgs = ("消息原文永久保留" if cut.messages is None else
            f"删除消息原文 {outcome.messages} 条、发出存档 {outcome.outbox} 条（{_day(cut.messages, tz)} 之前）")
    tix = ("工单永久保留" if cut.tickets is None else
           f"隐去已办结工单 {outcome.tickets} 张的电话/身份证号/地址（{_day(cut.tickets, tz)} 之前办结）")
    return f"{msgs}；{tix}"


def describe(outcome: Outcome, tz: ZoneInfo, *, done: bool) -> str:
    """What a run did (or would do), one line per kind of data, in Chinese."""
    def day(at: datetime) -> str:
        return _day(at, tz)

    cut = outcome.cut
    if cut.messages is None:
        msgs = "消息原文：keep_messages_days = 0，永久保留"
    else:
        msgs = (f"{'已删除' if done else '将删除'} {outcome.messages} 条消息的原文"
                f"（{day(cut.messages)} 之前收到并已处理的；只留去重所需的消息编号），"
                f"以及 {outcome.outbox} 条机器人已发出消息的存档内容")
    if cut.tickets is None:
        tix = "已办结工单：anonymise_closed_after_days = 0，永久保留电话、身份证号和地址"
    else:
        tix = (f"{'已隐去' if done else '将隐去'} {outcome.tickets} 张已办结工单的电话、身份证号和地址"
               f"（{day(cut.tickets)} 之前办结的）")
    return f"{msgs}\n{tix}"
