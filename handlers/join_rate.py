"""``入群率`` and ``未入群``: how many households have someone in the group, and whom to call.

Owners see the groups they manage (their own and those below), staff every group, grouped by
township. Both answer only in private: the list of households to call carries phone numbers.
"""

from __future__ import annotations

import re

from bot import households
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.group_scope import managed_subtree
from bot.message import Reply

router = Router("join_rate")

#: Households per page of ``未入群``: one screen of a phone, and one chat message.
PAGE = 30


def _private_only(ctx: Ctx, example: str) -> Reply | None:
    if ctx.msg.is_group:
        return ctx.reply(f"入群情况含住户电话，请私聊我发送「{example}」。", mention=True)
    return None


@router.command("入群率", "/joinrate", role=Role.OWNER)
async def join_rate(ctx: Ctx) -> Reply:
    """Households with at least one linked member / households, per group and township."""
    refused = _private_only(ctx, "入群率")
    if refused:
        return refused
    mine = _target(ctx, ctx.args.split(), ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id))
    if isinstance(mine, str):
        return ctx.reply(mine)
    rates = await ctx.store.households.join_rates([g.key for g in mine])
    parents = {g.key: g.name for g in ctx.directory.groups}
    return ctx.reply(households.join_rate_report(list(zip(mine, rates, strict=True)), parents))


def _target(ctx: Ctx, words: list[str], mine: list[GroupConfig]) -> list[GroupConfig] | str:
    """The groups ``[群名]`` names (a group and those below it, all when none), or an error to show."""
    if not words:
        return mine
    return managed_subtree(ctx.directory, " ".join(words), mine,
                           hint="发送「入群率」查看您负责的各群。", example="未入群")


@router.command("未入群", "/unjoined", role=Role.OWNER)
async def unjoined(ctx: Ctx) -> Reply:
    """Households with nobody in the group, with head and phone, a page at a time."""
    refused = _private_only(ctx, "未入群 群名")
    if refused:
        return refused
    words = ctx.args.split()
    # A page is a small number: "未入群 3组" names a group, a 5,000-digit word is not a page.
    page = int(words.pop()) if words and re.fullmatch(r"[0-9]{1,4}", words[-1]) else 1
    mine = ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id)
    groups = _target(ctx, words, mine)
    if isinstance(groups, str):
        return ctx.reply(groups)
    keys = [g.key for g in groups]
    rates = await ctx.store.households.join_rates(keys)
    missing = sum(r.households - r.joined for r in rates)
    what = groups[0].name if words else "您负责的群"
    if missing == 0:
        registered = sum(r.households for r in rates)
        return ctx.reply(f"{what}登记的 {registered} 户都已有人入群。" if registered else
                         f"{what}还没有登记住户。登记：住户 新增 地址 户主 电话")
    pages = -(-missing // PAGE)
    if page < 1 or page > pages:
        return ctx.reply(f"没有第 {page} 页：{what}未入群 {missing} 户，共 {pages} 页。")
    # The page's rows only, in address order: never the whole group in memory.
    rows = await ctx.store.households.unjoined(keys, limit=PAGE, offset=(page - 1) * PAGE)
    lines = [f"【未入群】{what}：{missing} 户还没有人入群（第 {page}/{pages} 页）"]
    current = ""
    for h in rows:
        if len(groups) > 1 and h.group_key != current:
            current = h.group_key
            group = ctx.directory.group(current)
            lines.append(f"{group.name if group else current}：")
        lines.append(households.unjoined_line(h))
    if page < pages:
        lines.append(f"下一页：未入群 {' '.join(words) + ' ' if words else ''}{page + 1}")
    return ctx.reply("\n".join(lines))
