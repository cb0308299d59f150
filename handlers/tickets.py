"""Residents' keyword messages in a group become errand, verification and rumour tickets."""

from __future__ import annotations

from datetime import timedelta

from rapidfuzz import fuzz

from bot import render
from bot.address import normalise_address
from bot.classify import EmptyRequest, classify
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.floodgate import hold_back, said_lately
from bot.kinds import REGISTRY
from bot.message import Button, Reply
from bot.rumor_match import query_key
from bot.rumors import Found
from bot.store.households import Household
from bot.store.rumors import OpenClaim
from bot.text import claim_key
from bot.tickets import CODE_RE, NewTicket, Ticket
from bot.volunteers_dispatch import post as post_to_team
from handlers import rumor_reports

router = Router("tickets")

EXAMPLES = {k.key: k.example for k in REGISTRY}
WHAT_TO_ADD = {k.key: k.what_to_add for k in REGISTRY}
#: A request is the same as an earlier one of the same person at this fuzz.ratio of their keys.
SAME_RUMOR_SCORE = 90
#: The same request sent again this soon is pointed to the ticket it already has.
REPEAT_WINDOW = timedelta(hours=6)
#: The repeat check compares this many of the sender's latest tickets, on this many characters
#: of their claim key: a fixed cost per message however long or many the tickets are.
REPEAT_CANDIDATES = 20
REPEAT_PREFIX = 200


@router.fallback(where="group")
async def new_ticket(ctx: Ctx) -> list[Reply] | Reply | None:
    """Classify a group message; ordinary chat gets no reply at all."""
    if ctx.msg.kind != "text":
        return None
    found = classify(ctx.msg.text)
    if found is None:
        if ctx.group is None or ctx.role >= Role.OWNER or not ctx.group.tickets:
            return None
        return await rumor_reports.answer_unworded(ctx)  # "网传明天封城，是真的吗？"
    if ctx.group is None:
        return ctx.reply("本群还没有在网格助手登记，暂时不能受理。请群主在群里发送「绑定 群名」完成登记。",
                         mention=True)
    code = CODE_RE.match(found.text) if isinstance(found, NewTicket) and found.kind == "rumor" else None
    if ctx.role >= Role.OWNER and code:
        # "辟谣 R1 官方说法" typed in the group: a verdict, which is given in private.
        return ctx.reply(f"管理指令请私聊我发送，例如「辟谣 {code.group(0)} 官方说法」。", mention=True)
    if ctx.role >= Role.OWNER or not ctx.group.tickets:
        # Owners and staff announce ("辟谣：明天不停水"); district and township groups are
        # usually cadres' work groups ("报备：今日新增返乡3人"). Requests come from residents'
        # groups: village groups unless bot.toml sets ``tickets`` for a group.
        return None
    if isinstance(found, EmptyRequest):
        if await said_lately(ctx, ctx.group, f"hint:{found.keyword}"):
            return []  # a stuck key or a flood: the hint was just given
        return ctx.reply(
            f"「{found.keyword}」后面请写上{WHAT_TO_ADD[found.kind]}，例如：{EXAMPLES[found.kind]}",
            mention=True,
        )
    return await file_request(ctx, found)


