"""Verdicts on rumour reports: debunk with the official statement, confirm, or answer from the
library (``辟谣 R7 按 L12``); every verdict reaches each reporter's group once and, given in
words of its own, becomes a library entry. ``下发辟谣`` pushes an entry down the hierarchy."""

from __future__ import annotations

import re

from bot import render
from bot import rumors as library
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.lookup import find_managed_ticket, split_code
from bot.message import Button, ChatRef, Mention, Reply
from bot.text import one_line
from bot.tickets import DONE, VERDICT_FALSE, VERDICT_TRUE, Ticket
from handlers import rumor_reports
from handlers.notices import push_entry
from handlers.owner import move
from handlers.resident import private_fallback

router = Router("rumor")

_BY_ENTRY = re.compile(r"^按\s*(?:谣言库\s*)?(\S+)$")


@router.command("辟谣", "/debunk", where="private")
async def debunk(ctx: Ctx) -> Reply | list[Reply]:
    """``辟谣 R7 官方说法``: the claim is false; the group hears the official statement."""
    if split_code(ctx.args)[0] is None:
        # "辟谣 网传…" in private is a report, which belongs in the group.
        return await private_fallback(ctx)
    if ctx.role < Role.OWNER:
        return ctx.reply("「辟谣 编号」是群主给出核实结论用的。听到传言请在小区群里发送「求证 听到的说法」。")
    found = await find_managed_ticket(ctx, "辟谣 R7 官方说法")
    if isinstance(found, Reply):
        return found
    t, statement = found
    if t.kind != "rumor":
        return ctx.reply(f"{t.code} 不是谣言求证工单，请用「完成 {t.code}」。")
    if _BY_ENTRY.match(statement):
        return await _by_entry(ctx, t, statement)
    if not statement:
        return ctx.reply(f"请写上官方说法（会发到群里），例如：辟谣 {t.code} 区指挥部通报：超市正常营业；"
                         f"或按谣言库答复：辟谣 {t.code} 按 L12")
    return await _verdict(ctx, t, "debunk", statement, VERDICT_FALSE, f"已辟谣 {t.code}，群里已发布官方说法。")


@router.command("属实", "/confirm", where="private", role=Role.OWNER)
async def confirm(ctx: Ctx) -> Reply | list[Reply]:
    """``属实 R7 [说明]``: the claim is true."""
    found = await find_managed_ticket(ctx, "属实 R7 [说明]")
    if isinstance(found, Reply):
        return found
    t, note = found
    if t.kind != "rumor":
        return ctx.reply(f"{t.code} 不是谣言求证工单，请用「完成 {t.code}」。")
    if _BY_ENTRY.match(note):
        return await _by_entry(ctx, t, note)
    return await _verdict(ctx, t, "confirm", note, VERDICT_TRUE, f"已确认 {t.code} 属实，群里已告知。")


async def _verdict(ctx: Ctx, t: Ticket, action: str, note: str, verdict: str, headline: str,
                   ) -> list[Reply]:
    """Record an owner's verdict, tell every reporter's group and add it to the library."""
    replies = await move(ctx, t, action=action, to_status=DONE, note=note, headline=headline,
                         fields={"verdict": verdict})
    updated = await ctx.store.tickets.get(t.code)
    if updated is None or updated.status != DONE:  # the move was refused (already closed)
        return replies
    statement = note or "经核实情况属实。"
    entry = library.from_verdict(t.code, t.text, verdict, statement,
                                 f"{t.group_name} {ctx.msg.sender_name}", ctx.now)
    learned = await library.learn(ctx.store, ctx.services.rumors, entry, ctx.now)
    text = render.status_notice(updated, action, note)
    replies += await rumor_reports.tell_other_groups(ctx, updated, text)
    if learned:
        replies.append(ctx.reply(f"已加入谣言库 {entry.id}，以后同样的说法会自动答复。"
                                 f"发送「下发辟谣 {entry.id}」可作为通知下发到下级各群。",
                                 buttons=(Button("下发到下级群", f"下发辟谣 {entry.id}"),)))
    return replies


async def _by_entry(ctx: Ctx, t: Ticket, words: str) -> list[Reply] | Reply:
    """``辟谣 R7 按 L12``: close the ticket with the library entry's verdict and statement."""
    m = _BY_ENTRY.match(words)
    assert m is not None
    entry = await ctx.store.rumors.get(m.group(1).upper()) or await ctx.store.rumors.get(m.group(1))
    if entry is None or entry.retired:
        return ctx.reply(f"谣言库里没有可用的 {m.group(1)}。请写官方说法，例如：辟谣 {t.code} 超市正常营业")
    verdict = rumor_reports.ticket_verdict(entry)
    replies = await move(ctx, t, action="auto" if verdict == VERDICT_FALSE else "confirm", to_status=DONE,
                         note=f"按谣言库 {entry.id}：{entry.data.refutation}", notify=False,
                         headline=f"已按谣言库 {entry.id} 答复 {t.code}，群里已发布。",
                         fields={"verdict": verdict})
    updated = await ctx.store.tickets.get(t.code)
    if updated is None or updated.status != DONE:
        return replies
    text = library.answer_text(entry, code=t.code, about=t.text)
    own = ChatRef(updated.platform, updated.chat_id)
    mention = () if own.is_private else (Mention(updated.requester_id, updated.requester_name),)
    replies.append(Reply(own, text, mention))
    replies += await rumor_reports.tell_other_groups(ctx, updated, text)
    return replies


@router.command("下发辟谣", "/pushrumor", where="private", role=Role.OWNER)
async def push(ctx: Ctx) -> Reply:
    """``下发辟谣 L12 [群名]``: a library entry as a notice to a group and every group below it."""
    entry_id, _, rest = ctx.args.strip().partition(" ")
    if not entry_id:
        return ctx.reply("请写上谣言库编号，例如：下发辟谣 L12（可在后面写从哪个群发：下发辟谣 L12 东城街道工作群）")
    entry = await ctx.store.rumors.get(entry_id) or await ctx.store.rumors.get(entry_id.upper())
    if entry is None or entry.retired:
        return ctx.reply(f"谣言库里没有可用的 {one_line(entry_id, 20)}。")
    return await push_entry(ctx, "下发辟谣", "谣言库", entry.id, rest, library.answer_text(entry))
