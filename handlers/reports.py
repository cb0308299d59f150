"""日报 / 周报 / 月报 [群名] [日期] for owners and staff, 排名 [月份] and 排名 发布 for staff.

Reports answer in private only (they name residents' comments and who holds which ticket); the
ranking goes to the groups only when staff publish it, and each group hears only group-level
figures: its own place and criteria, and the top of the list.
"""

from __future__ import annotations

from bot import reports
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.reports.period import LABEL, DateError, Kind, last_complete, parse_when
from bot.reports.ranking import ranking
from bot.reports.ranking_text import group_replies, staff_text
from bot.store.audit import Actor

router = Router("reports")

#: The owners' and staff's help lines (shown in 帮助 in private).
OWNER_HELP = "· 日报 ／ 周报 ／ 月报 [群名] [日期]　工单、时效、超时、评价、通知回执，例：日报 昨天、月报 上月"
STAFF_HELP = "· 排名 [月份]　考核排名（默认上月）／ 排名 发布 [月份]　发到各群（各群只看到本群名次和前几名）"


async def _report(ctx: Ctx, kind: Kind) -> Reply:
    if ctx.msg.is_group:
        return ctx.reply(f"报表只在私聊里发送，请私聊我发送「{LABEL[kind]}」。", mention=True)
    return ctx.reply(await reports.on_demand(ctx.services, ctx.platform, ctx.msg.sender_id, kind,
                                             ctx.args, ctx.now))


@router.command("日报", "/daily", role=Role.OWNER)
async def daily(ctx: Ctx) -> Reply:
    """Today so far (or the day named) for the groups this person owns."""
    return await _report(ctx, "daily")


@router.command("周报", "/weekly", role=Role.OWNER)
async def weekly(ctx: Ctx) -> Reply:
    """This week so far (or the week of the day named)."""
    return await _report(ctx, "weekly")


@router.command("月报", "/monthly", role=Role.OWNER)
async def monthly(ctx: Ctx) -> Reply:
    """This month so far (or the month named)."""
    return await _report(ctx, "monthly")


PUBLISH = ("发布", "公布")
AGAIN = "重发"


@router.command("排名", "考核排名", "/ranking", where="private", role=Role.STAFF)
async def rank(ctx: Ctx) -> list[Reply] | Reply:
    """The month's ranking (last month by default); ``排名 发布 [月份]`` posts it to the groups."""
    words = ctx.args.split()
    publish = bool(words) and words[0] in PUBLISH
    again = AGAIN in words
    words = [w for w in words if w not in PUBLISH and w != AGAIN]
    tz = ctx.config.tz
    try:
        period = parse_when(words[0], "monthly", ctx.now, tz) if words else last_complete("monthly", ctx.now, tz)
    except DateError as exc:
        return ctx.reply(f"{exc}例如：排名 2026-10，或 排名 发布 上月")
    if len(words) > 1:
        return ctx.reply("「排名」后面只写月份，例如：排名 2026-10；发布写成：排名 发布 2026-10")
    r = await ranking(ctx.store, ctx.config, ctx.directory, period, ctx.now)
    if not r.ranked:
        return ctx.reply(f"{period.month_label()}没有可排名的数据：各群都没有工单、评价、通知回执或住户登记。")
    if not publish:
        return ctx.reply(staff_text(r, ctx.config))
    month = f"{period.start:%Y-%m}"
    if period.partial and not again:
        return ctx.reply(f"{period.month_label()}还没过完，排名会变。确需现在发布请发送：排名 发布 {month} 重发")
    if not again and await _published(ctx, month):
        return ctx.reply(f"{period.month_label()}的排名已经发布过。确需再发一次请发送：排名 发布 {month} 重发")
    actor = Actor(ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    out = group_replies(r, ctx.config)
    await ctx.store.audit.record(actor, "ranking_publish", month, f"{len(out)} 个群", ctx.now)
    return [*out, ctx.reply(f"已把{period.month_label()}考核排名发到 {len(out)} 个群："
                            f"每个群只看到本群名次、各项得分和前 {ctx.config.ranking.top} 名。")]


async def _published(ctx: Ctx, month: str) -> bool:
    """Whether this month's ranking was already published (the audit log keeps each time)."""
    entries = await ctx.store.audit.latest(limit=500)
    return any(e.action == "ranking_publish" and e.target == month for e in entries)
