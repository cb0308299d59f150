"""A resident's answer to a campaign in a group: read loosely, counted once per voter, not echoed.

The path is lean because a roll-call brings hundreds of answers in minutes: the group's live
campaigns come from memory, then one indexed household lookup and one upsert. Nothing is said
in the group for an answer taken as it is; a progress line goes out at most once per interval.
A message that is not an answer returns None and goes on to the other fallbacks (a request
such as ``代买 大米 3-2-501`` still becomes a ticket).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from bot import campaign_text
from bot.campaigns import LABEL, LATE_WINDOW, Reading, leftover, match_option, read
from bot.classify import classify
from bot.directory import Role
from bot.dispatcher import Ctx, Result
from bot.floodgate import said_lately
from bot.message import Reply
from bot.store.campaigns import Campaign, NewAnswer

#: An owner typing a campaign into the group instead of in private: 接龙/报名/投票 with its flags.
_STARTED_IN_GROUP = re.compile(r"^(?:接龙|报名|投票)\s.*(?:选项|截止|名额)")
#: What else an answer may say and still be "clearly meant" for a campaign (then a hint helps).
SHORT = 4


@dataclass(frozen=True)
class Fit:
    """How a message fits one campaign."""

    campaign: Campaign
    option: str | None
    #: The option was named (not taken as the campaign's only option).
    explicit: bool
    #: Named as written or by number, not loosely ("做了" for 已做).
    exact: bool
    #: What else the message says, fillers removed.
    bare: str


def fit(c: Campaign, reading: Reading) -> Fit:
    """The option a message names for campaign ``c`` and what is left over."""
    found = match_option(reading.rest, c.options)
    if found is not None:
        return Fit(c, found[0], True, found[2], leftover(found[1]))
    only = c.options[0] if len(c.options) == 1 and c.kind != "vote" else None
    return Fit(c, only, False, False, leftover(reading.rest))


def pick(reading: Reading, live: list[Campaign], now: datetime) -> Fit | str | None:
    """The campaign a message answers, a hint when it cannot tell, or None."""
    if reading.code is not None:
        named = next((c for c in live if c.id == reading.code), None)
        return fit(named, reading) if named else f"本群没有 C{reading.code}，请检查编号。"
    fits = [fit(c, reading) for c in live]
    running = [f for f in fits if f.campaign.is_open(now)] or fits
    explicit = [f for f in running if f.explicit]
    if len(explicit) == 1 or len(running) == 1:
        return explicit[0] if explicit else running[0]
    if reading.address is None and not explicit:
        return None
    codes = "、".join(f.campaign.code for f in running[:5])
    return f"本群有 {len(running)} 个接龙在进行（{codes}），请在前面写上编号，例如「{running[0].campaign.code} 3-2-501 …」。"


async def answer(ctx: Ctx) -> Result:
    """Take an answer to a campaign of ``ctx.group``; None when the message is something else."""
    group = ctx.group
    if group is None or ctx.msg.kind != "text":
        return None
    if ctx.role >= Role.OWNER and _STARTED_IN_GROUP.match(ctx.text):
        return ctx.reply(f"发起{ctx.text[:2]}请私聊我发送，例如「{ctx.text[:40]}」，我会发到群里。", mention=True)
    live = await ctx.store.campaigns.live(group.key, ctx.now - LATE_WINDOW)
    if not live:
        return None
    reading = read(ctx.text)
    picked = pick(reading, live, ctx.now)
    if picked is None:
        return None
    if isinstance(picked, str):
        return await _hint(ctx, "several", picked)
    c, option = picked.campaign, picked.option
    vote = c.kind == "vote"
    who_given = reading.address is not None or picked.explicit
    complete = option is not None and picked.bare == "" and who_given
    if not complete:
        hinted = reading.address is not None or picked.exact
        meant = reading.code is not None or (hinted and len(picked.bare) <= SHORT)
        if not meant or classify(ctx.msg.text) is not None:
            return None  # chat, or a request for the ticket fallback
        return await _hint(ctx, c.code, _what_to_add(c, picked, reading))
    assert option is not None
    if not c.is_open(ctx.now):
        end = c.closed_at or c.deadline or ctx.now
        return await _hint(ctx, f"late:{c.code}", f"{campaign_text.heading(c)} 已于 "
                           f"{campaign_text.when(end, ctx.config.tz)} 截止，这条回复没有计入。如需补报请联系群主。")
    return await _save(ctx, c, option, reading, vote)


def _what_to_add(c: Campaign, f: Fit, reading: Reading) -> str:
    options = "／".join(c.options)
    where = reading.address.display if reading.address else "3-2-501"
    if c.kind == "vote":
        return f"{campaign_text.heading(c)}：请回复一个选项（{options}），例如「{c.code} {c.options[0]}」。"
    if f.option is None:
        return f"{campaign_text.heading(c)}：请写上选项（{options}），例如「{where} {c.options[0]}」。"
    return (f"{campaign_text.heading(c)}：请写上门牌号，例如「3-2-501 {f.option}」"
            "（没认出门牌号时请写成 3-2-501 或 3栋2单元501 的样子）。")


async def _hint(ctx: Ctx, topic: str, text: str) -> Result:
    """One short hint to the author; the same hint again within the window is not repeated."""
    assert ctx.group is not None
    if await said_lately(ctx, ctx.group, f"campaign:{topic}"):
        return []
    return ctx.reply(text, mention=True)


async def _voter(ctx: Ctx, c: Campaign, reading: Reading) -> tuple[str, int | None, str] | tuple[str, str]:
    """(voter key, household id, address shown) for an answer, or (topic, hint) why it cannot count."""
    assert ctx.group is not None
    store, key = ctx.store, ctx.group.key
    if reading.address is not None and c.kind != "vote":
        found = await store.households.find(key, reading.address.key)
        if found is not None:
            return f"h:{found.id}", found.id, found.address
        if await store.households.count([key]):
            return "unknown", (f"门牌号 {reading.address.display} 不在本群的住户名单里，这条没有计入{LABEL[c.kind]}。"
                    "请核对门牌号；新住户请联系群主登记。")
        return f"a:{reading.address.key}", None, reading.address.display  # a group with no register
    member = await store.members.find(ctx.platform, ctx.msg.sender_id, key)
    if member is None or member.status != "approved" or member.household_id is None:
        if c.kind == "vote":
            return "unlinked", "投票需要先实名登记：发送「实名 姓名 门牌号」，群主通过后再投票。"
        return "unlinked", f"{campaign_text.heading(c)}：请写上门牌号，例如「3-2-501 {c.options[0]}」（实名登记后可以只回复选项）。"
    if c.kind == "vote":
        return f"m:{ctx.platform}:{ctx.msg.sender_id}", member.household_id, ""
    return f"h:{member.household_id}", member.household_id, ""


async def _save(ctx: Ctx, c: Campaign, option: str, reading: Reading, vote: bool) -> Result:
    assert ctx.group is not None
    store = ctx.store
    people = 1 if vote else reading.people or 1
    base = NewAnswer(c.id, ctx.group.key, "", None, "", option, people, ctx.platform,
                     ctx.msg.sender_id, ctx.msg.sender_name)
    out: list[Reply] = []
    saved = None
    if c.kind == "rollcall":  # the common case, in one statement
        done = await (store.campaigns.answer_at(base, reading.address.key, ctx.now) if reading.address
                      else store.campaigns.answer_as_member(base, ctx.now))
        saved = done[0] if done else None
    if saved is None:
        voter = await _voter(ctx, c, reading)
        if len(voter) == 2:
            return await _hint(ctx, f"{voter[0]}:{c.code}", voter[1])
        key, household_id, address = voter
        if c.kind == "signup" and c.capacity:
            taken = await store.campaigns.people(c.id, except_voter=key)
            if taken + people > c.capacity:
                left = c.capacity - taken
                return ctx.reply(f"{campaign_text.heading(c)} 名额已满（{c.capacity} 人），没有报上。" if left <= 0 else
                                 f"{campaign_text.heading(c)} 只剩 {left} 个名额，您报了 {people} 人，请改少后再报。",
                                 mention=True)
            if taken + people == c.capacity:
                out.append(Reply(ctx.msg.chat, f"{campaign_text.heading(c)} 名额已满（{c.capacity} 人），感谢大家！"))
        saved = await store.campaigns.answer(
            replace(base, voter=key, household_id=household_id, address=address), ctx.now)
    if saved.answers > 1:
        out.insert(0, ctx.reply(_again(c, option, saved.previous, reading), mention=True))
    last = store.campaigns.progress_at(c.id, ctx.group.key) or c.created_at
    if ctx.now - last >= ctx.config.campaigns.progress_interval:
        tally = await store.campaigns.tally(c.id, [ctx.group.key])
        out.append(Reply(ctx.msg.chat, campaign_text.progress(c, tally)))
        await store.campaigns.mark_progress(c.id, ctx.group.key, ctx.now)
    return out


def _again(c: Campaign, option: str, previous: str, reading: Reading) -> str:
    """A second answer: said once, briefly; a secret vote does not repeat the choice."""
    if c.kind == "vote":
        if previous == option:
            return "您已经投过票了，不用重复发送。"
        shown = "" if c.secret else f"为「{option}」"
        return f"您的投票已改{shown}（每人一票，以最后一次为准）。"
    # Only an address the author wrote: a linked member's "已做" must not reveal theirs.
    who = reading.address.display if reading.address else "您家"
    if previous == option:
        return f"{who} 已经{LABEL[c.kind]}过了（{option}），不用重复发送。"
    return f"{who} 已改为「{option}」（每户以最后一次为准）。"
