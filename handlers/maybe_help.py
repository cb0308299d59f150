"""Requests without a keyword go to the group's owners as 「可能需要帮助」; one tap files them.

"谁能帮忙去药店买盒布洛芬，8号楼602" is not filed in the group (precision first: a false ticket
answers into a busy group). The owners get the text, the sender and one-tap 「登记为代办」
「登记为核实」「忽略」; the group hears nothing. ``登记 M12 代办`` files the stored message M12
(its ``messages`` row, so it survives a restart) for the resident exactly as if they had written
the keyword: they hear back in the group, @-mentioned. A message is registered at most once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.classify import classify, unworded_request
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.floodgate import recipients, said_lately
from bot.maybe_request import request_kind
from bot.message import Button, Incoming, Reply
from bot.text import normalize, one_line, strip_mentions, strip_quote
from handlers.audit import actor_of
from handlers.tickets import file_request, fingerprint

router = Router("maybe_help")

KIND_WORDS = {"代办": "errand", "代买": "errand", "跑腿": "errand", "求助": "errand",
              "核实": "verification", "报备": "verification", "举报": "verification"}
KIND_NAME = {"errand": "代办", "verification": "核实"}
#: Pushes about one person's messages in one group per flood window ([limits] window_minutes):
#: a stuck phone or a chatty neighbour must not page the owners all day.
PUSHES_PER_WINDOW = 3
_ARGS = re.compile(r"^[Mm]\s?(\d{1,12})\s*(\S*)\s*$")
USAGE = "请写成「登记 M12 代办」或「登记 M12 核实」，不登记请发「忽略 M12」。"


@router.fallback(where="group", priority=5)
async def maybe_help(ctx: Ctx) -> list[Reply] | None:
    """A request without a keyword: to the owners in private; nothing in the group."""
    group = ctx.group
    if ctx.msg.kind != "text" or group is None or ctx.role >= Role.OWNER or not group.tickets:
        return None
    if classify(ctx.msg.text) is not None:
        return None  # a keyword or an emergency: filed as a ticket by handlers/tickets.py
    kind = request_kind(ctx.text)
    if kind is None:
        return None
    if await said_lately(ctx, group, f"maybe:{fingerprint(ctx.text)[:60]}"):
        return []  # the same message again: the owners have it
    for slot in range(1, PUSHES_PER_WINDOW + 1):
        if not await said_lately(ctx, group, f"maybe#{slot}"):
            break
    else:
        return []  # this person's pushes for this window are spent; the messages stay stored
    row = await ctx.store.messages.row_of(ctx.msg)
    if row is None:
        return None
    text = (f"「可能需要帮助」M{row}（{KIND_NAME[kind]}？）\n{group.name}·{ctx.msg.sender_name}\n"
            f"原文：{one_line(ctx.msg.text, 300)}\n"
            "没有关键词，群里未登记也未回复。需要办理请一键登记，居民会在群里收到答复。")
    buttons = (Button("登记为代办", f"登记 M{row} 代办"), Button("登记为核实", f"登记 M{row} 核实"),
               Button("忽略", f"忽略 M{row}"))
    return [Reply(chat, text, buttons=buttons) for chat in recipients(ctx, group)]


@router.command("登记", where="private")
async def register(ctx: Ctx) -> list[Reply] | Reply | None:
    """``登记 M12 代办``: file the stored message M12 for its sender as if it had the keyword."""
    found = _ARGS.match(ctx.args)
    if found is None:
        return None  # not about a message: someone's own words, for the other routers
    row, word = int(found.group(1)), found.group(2)
    lead = await _lead(ctx, row)  # rights first: a resident learns nothing about M12
    if isinstance(lead, Reply):
        return lead
    kind = KIND_WORDS.get(word)
    if kind is None:
        return ctx.reply(f"不知道要登记成什么。{USAGE}")
    msg, group = lead
    resident = replace(
        ctx, msg=msg, text=strip_quote(strip_mentions(normalize(msg.text))), group=group,
        role=ctx.directory.role(msg.chat.platform, msg.sender_id, group), command="", args="")
    filed = await file_request(resident, unworded_request(msg.text, kind), row)
    replies = [filed] if isinstance(filed, Reply) else filed
    code = await ctx.store.messages.ticket_of(row)
    done = (f"已为 {msg.sender_name} 登记 {code}（M{row}），居民已在「{group.name}」收到答复。" if code else
            f"M{row} 没有立单（该居民的重复或过量请求），已在群里告诉 TA。")
    return [ctx.reply(done, edit=ctx.msg.tapped_message_id is not None), *replies]


@router.command("忽略", where="private")
async def ignore(ctx: Ctx) -> Reply | None:
    """``忽略 M12``: the owner saw it; nothing is filed and nothing is said in the group."""
    found = _ARGS.match(ctx.args)
    if found is None or found.group(2):
        return None
    row = int(found.group(1))
    lead = await _lead(ctx, row)
    if isinstance(lead, Reply):
        return lead
    msg, group = lead
    # The other owners of the group can see who set it aside, and when (审计).
    await ctx.store.audit.record(actor_of(ctx), "maybe_ignore", f"M{row}",
                                 f"{group.name} {msg.sender_name}：{one_line(msg.text, 40)}", ctx.now)
    return ctx.reply(f"已忽略 M{row}，群里不会有任何回复。如改变主意，仍可发送「登记 M{row} 代办」。",
                     edit=ctx.msg.tapped_message_id is not None)


async def _lead(ctx: Ctx, row: int) -> tuple[Incoming, GroupConfig] | Reply:
    """The stored group message M<row> this person may register, or the answer why not."""
    msg = await ctx.store.messages.get(row)
    group = ctx.directory.group_for(msg.chat) if msg is not None and msg.is_group else None
    if (msg is None or group is None or not group.tickets
            or not ctx.directory.may_manage(ctx.platform, ctx.msg.sender_id, group.key)):
        return ctx.reply(f"没有找到您可以登记的群消息 M{row}（编号见「可能需要帮助」提醒）。")
    code = await ctx.store.messages.ticket_of(row)
    if code is not None:
        return ctx.reply(f"M{row} 已登记为 {code}，不会重复登记。发送「详情 {code}」查看。")
    return msg, group
