"""Finding the ticket a command names, with the Chinese answer when it cannot be found."""

from __future__ import annotations

import re

from bot.directory import Role
from bot.dispatcher import Ctx
from bot.kinds import PREFIXES
from bot.message import Reply
from bot.text import one_line
from bot.tickets import Ticket, normalize_code

_CODE_ARGS = re.compile(rf"^([{PREFIXES}{PREFIXES.lower()}])\s*(\d{{1,7}})(?:\s+|(?=\D)|$)(.*)$", re.S)


def split_code(args: str) -> tuple[str | None, str]:
    """``"E12 王小明"`` -> ``("E12", "王小明")``; ``(None, args)`` when no code leads."""
    m = _CODE_ARGS.match(args.strip())
    if not m:
        return None, args.strip()
    code = normalize_code(m.group(1) + m.group(2))
    return code, m.group(3).strip(" :,：，")


async def find_ticket(ctx: Ctx, usage: str) -> tuple[Ticket, str] | Reply:
    """The ticket named first in the arguments and the rest of them, or a reply saying why not."""
    code, rest = split_code(ctx.args)
    if code is None:
        hint = f"「{one_line(ctx.args, 20)}」不是工单编号。" if ctx.args else "缺少工单编号。"
        return ctx.reply(f"{hint}请这样写：{usage}（编号如 E12、V3、R7）", mention=ctx.msg.is_group)
    ticket = await ctx.store.tickets.get(code)
    if ticket is None:
        return ctx.reply(f"没有找到工单 {code}，请检查编号。发送「我的工单」或「待办」可查看编号。",
                         mention=ctx.msg.is_group)
    return ticket, rest


async def find_managed_ticket(ctx: Ctx, usage: str) -> tuple[Ticket, str] | Reply:
    """Like :func:`find_ticket`, and the sender must manage the ticket's group."""
    found = await find_ticket(ctx, usage)
    if isinstance(found, Reply):
        return found
    ticket, rest = found
    if not ctx.directory.may_act_on(ctx.platform, ctx.msg.sender_id, ticket.group_key, ticket.grid_key,
                                    ticket.kind):
        return ctx.reply(f"{ticket.code} 属于「{ticket.group_name}」，您不是该群的负责人"
                         f"{'或该网格的网格员' if ctx.role == Role.GRID else ''}，不能处理。")
    return ticket, rest
