"""Rumour reports meet the library: answered at once, suggested to the owner, or joined.

Matching looks at the library's in-memory index and, for joining, at the open rumour tickets
of the last ``[rumors] join_window_minutes`` (at most :data:`JOIN_CANDIDATES`): never at the
ticket history, so a report costs the same after a million tickets.
"""

from __future__ import annotations

from bot import keywords as kw
from bot import rumors as library
from bot.dispatcher import Ctx
from bot.floodgate import said_lately
from bot.message import Button, ChatRef, Mention, Reply
from bot.store.rumors import OpenClaim, RumorEntry, RumorReport
from bot.text import one_line
from bot.tickets import DONE, VERDICT_FALSE, VERDICT_TRUE, Ticket

#: Open rumour tickets a new report is compared with, newest first.
JOIN_CANDIDATES = 200
#: Groups named in the owners' note that a claim has spread to another group.
GROUPS_NAMED = 8
#: Without a keyword, only hearsay or a question is checked against the library.
_HEARSAY = kw.NEWS_WORDS + kw.HEARSAY_WORDS + ("?", "吗", "真的", "谣言")


async def find(ctx: Ctx, text: str) -> library.Found:
    """The library entry ``text`` states, with the configured age limit on auto-answers."""
    return await library.find(ctx.store, ctx.services.rumors, text, ctx.now,
                              ctx.config.rumors.answer_for_days)


async def answer_unworded(ctx: Ctx) -> list[Reply] | Reply | None:
    """"网传明天封城，是真的吗？" without 求证: answered when the library holds the claim."""
    if not any(w in ctx.text for w in _HEARSAY):
        return None
    found = await find(ctx, ctx.text)
    if found.match.action != "answer" or found.entry is None:
        return None  # precision first: ordinary chat gets no reply
    assert ctx.group is not None
    if await said_lately(ctx, ctx.group, f"rumor:{found.entry.id}"):
        return []
    return ctx.reply(library.answer_text(found.entry), mention=True)


async def answer_from_library(ctx: Ctx, ticket: Ticket, entry: RumorEntry) -> list[Reply]:
    """Close a new rumour ticket at once with the library's answer to its claim."""
    closed = await ctx.store.tickets.update(
        ticket, now=ctx.now, actor_id="bot", actor_name=ctx.config.name, action="auto",
        to_status=DONE, note=f"按谣言库 {entry.id}：{entry.data.refutation}", verdict=ticket_verdict(entry))
    mention = (Mention(ctx.msg.sender_id, ctx.msg.sender_name),) if ctx.msg.is_group else ()
    done = "已核实" if entry.data.verdict == "true" else "已辟谣"
    same = f"{done}的 {entry.data.ticket_code}" if entry.data.ticket_code else f"谣言库 {entry.id}"
    info = f"{closed.code} 与{same} 相同，已自动答复：\n{one_line(closed.text, 60)}"
    assert ctx.group is not None
    text = library.answer_text(entry, code=closed.code, about=closed.text)
    return [Reply(ctx.msg.chat, text, mention),
            *(Reply(chat, info) for chat in ctx.directory.owner_chats(ctx.group))]


def ticket_verdict(entry: RumorEntry) -> str:
    """The ticket's verdict for a library entry: a misleading claim is debunked too."""
    return VERDICT_TRUE if entry.data.verdict == "true" else VERDICT_FALSE


def suggestion(ticket: Ticket, found: library.Found) -> tuple[str, tuple[Button, ...]]:
    """For the owner's push: the library's candidate for a new ticket and its one-tap button."""
    if found.match.action == "none" or found.entry is None:
        return "", ()
    d = found.entry.data
    verb = "属实" if d.verdict == "true" else "辟谣"
    line = (f"谣言库里可能是同一说法：{d.id}「{one_line(d.claim, 40)}」（相似度 {found.match.score:.0f}）"
            f"\n官方说法：{one_line(d.refutation, 60)}\n确认是同一说法请点「按 {d.id} 答复」，"
            f"或发送「{verb} {ticket.code} 按 {d.id}」。")
    return line, (Button(f"按 {d.id} 答复", f"{verb} {ticket.code} 按 {d.id}"),)


async def open_claims(ctx: Ctx) -> list[OpenClaim]:
    """The open rumour tickets filed within the join window (none when joining is off)."""
    window = ctx.config.rumors.join_window
    if not window:
        return []
    return await ctx.store.rumors.open_claims(ctx.now - window, JOIN_CANDIDATES)


async def join_open(ctx: Ctx, claim: str, recent: list[OpenClaim]) -> Ticket | None:
    """The open rumour ticket of ``recent`` (:func:`open_claims`) that reports the same claim."""
    if not recent:
        return None
    m = ctx.services.open_claims.match(((c.code, c.text) for c in recent), claim)
    if m.action != "answer" or not m.entry_id:
        return None
    return await ctx.store.tickets.get(m.entry_id)


async def record_report(ctx: Ctx, ticket: Ticket) -> None:
    """Add the sender as one more reporter of ``ticket``."""
    assert ctx.group is not None
    report = RumorReport(ticket.id, ctx.platform, ctx.msg.chat.chat_id, ctx.group.key, ctx.group.name,
                         ctx.msg.sender_id, ctx.msg.sender_name, ctx.now)
    await ctx.store.rumors.add_report(ticket, report)


async def joined_reply(ctx: Ctx, ticket: Ticket) -> list[Reply]:
    """A report joined on ``ticket``: the reporter is told, new groups' owners hear of it."""
    assert ctx.group is not None
    await record_report(ctx, ticket)
    tally = await ctx.store.rumors.tally(ticket, ctx.group.key, GROUPS_NAMED)  # this one among them
    count = tally.reports
    replies = [ctx.reply(f"这个说法已在核实中（{ticket.code}，已有 {count} 人求证），核实后会在群里答复，"
                         "在此之前请不要转发未经证实的消息。", mention=ctx.msg.is_group)]
    if ctx.group.key != ticket.group_key and tally.here == 1:
        more = "等" if tally.groups > len(tally.first_groups) else ""
        text = (f"「{ctx.group.name}」也有人求证 {ticket.code}：{one_line(ticket.text, 40)}\n"
                f"共 {count} 人、{tally.groups} 个群（{'、'.join(tally.first_groups)}{more}）。"
                f"结论由 {ticket.group_name} 的群主给出，给出后各群都会收到。")
        replies += [Reply(chat, text) for chat in ctx.directory.owner_chats(ctx.group)]
    return replies


async def tell_other_groups(ctx: Ctx, ticket: Ticket, text: str) -> list[Reply]:
    """The verdict once in every reporter's group other than the ticket's own, @ its reporters."""
    by_chat: dict[ChatRef, list[Mention]] = {}
    own = ChatRef(ticket.platform, ticket.chat_id)
    for r in await ctx.store.rumors.reports(ticket):
        chat = ChatRef(r.platform, r.chat_id)
        if chat != own and not chat.is_private:
            mentions = by_chat.setdefault(chat, [])
            if all(m.user_id != r.requester_id for m in mentions):
                mentions.append(Mention(r.requester_id, r.requester_name))
    return [Reply(chat, text, tuple(mentions)) for chat, mentions in by_chat.items()]
