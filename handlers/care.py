"""Answers to the daily check-in (每日平安问询) in private: ``1`` 平安, ``2`` 需要帮助.

Only someone asked today has an answer to give: for everyone else ``1`` or ``2`` passes on to
the private filing fallback as before. ``2`` opens an urgent errand for the household's group
through the usual filing path (household, grid, owner push), once per household and day; a
second answer the same day replaces the first, so a later ``2`` after ``1`` still calls for help.
"""

from __future__ import annotations

from datetime import timedelta

from bot import care
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.store.care import CheckIn
from bot.tickets import NewTicket
from handlers.tickets import file_request

router = Router("care")


# Above the private filing fallback (-10): "2" from someone asked today is an answer, not chat.
@router.fallback(where="private", priority=10)
async def answer(ctx: Ctx) -> Reply | list[Reply] | None:
    """Record today's answer; thank a ``1``, open an urgent errand for a ``2``."""
    if ctx.msg.kind != "text":
        return None
    said = care.parse_answer(ctx.text)
    if said is None:
        return None
    day = care.day_of(ctx.now, ctx.config.tz)
    asked = await ctx.store.care.of_person(ctx.platform, ctx.msg.sender_id, day)
    if not asked:
        return None
    for checkin in asked:
        await ctx.store.care.answer(checkin, said, ctx.now)
    if said == "ok":
        return ctx.reply(care.THANKS)
    out = [ctx.reply(care.HELP_COMING)]
    for checkin in asked:
        out += await _ask_for_help(ctx, day, checkin)
    return out


async def _ask_for_help(ctx: Ctx, day: str, checkin: CheckIn) -> list[Reply]:
    """The urgent errand for one household, unless today's is already open."""
    code = await ctx.store.care.ticket_of(day, checkin.household_id)
    if code:
        return [ctx.reply(f"工作人员已经收到 {code}，正在赶来，请稍候。发送「进度 {code}」可查看进展。")]
    home = await ctx.store.households.get(checkin.household_id)
    group = ctx.directory.group(home.group_key) if home is not None else None
    if home is None or group is None:
        return []
    ctx.group = group  # the ticket belongs to the household's group; answers stay in private
    request = NewTicket("errand", "other", "urgent", care.help_request(home),
                        home.address)
    replies = await file_request(ctx, request, await ctx.store.messages.row_of(ctx.msg))
    filed = await ctx.store.tickets.recent_open(
        ctx.platform, ctx.msg.sender_id, group.key, "errand", ctx.now - timedelta(seconds=1), 1)
    if filed:
        await ctx.store.care.set_ticket(day, home.id, filed[0].code)
    return replies if isinstance(replies, list) else [replies]
