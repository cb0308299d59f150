"""``志愿者统计 [月份]`` for owners and leaders, and the monthly ``感谢名单 [发布] [月份]``."""

from __future__ import annotations

from bot import volunteers as vol
from bot import volunteers_stats as stats
from bot.dispatcher import Ctx, Router
from bot.message import ChatRef, Reply
from bot.store.volunteers import Tally
from bot.text import one_line

router = Router("volunteer_stats")
PEOPLE_LIMIT = 50
MONTH_HINT = "月份可写：本月、上月、11月、2026-11"


async def _tallies(ctx: Ctx, month: stats.Month, by_team: bool) -> list[Tally] | None:
    """The month's numbers over what this person oversees; None if they oversee nothing."""
    me = (ctx.platform, ctx.msg.sender_id)
    teams = [t.key for t in vol.overseen_teams(ctx.directory, *me)]
    groups = [g.key for g in ctx.directory.managed_groups(*me)]
    if not teams and not groups:
        return None
    return await ctx.store.volunteers.tallies(month.start, month.end, groups=groups, teams=teams,
                                              by_team=by_team, limit=PEOPLE_LIMIT + 1)


def _month(ctx: Ctx, text: str) -> stats.Month | Reply:
    month = stats.parse_month(text, ctx.now, ctx.config.tz)
    return month or ctx.reply(f"「{one_line(text, 20)}」不是月份。{MONTH_HINT}。")


@router.command("志愿者统计", where="private")
async def report(ctx: Ctx) -> Reply:
    """Taken, done, median time and average rating per team and per volunteer, for one month."""
    month = _month(ctx, ctx.args)
    if isinstance(month, Reply):
        return month
    people = await _tallies(ctx, month, by_team=False)
    if people is None:
        return ctx.reply("「志愿者统计」给群主、小分队队长和指挥部工作人员使用。")
    teams = await _tallies(ctx, month, by_team=True) or []
    return ctx.reply(stats.report(ctx.config, month, teams, people[:PEOPLE_LIMIT], len(people) > PEOPLE_LIMIT))


@router.command("感谢名单", where="private")
async def thanks(ctx: Ctx) -> Reply:
    """Preview the month's thank-you list, or with 发布 post it once to this person's own groups."""
    publish = ctx.args.startswith("发布")
    month = _month(ctx, ctx.args.removeprefix("发布"))
    if isinstance(month, Reply):
        return month
    people = await _tallies(ctx, month, by_team=False)
    if people is None:
        return ctx.reply("「感谢名单」给群主、小分队队长和指挥部工作人员使用。")
    if not any(p.done for p in people):
        return ctx.reply(f"{month.label}还没有志愿者完成过工单，暂无感谢名单。")
    text = stats.thanks(ctx.config, month, people)
    if not publish:
        return ctx.reply(f"{text}\n\n（预览。发到您的居民群：感谢名单 发布 {month.key}）")
    groups = [g for g in ctx.directory.groups_owned_by(ctx.platform, ctx.msg.sender_id) if g.tickets]
    if not groups:
        return ctx.reply("您没有自己负责的居民群，感谢名单无处发布。请由居民群的群主发布。")
    posted: list[str] = []
    already: list[str] = []
    for group in groups:
        # One per group and month, whoever asks again and however often.
        new = await ctx.services.queue([Reply(ChatRef(group.platform, group.chat_id), text)],
                                       dedupe_prefix=f"thanks:{month.key}:{group.key}")
        (posted if new else already).append(group.name)
    said = [f"已在「{'」「'.join(posted)}」发布{month.label}感谢名单。"] if posted else []
    said += [f"「{'」「'.join(already)}」已发布过，不再重复。"] if already else []
    return ctx.reply("".join(said))
