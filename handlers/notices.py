"""Notices in chat: publish (通知), approve (同意), confirm (收到), report (回执), schedules (定时)."""

from __future__ import annotations

import re

from bot import notices
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Button, Reply
from bot.store.notices import Notice
from handlers.resident import private_fallback
from schedules.spec import SpecError, next_fire, split_spec

router = Router("notices")

_NOTICE_CODE = re.compile(r"^[Nn]\s*(\d{1,7})\s*(.*)$", re.S)
_SCHEDULE_CODE = re.compile(r"^[Ss]\s*(\d{1,7})$")
ONLY_THIS = "仅本群"


def _target(ctx: Ctx, args: str) -> tuple[GroupConfig | None, str, str | None]:
    """Split ``[目标组] 文本``; returns (group, text, error)."""
    owned = ctx.app.directory.owned_groups(ctx.platform, ctx.msg.sender_id)
    managed = ctx.app.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)
    first, _, rest = args.partition(" ")
    named = ctx.app.directory.find(first)
    if named is not None:
        if named not in managed:
            return None, "", f"您不是「{named.name}」的负责人，不能向它发通知。"
        return named, rest.strip(), None
    tops = [g for g in owned if g.parent is None or g.parent not in {m.key for m in managed}]
    if len(tops) == 1:
        return tops[0], args, None
    names = "、".join(g.name for g in tops[:8])
    return None, "", f"您负责多个群（{names}），请写明从哪个群发：通知 群名 内容"


async def _notice(ctx: Ctx, usage: str) -> tuple[Notice, str] | Reply:
    m = _NOTICE_CODE.match(ctx.args)
    if not m:
        return ctx.reply(f"缺少通知编号。请这样写：{usage}（编号如 N3）", mention=ctx.msg.is_group)
    notice = await ctx.app.store.notices.get(f"N{int(m.group(1))}")
    if notice is None:
        return ctx.reply(f"没有找到通知 N{int(m.group(1))}，请检查编号。", mention=ctx.msg.is_group)
    return notice, m.group(2).strip()


