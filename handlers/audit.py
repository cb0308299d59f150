"""``审计`` / ``/audit``: staff read the latest audit entries in private chat."""

from __future__ import annotations

from bot.audit import render_line
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.store.audit import Actor

router = Router("audit")

#: The staff line of the private help card.
STAFF_HELP = "· 审计（最近 20 条审计记录：导出、清理、审核通知、绑定群）"
#: Entries one reply shows; ``gridbot audit`` reads further back.
SHOWN = 20


def actor_of(ctx: Ctx) -> Actor:
    """The sender of the message being handled, as an audit actor."""
    return Actor(ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)


@router.command("审计", "审计记录", "/audit", role=Role.STAFF, alone=True)
async def latest(ctx: Ctx) -> Reply:
    """The newest entries, newest first; only in private, since they name people."""
    if ctx.msg.is_group:
        return ctx.reply("审计记录请私聊我发送「审计」查看。", mention=True)
    entries = await ctx.store.audit.latest(limit=SHOWN)
    if not entries:
        return ctx.reply("审计记录为空：还没有导出、清理、审核通知或绑定群的操作。")
    lines = [f"【审计记录】最近 {len(entries)} 条，新的在前："]
    lines += [render_line(e, ctx.config.tz) for e in entries]
    lines.append("更早的记录：gridbot audit --since 日期 --limit 条数")
    return ctx.reply("\n".join(lines))