async def file_request(ctx: Ctx, found: NewTicket, message_row: int | None = None) -> list[Reply] | Reply:
    """File a request for ``ctx.group``; the answer goes where it was sent (group or private)."""
    assert ctx.group is not None
    in_group = ctx.msg.is_group
    # The flood count, the repeat check's candidates, the sender's household and, for a
    # rumour, the library and the open reports: one look at the database for all of them
    # (what a request held back or repeated does not need costs no trip of its own).
    intake = ctx.store.tickets.intake(
        ctx.platform, ctx.msg.sender_id, ctx.group.key, found.kind, ctx.now - ctx.config.limits.window,
        ctx.now - REPEAT_WINDOW, REPEAT_CANDIDATES)
    # The ticket's numbers too, held by this transaction: filing it then costs no look.
    numbers = ctx.store.tickets.reserve(found.kind)
    rumor: Found | None = None
    claims: list[OpenClaim] = []
    if found.kind == "rumor" and query_key(found.text):
        (filed, recent), home, reserved, rumor, claims = await ctx.store.together(
            intake, household_of(ctx, found), numbers, rumor_reports.find(ctx, found.text),
            rumor_reports.open_claims(ctx))
    else:
        (filed, recent), home, reserved = await ctx.store.together(intake, household_of(ctx, found), numbers)
    held = await hold_back(ctx, ctx.group, filed)  # past the per-person limit: one warning, then quiet
    if held is not None:
        return held
    earlier = _same_request(found, recent)
    if earlier is not None and await said_lately(ctx, ctx.group, f"repeat:{earlier.code}"):
        return []  # pointed to it a moment ago
    if earlier is not None:
        return ctx.reply(f"您已登记过 {earlier.code}（{earlier.status_label}），不用重复发送，工作人员正在处理。"
                         f"发送「进度 {earlier.code}」可查看进展。", mention=in_group)
    if found.kind == "rumor" and not query_key(found.text):  # "求证 😀😀😀": nothing to check
        return ctx.reply(f"请写上{WHAT_TO_ADD['rumor']}（文字），例如：{EXAMPLES['rumor']}", mention=in_group)
    if rumor is not None and rumor.match.action != "answer":
        joined = await rumor_reports.join_open(ctx, found.text, claims)  # reported already, still open
        if joined is not None:
            return await rumor_reports.joined_reply(ctx, joined)
    ticket = await ctx.store.tickets.create(found, ctx.group, ctx.msg, message_row, ctx.now,
                                            household_id=home.id if home else None,
                                            grid_key=home.grid_key if home else "", reserved=reserved)
    if rumor is not None and rumor.entry is not None and rumor.match.action == "answer":
        return await rumor_reports.answer_from_library(ctx, ticket, rumor.entry)
    if rumor is not None:
        await rumor_reports.record_report(ctx, ticket)
    # A report names a household or a neighbour: no @ to point the village at its author.
    mention = in_group and not render.confidential(ticket)
    return [ctx.reply(render.ack(ticket, private=not in_group), mention=mention),
            *_owner_pushes(ctx, ticket, rumor), *await post_to_team(ctx.services, ticket, ctx.now)]


def _same_request(new: NewTicket, recent: list[Ticket]) -> Ticket | None:
    """The open ticket (of the sender's ``recent``) filed for the same thing a little earlier."""
    key = fingerprint(new.text)
    return next((t for t in recent if fuzz.ratio(key, fingerprint(t.text)) >= SAME_RUMOR_SCORE), None)


def fingerprint(text: str) -> str:
    """The start of a request's claim key: enough to tell requests apart, cheap to compare."""
    # Normalising only a slice bounds the cost too; hedges and punctuation shrink it, hence 2x.
    return claim_key(text[: REPEAT_PREFIX * 2])[:REPEAT_PREFIX]


async def household_of(ctx: Ctx, found: NewTicket) -> Household | None:
    """The household a request comes from: the sender's own, else the one at its address."""
    assert ctx.group is not None
    address = normalise_address(found.address) if found.address else None
    return await ctx.store.households.of_sender(ctx.platform, ctx.msg.sender_id, ctx.group.key,
                                                address.key if address else None)


def _owner_pushes(ctx: Ctx, t: Ticket, rumor: Found | None = None) -> list[Reply]:
    """The new ticket, with one-tap actions, to whoever handles it first (bot.directory);
    a rumour with the library's likely answer and a button to give it."""
    assert ctx.group is not None
    chats = ctx.directory.new_ticket_chats(ctx.group, t.kind, t.grid_key)
    text = render.new_ticket_push(t)
    buttons: tuple[Button, ...] = render.owner_buttons(t)
    if rumor is not None and rumor.match.action == "suggest":
        line, button = rumor_reports.suggestion(t, rumor)
        text, buttons = f"{text}\n{line}", (*button, *buttons)
    return [Reply(chat, text, buttons=buttons) for chat in chats]
