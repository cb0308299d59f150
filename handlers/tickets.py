"""Residents' keyword messages in a group become errand, verification and rumour tickets."""

from __future__ import annotations

import re
from datetime import timedelta

from rapidfuzz import fuzz

from bot import render
from bot.address import normalise_address
from bot.classify import EmptyRequest, classify
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.floodgate import hold_back, said_lately
from bot.kinds import REGISTRY
from bot.message import Mention, Reply
from bot.store.households import Household
from bot.text import claim_key
from bot.tickets import CODE_RE, DONE, VERDICT_FALSE, NewTicket, Ticket

router = Router("tickets")

EXAMPLES = {k.key: k.example for k in REGISTRY}
WHAT_TO_ADD = {k.key: k.what_to_add for k in REGISTRY}
# A new rumour report gets an earlier verdict at once only when it states the same claim:
# nearly the same characters, and the same negation, numbers and day. "明天超市不关门" is not
# "明天超市关门", nor is "明天全区停电" "明天全区停水"; anything less sure waits for a person.
SAME_RUMOR_SCORE = 90
NEGATIONS = re.compile(r"[不没未无别非]")
DAYS = ("今天", "明天", "后天", "大后天", "今晚", "明晚", "昨天", "本周", "下周", "周末")
#: Verdicts older than this are not repeated automatically: the situation may have changed.
RUMOR_MEMORY = timedelta(days=14)
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
        return None
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
    held = await hold_back(ctx, ctx.group)  # past the per-person limit: one warning, then quiet
    if held is not None:
        return held
    earlier = await _same_request(ctx, found)
    if earlier is not None and await said_lately(ctx, ctx.group, f"repeat:{earlier.code}"):
        return []  # pointed to it a moment ago
    if earlier is not None:
        return ctx.reply(f"您已登记过 {earlier.code}（{earlier.status_label}），不用重复发送，工作人员正在处理。"
                         f"发送「进度 {earlier.code}」可查看进展。", mention=in_group)
    home = await household_of(ctx, found)
    ticket = await ctx.store.tickets.create(found, ctx.group, ctx.msg, message_row, ctx.now,
                                            household_id=home.id if home else None,
                                            grid_key=home.grid_key if home else "")
    if ticket.kind == "rumor":
        answered = await _answer_known_rumor(ctx, ticket)
        if answered is not None:
            return answered
    # A report names a household or a neighbour: no @ to point the village at its author.
    mention = in_group and not render.confidential(ticket)
    return [ctx.reply(render.ack(ticket, private=not in_group), mention=mention),
            *_owner_pushes(ctx, ticket)]


async def _same_request(ctx: Ctx, new: NewTicket) -> Ticket | None:
    """The open ticket this resident filed for the same thing a little earlier, if any."""
    assert ctx.group is not None
    key = fingerprint(new.text)
    recent = await ctx.store.tickets.recent_open(
        ctx.platform, ctx.msg.sender_id, ctx.group.key, new.kind, ctx.now - REPEAT_WINDOW,
        REPEAT_CANDIDATES)
    return next((t for t in recent if fuzz.ratio(key, fingerprint(t.text)) >= SAME_RUMOR_SCORE), None)


def fingerprint(text: str) -> str:
    """The start of a request's claim key: enough to tell requests apart, cheap to compare."""
    # Normalising only a slice bounds the cost too; hedges and punctuation shrink it, hence 2x.
    return claim_key(text[: REPEAT_PREFIX * 2])[:REPEAT_PREFIX]


async def household_of(ctx: Ctx, found: NewTicket) -> Household | None:
    """The household a request comes from: the sender's own, else the one at its address."""
    assert ctx.group is not None
    member = await ctx.store.members.find(ctx.platform, ctx.msg.sender_id, ctx.group.key)
    if member is not None and member.household_id is not None:
        return await ctx.store.households.get(member.household_id)
    address = normalise_address(found.address) if found.address else None
    return await ctx.store.households.find(ctx.group.key, address.key) if address else None


def _owner_pushes(ctx: Ctx, t: Ticket) -> list[Reply]:
    """The new ticket, with one-tap actions, to whoever handles it first (bot.directory)."""
    assert ctx.group is not None
    chats = ctx.directory.new_ticket_chats(ctx.group, t.kind, t.grid_key)
    text = render.new_ticket_push(t)
    return [Reply(chat, text, buttons=render.owner_buttons(t)) for chat in chats]


async def _answer_known_rumor(ctx: Ctx, ticket: Ticket) -> list[Reply] | None:
    """Answer a rumour that was already debunked, closing the new report with the same verdict."""
    claim = claim_key(ticket.text)
    best: tuple[float, Ticket] | None = None
    for old in await ctx.store.tickets.list(kind="rumor"):
        if old.id == ticket.id or old.status != DONE or old.verdict != VERDICT_FALSE:
            continue
        if ctx.now - old.updated_at > RUMOR_MEMORY:
            continue
        score = same_claim_score(claim, claim_key(old.text))
        if score >= SAME_RUMOR_SCORE and (best is None or score > best[0]):
            best = (score, old)
    if best is None:
        return None
    old = best[1]
    statement = await _statement(ctx, old)
    bot_name = ctx.config.name
    closed = await ctx.store.tickets.update(
        ticket, now=ctx.now, actor_id="bot", actor_name=bot_name, action="auto", to_status=DONE,
        note=f"与 {old.code} 相同：{statement}", verdict=VERDICT_FALSE,
    )
    notice = render.status_notice(closed, "auto", f"{statement}（同 {old.code}）")
    mention = (Mention(ctx.msg.sender_id, ctx.msg.sender_name),) if ctx.msg.is_group else ()
    info = f"{closed.code} 与已辟谣的 {old.code} 相同，已自动答复：\n{render.summary(closed)}"
    assert ctx.group is not None
    return [Reply(ctx.msg.chat, notice, mention),
            *(Reply(chat, info) for chat in ctx.directory.owner_chats(ctx.group))]


def same_claim_score(a: str, b: str) -> float:
    """0-100: how surely two claim keys state the same rumour; 0 when they differ in substance."""
    if not a or not b:
        return 0.0
    def profile(claim: str) -> tuple[list[str], list[str], list[str]]:
        return (NEGATIONS.findall(claim), re.findall(r"\d+", claim), [d for d in DAYS if d in claim])
    if profile(a) != profile(b):
        return 0.0
    return float(fuzz.ratio(a, b))


async def _statement(ctx: Ctx, t: Ticket) -> str:
    for ev in reversed(await ctx.store.tickets.history(t)):
        if ev.action in ("debunk", "auto"):
            return ev.note.split("：", 1)[-1] if ev.action == "auto" else ev.note
    return "此前已确认是谣言"
