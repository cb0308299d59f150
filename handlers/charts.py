"""``图表 [日报|周报|月报] [群名]``: three charts of the sender's groups, sent as pictures.

Owners see the groups they manage (their own and those below), staff every group; a group
name narrows it to that group and those below it. Private chat only: the charts name every
group, which is staff business. The pictures go as attachments (Telegram sendPhoto, WeChat
file box, saved under data/reports/ on the console).
"""

from __future__ import annotations

import hashlib
import logging

from bot import charts
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.group_scope import managed_subtree
from bot.message import Reply
from bot.text import one_line

log = logging.getLogger(__name__)
router = Router("charts")

USAGE = "发送「图表」看本周图表，或「图表 日报」「图表 月报」；看某个群及其下级群：图表 周报 群名"


@router.command("图表", "/charts", role=Role.OWNER)
async def send_charts(ctx: Ctx) -> Reply | list[Reply]:
    """Tickets per day by kind, handling time by township, receipt rate by group, as PNGs."""
    if ctx.msg.is_group:
        return ctx.reply("图表包含各群的数据，请私聊我发送「图表」。", mention=True)
    words = ctx.args.split()
    word = "周报"
    if words and words[0] in charts.PERIODS:
        word = words.pop(0)
    elif words and words[0].endswith("报"):
        return ctx.reply(f"不认识「{one_line(words[0], 10)}」：可写 日报、周报 或 月报。\n{USAGE}")
    staff = ctx.directory.is_staff(ctx.platform, ctx.msg.sender_id)
    mine = ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id)
    groups: list[GroupConfig] | None = None if staff else mine
    scope = "全部群" if staff else "您负责的群"
    if words:
        found = managed_subtree(ctx.directory, " ".join(words), mine, hint=f"\n{USAGE}", example="图表 周报")
        if isinstance(found, str):
            return ctx.reply(found)
        scope, groups = found[0].name, found
    when = charts.period(word, ctx.now, ctx.config.tz)
    data = await charts.gather(ctx.store.charts, ctx.directory, scope, groups, when, ctx.config.tz)
    if data.empty:
        return ctx.reply(f"{scope}{when.label}没有工单，也没有发出通知，暂无图表。")
    # The sender's id is anything a platform allows: hashed, it is always a safe file name.
    who = hashlib.sha256(f"{ctx.platform}:{ctx.msg.sender_id}".encode()).hexdigest()[:10]
    stamp = f"{ctx.now.astimezone(ctx.config.tz):%Y%m%d-%H%M%S}-{who}-{word}"
    folder = ctx.config.database.parent / "reports" / "charts"

    async def draw() -> list[Reply]:
        try:
            return await charts.chart_replies(data, ctx.msg.chat, folder, stamp)
        except charts.ChartError:
            # A chart with boxes for words helps nobody: say so, and leave the cause to the log.
            log.exception("图表 for %s could not be drawn", ctx.msg.sender_id)
            return [ctx.reply("图表暂时无法生成（图表字体不可用），已记录错误，请联系管理员检查安装。")]

    # Drawing takes seconds at district scale: after the commit, so that no other message
    # waits for it. This handler only reads, as one that defers work must (Ctx.after_commit).
    ctx.after_commit(draw)
    return []
