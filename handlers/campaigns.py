"""Campaigns in chat: owners start them (接龙 / 报名 / 投票) and follow them (接龙进度, 结束接龙);
residents answer in the group, loosely, and are not acknowledged one by one."""

from __future__ import annotations

from bot import campaign_answer, campaign_flow, campaign_text
from bot.campaigns import (
    KINDS,
    LABEL,
    RequestError,
    example,
    parse_request,
    target_groups,
)
from bot.directory import Role
from bot.dispatcher import Ctx, Result, Router
from bot.message import Button, ChatRef, Reply
from bot.notices import parse_code
from bot.store.campaigns import Campaign, NewCampaign

router = Router("campaigns")


@router.command(*KINDS, where="private", role=Role.OWNER)
async def start(ctx: Ctx) -> Reply | list[Reply]:
    """``接龙 [群名：][仅本群] 标题 [选项 A B] [截止 HH:MM]`` (报名 … 名额 20; 投票 … 记名|不记名)."""
    kind = KINDS[ctx.command]
    if not ctx.args:
        return ctx.reply(f"请这样写：{example(kind)}（群名写在标题前并加冒号，例如「{LABEL[kind]} 幸福小区：标题」；"
                         "加「仅本群」则不发到下级群）")
    try:
        request = parse_request(kind, ctx.args, ctx.now, ctx.config.tz)
    except RequestError as exc:
        return ctx.reply(str(exc))
    target = target_groups(ctx.directory, ctx.platform, ctx.msg.sender_id, request)
    if isinstance(target, str):
        return ctx.reply(target)
    origin, groups, title = target
    new = NewCampaign(kind, title, request.options, origin.key, tuple(g.key for g in groups),
                      (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name), request.deadline,
                      request.capacity, request.secret)
    c = await ctx.store.campaigns.create(new, ctx.now)
    tz = ctx.config.tz
    posts = [Reply(ChatRef(g.platform, g.chat_id), campaign_text.post(c, tz)) for g in groups]
    where = (f"「{origin.name}」" if len(groups) == 1 else f"「{origin.name}」及下级共 {len(groups)} 个群")
    lines = [f"已发起{LABEL[kind]} {c.code}「{title}」到{where}。"]
    if kind == "vote":
        lines.append(f"选项：{'、'.join(c.options)}（{'不记名' if c.secret else '记名'}）")
    elif len(c.options) > 1:
        lines.append(f"选项：{'、'.join(c.options)}")
    if c.capacity:
        lines.append(f"名额：{c.capacity} 人")
    before = ctx.config.campaigns.remind_before_minutes
    lines.append(f"截止：{campaign_text.when(c.deadline, tz)}（截止前 {before} 分钟提醒未回复的住户，截止后把结果发给您）"
                 if c.deadline else f"没有截止时间：发送「结束接龙 {c.code}」结束并统计。")
    if kind == "rollcall":
        rates = await ctx.store.households.join_rates([g.key for g in groups])
        empty = [r for r in rates if not r.households]
        if len(empty) == len(rates):
            lines.append("注意：这些群还没有导入住户名单，只能统计回复数，列不出未回复的住户。")
        elif empty:
            lines.append(f"注意：其中 {len(empty)} 个群还没有导入住户名单，只统计回复数。")
    lines.append(f"发送「接龙进度 {c.code}」查看进度和未回复的住户。")
    button = (Button("进度", f"接龙进度 {c.code}"),)
    return [ctx.reply("\n".join(lines), buttons=button), *posts]


async def _campaign(ctx: Ctx, usage: str) -> Campaign | Reply:
    parsed = parse_code(ctx.args, "C")
    if parsed is None:
        return ctx.reply(f"请写上编号，例如：{usage}")
    c = await ctx.store.campaigns.get(int(parsed[0][1:]))
    if c is None:
        return ctx.reply(f"没有找到 {parsed[0]}，请检查编号（发送「接龙进度」查看最近的接龙）。")
    return c


@router.command("接龙进度", "报名进度", "投票进度", where="private", role=Role.GRID)
async def progress(ctx: Ctx) -> Reply:
    """Counts per option, answered / total and the missing households with head and phone; a
    grid worker sees their grids' households only."""
    platform, user = ctx.platform, ctx.msg.sender_id
    if not ctx.args:
        mine = None if ctx.directory.is_staff(platform, user) else sorted(
            {g.key for g in ctx.directory.managed_groups(platform, user)}
            | {g.group for g in ctx.directory.grids_of(platform, user)})
        recent = await ctx.store.campaigns.recent(10, mine)
        if not recent:
            return ctx.reply(f"您负责的群还没有接龙、报名或投票。发起方法：{example('rollcall')}")
        lines = ["最近的接龙 / 报名 / 投票（回复「接龙进度 编号」查看详情）："]
        lines += [f"{c.code} {LABEL[c.kind]}「{c.title}」{'已截止' if c.closed_at else '进行中'}" for c in recent]
        return ctx.reply("\n".join(lines))
    found = await _campaign(ctx, "接龙进度 C1")
    if isinstance(found, Reply):
        return found
    keys = campaign_flow.visible_groups(ctx.services, found, platform, user)
    if keys:
        return ctx.reply(await campaign_flow.report(ctx.services, found, keys))
    grids = campaign_flow.visible_grids(ctx.services, found, platform, user)
    if grids:
        return ctx.reply(await campaign_flow.report(ctx.services, found, sorted({g.group for g in grids}), grids))
    return ctx.reply(f"{found.code} 不是您负责的群或网格的{LABEL[found.kind]}，不能查看。")


@router.command("结束接龙", "结束报名", "结束投票", where="private", role=Role.OWNER)
async def finish(ctx: Ctx) -> Reply | list[Reply]:
    """Close a campaign now: the groups read the counts, the owner the report."""
    found = await _campaign(ctx, "结束接龙 C1")
    if isinstance(found, Reply):
        return found
    platform, user = ctx.platform, ctx.msg.sender_id
    if len(campaign_flow.visible_groups(ctx.services, found, platform, user)) != len(found.group_keys):
        origin = ctx.directory.group(found.origin_key)
        return ctx.reply(f"只有发起人或「{origin.name if origin else found.origin_key}」的负责人可以结束 {found.code}。")
    if not await ctx.store.campaigns.close(found.id, ctx.now):
        return ctx.reply(f"{found.code} 已经结束了。发送「接龙进度 {found.code}」查看结果。")
    closed = await ctx.store.campaigns.get(found.id)
    assert closed is not None
    return await campaign_flow.closing(ctx.services, closed)


#: Before the resident request fallback (tickets, priority 0): "3-2-501 已做" is an answer,
#: while "代买 大米 3-2-501" passes on and still becomes a ticket.
ANSWER_PRIORITY = 20


@router.fallback(where="group", priority=ANSWER_PRIORITY)
async def answer(ctx: Ctx) -> Result:
    """A resident's answer to a campaign running in the group; anything else passes on."""
    return await campaign_answer.answer(ctx)