@router.command("通知", "发通知", "/notice", where="private", role=Role.OWNER)
async def publish(ctx: Ctx) -> Reply:
    """``通知 [目标组] 文本``: to that group and every group below it."""
    if not ctx.args:
        return ctx.reply("请写上通知内容，例如：通知 明天8点起各小区分楼栋领菜；或 通知 东城街道工作群 内容")
    group, text, error = _target(ctx, ctx.args)
    if error or group is None:
        return ctx.reply(error or "请写明目标群。")
    if not text:
        return ctx.reply(f"请在群名后写上通知内容，例如：通知 {group.name} 明天8点起分楼栋领菜")
    author = (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    notice = await notices.publish(ctx.app, group, text, author, ctx.now)
    assert notice is not None
    report = await notices.report(ctx.app, notice)
    held = f"，其中 {len(report.held)} 个群等待上级审核后下发" if report.held else ""
    return ctx.reply(f"已发布通知 {notice.code} 到「{group.name}」及下级共 {len(report.deliveries)} 个群"
                     f"{held}。发送「回执 {notice.code}」查看送达和确认情况。",
                     buttons=(Button("回执", f"回执 {notice.code}"),))


@router.command("同意", "/approve", where="private", role=Role.OWNER)
async def approve(ctx: Ctx) -> Reply:
    """A reviewing level's owner lets a held notice flow further down."""
    found = await _notice(ctx, "同意 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    origin = ctx.app.directory.group(notice.origin_key)
    mine = {g.key for g in ctx.app.directory.owned_groups(ctx.platform, ctx.msg.sender_id)}
    reviewing = [d for d in await ctx.app.store.notices.deliveries(notice)
                 if d.group_key in mine and (g := ctx.app.directory.group(d.group_key)) is not None
                 and g.review and origin is not None and g.key != origin.key]
    if not reviewing:
        return ctx.reply(f"通知 {notice.code} 不需要您审核。")
    approved = await ctx.app.store.notices.approvals(notice)
    released = 0
    for d in reviewing:
        group = ctx.app.directory.group(d.group_key)
        if group is not None and group.key not in approved:
            released += await notices.approve(ctx.app, notice, group, ctx.msg.sender_name, ctx.now)
    if released == 0 and all(d.group_key in approved for d in reviewing):
        return ctx.reply(f"通知 {notice.code} 已经审核通过了。")
    return ctx.reply(f"已同意通知 {notice.code}，继续下发到 {released} 个群。", edit=ctx.msg.tapped_message_id is not None)


@router.command("收到", "/ack")
async def receipt(ctx: Ctx) -> Reply | None:
    """``收到 N3``: an owner confirms their group received a notice. Plain 收到 is just chat."""
    if not _NOTICE_CODE.match(ctx.args):
        return None if ctx.msg.is_group else await private_fallback(ctx)
    if ctx.msg.is_group:
        if ctx.role < Role.OWNER:
            return None  # residents echoing "收到 N3" in a busy group get no reply
        groups = [ctx.group] if ctx.group else []
    else:
        groups = ctx.app.directory.owned_groups(ctx.platform, ctx.msg.sender_id)
        if not groups:
            return ctx.reply("只有群主需要确认收到通知。")
    found = await _notice(ctx, "收到 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    done = await notices.confirm_for(ctx.app, notice, [g for g in groups if g], ctx.msg.sender_name, ctx.now)
    if not done:
        return ctx.reply(f"通知 {notice.code} 已确认过，或没有发到您负责的群。", mention=ctx.msg.is_group)
    names = "、".join(done)
    return ctx.reply(f"已确认「{names}」收到通知 {notice.code}。", mention=ctx.msg.is_group)


@router.command("回执", "/receipts", where="private", role=Role.OWNER)
async def receipts(ctx: Ctx) -> Reply:
    """Delivered / confirmed / failed per group, and when the last group received it."""
    if not ctx.args:
        recent = await ctx.app.store.notices.recent(5)
        if not recent:
            return ctx.reply("还没有发过通知。")
        lines = ["最近的通知（回复「回执 编号」查看详情）："]
        lines += [f"{n.code} {n.created_at.astimezone(ctx.app.config.tz):%m-%d %H:%M} {n.text[:20]}"
                  for n in recent]
        return ctx.reply("\n".join(lines))
    found = await _notice(ctx, "回执 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    return ctx.reply(notices.render_report(await notices.report(ctx.app, notice), ctx.app))


@router.command("定时", "/schedule", where="private", role=Role.OWNER)
async def schedule(ctx: Ctx) -> Reply:
    """``定时 每天 08:00 [目标组] [仅本群] 文本``."""
    if not ctx.args:
        return ctx.reply("请这样写：定时 每天 08:00 [群名] 通知内容（加「仅本群」则不下发到下级群）")
    try:
        spec, rest = split_spec(ctx.args)
        first_fire = next_fire(spec, ctx.app.config.tz, ctx.now)
    except SpecError as exc:
        return ctx.reply(str(exc))
    if first_fire is None:
        return ctx.reply(f"「{spec}」已经过去了，请写一个将来的时间。")
    subtree = True
    if rest.startswith(ONLY_THIS) or f" {ONLY_THIS} " in f" {rest} ":
        subtree = False
        rest = rest.replace(ONLY_THIS, "", 1).strip()
    group, text, error = _target(ctx, rest)
    if error or group is None:
        return ctx.reply(error or "请写明目标群。")
    if not text:
        return ctx.reply("请写上通知内容。")
    author = (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    saved = await ctx.app.store.notices.add_schedule(group.key, subtree, spec, text, author, ctx.now)
    if ctx.app.scheduler is not None:
        ctx.app.scheduler.sync(saved)
    scope = "及下级群" if subtree else "（仅本群）"
    return ctx.reply(f"已设定时通知 {saved.code}：{spec} 发到「{group.name}」{scope}。"
                     f"下次发送：{first_fire:%Y-%m-%d %H:%M}。发送「取消定时 {saved.code}」可取消。")


@router.command("定时列表", "/schedules", where="private", role=Role.OWNER)
async def schedule_list(ctx: Ctx) -> Reply:
    """Schedules of the groups this person manages."""
    mine = {g.key for g in ctx.app.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)}
    rows = [s for s in await ctx.app.store.notices.schedules() if s.group_key in mine]
    if not rows:
        return ctx.reply("没有定时通知。设定方法：定时 每天 08:00 通知内容")
    lines = ["定时通知："]
    for s in rows:
        group = ctx.app.directory.group(s.group_key)
        nxt = next_fire(s.spec, ctx.app.config.tz, ctx.now)
        when = f"下次 {nxt:%m-%d %H:%M}" if nxt else "已过期"
        lines.append(f"{s.code} {s.spec}｜{group.name if group else s.group_key}"
                     f"{'' if s.subtree else '（仅本群）'}｜{when}｜{s.text[:20]}")
    return ctx.reply("\n".join(lines))


@router.command("取消定时", "/unschedule", where="private", role=Role.OWNER)
async def schedule_cancel(ctx: Ctx) -> Reply:
    """Cancel a schedule for good."""
    m = _SCHEDULE_CODE.match(ctx.args.strip())
    if not m:
        return ctx.reply("请写上定时编号，例如：取消定时 S2（发送「定时列表」查看编号）")
    s = await ctx.app.store.notices.schedule(f"S{int(m.group(1))}")
    if s is None or s.cancelled:
        return ctx.reply(f"没有找到定时通知 S{int(m.group(1))}，或它已取消。")
    reachable = ctx.app.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)
    if s.group_key not in {g.key for g in reachable}:
        return ctx.reply(f"{s.code} 不是您负责的群的定时通知。")
    await ctx.app.store.notices.cancel_schedule(s, ctx.now)
    cancelled = await ctx.app.store.notices.schedule(s.code)
    if ctx.app.scheduler is not None and cancelled is not None:
        ctx.app.scheduler.sync(cancelled)
    return ctx.reply(f"已取消定时通知 {s.code}。")
