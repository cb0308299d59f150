"""Residents' keyword messages in a group become errand, verification and rumour tickets."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.dispatcher import Ctx, Router
from bot.message import ChatRef, Mention, Reply
from bot.text import claim_key
from bot.tickets import DONE, VERDICT_FALSE, Ticket
from handlers import render
from handlers.classify import EmptyRequest, classify

router = Router("tickets")

EXAMPLES = {
    "errand": "代买 大米一袋 3栋2单元501",
    "verification": "报备 3-2-501 一家三口 从外地返回 居家观察",
    "rumor": "求证 听说明天超市关门，是真的吗",
}
WHAT_TO_ADD = {
    "errand": "要办的事和地址",
    "verification": "地址、人员和情况",
    "rumor": "听到的说法",
}
# A new rumour report this close to one already answered gets the earlier answer at once.
SAME_RUMOR_SCORE = 85
# ...as long as the claims are of comparable length ("停水" alone is not "明天全区停水").
SAME_RUMOR_LENGTH = 0.6


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
    if isinstance(found, EmptyRequest):
        return ctx.reply(
            f"「{found.keyword}」后面请写上{WHAT_TO_ADD[found.kind]}，例如：{EXAMPLES[found.kind]}",
            mention=True,
        )
    ticket = await ctx.app.store.tickets.create(found, ctx.group, ctx.msg, None, ctx.now)
    if ticket.kind == "rumor":
        answered = await _answer_known_rumor(ctx, ticket)
        if answered is not None:
            return answered
    return [ctx.reply(render.ack(ticket), mention=True), *_owner_pushes(ctx, ticket)]


def _owner_pushes(ctx: Ctx, t: Ticket) -> list[Reply]:
    assert ctx.group is not None
    chats = ctx.app.directory.owner_chats(ctx.group)
    if not chats:
        staff = ctx.app.config.staff.get(ctx.group.platform, ())
        chats = [ChatRef.private(ctx.group.platform, s) for s in staff]
    text = render.new_ticket_push(t)
    return [Reply(chat, text, buttons=render.owner_buttons(t)) for chat in chats]


async def _answer_known_rumor(ctx: Ctx, ticket: Ticket) -> list[Reply] | None:
    """Answer a rumour that was already debunked, closing the new report with the same verdict."""
    claim = claim_key(ticket.text)
    best: tuple[float, Ticket] | None = None
    for old in await ctx.app.store.tickets.list(kind="rumor"):
        if old.id == ticket.id or old.status != DONE or old.verdict != VERDICT_FALSE:
            continue
        score = same_claim_score(claim, claim_key(old.text))
        if score >= SAME_RUMOR_SCORE and (best is None or score > best[0]):
            best = (score, old)
    if best is None:
        return None
    old = best[1]
    statement = await _statement(ctx, old)
    bot_name = ctx.app.config.name
    closed = await ctx.app.store.tickets.update(
        ticket, now=ctx.now, actor_id="bot", actor_name=bot_name, action="auto", to_status=DONE,
        note=f"与 {old.code} 相同：{statement}", verdict=VERDICT_FALSE,
    )
    notice = render.status_notice(closed, "auto", f"{statement}（同 {old.code}）")
    mention = (Mention(ctx.msg.sender_id, ctx.msg.sender_name),)
    info = f"{closed.code} 与已辟谣的 {old.code} 相同，已自动答复：\n{render.summary(closed)}"
    assert ctx.group is not None
    return [Reply(ctx.msg.chat, notice, mention),
            *(Reply(chat, info) for chat in ctx.app.directory.owner_chats(ctx.group))]


def same_claim_score(a: str, b: str) -> float:
    """0-100: how surely two claim keys state the same rumour (characters, not words)."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) / max(len(a), len(b)) < SAME_RUMOR_LENGTH:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b))


async def _statement(ctx: Ctx, t: Ticket) -> str:
    for ev in reversed(await ctx.app.store.tickets.history(t)):
        if ev.action in ("debunk", "auto"):
            return ev.note.split("：", 1)[-1] if ev.action == "auto" else ev.note
    return "此前已确认是谣言"
