"""Verdicts on rumour reports: debunk with the official statement, or confirm."""

from __future__ import annotations

from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.lookup import find_managed_ticket, split_code
from bot.message import Reply
from bot.tickets import DONE, VERDICT_FALSE, VERDICT_TRUE
from handlers.owner import move
from handlers.resident import private_fallback

router = Router("rumor")


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
    if not statement:
        return ctx.reply(f"请写上官方说法（会发到群里），例如：辟谣 {t.code} 区指挥部通报：超市正常营业")
    return await move(ctx, t, action="debunk", to_status=DONE, note=statement,
                      headline=f"已辟谣 {t.code}，群里已发布官方说法。", fields={"verdict": VERDICT_FALSE})


@router.command("属实", "/confirm", where="private", role=Role.OWNER)
async def confirm(ctx: Ctx) -> Reply | list[Reply]:
    """``属实 R7 [说明]``: the claim is true."""
    found = await find_managed_ticket(ctx, "属实 R7 [说明]")
    if isinstance(found, Reply):
        return found
    t, note = found
    if t.kind != "rumor":
        return ctx.reply(f"{t.code} 不是谣言求证工单，请用「完成 {t.code}」。")
    return await move(ctx, t, action="confirm", to_status=DONE, note=note,
                      headline=f"已确认 {t.code} 属实，群里已告知。", fields={"verdict": VERDICT_TRUE})
