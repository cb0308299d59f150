"""Notices in chat: publish (通知), approve (同意), confirm (收到), report (回执), schedules (定时)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import notices
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Button, ChatRef, Reply
from bot.schedule_spec import SpecError, next_fire, one_off_at, split_spec
from bot.store.notices import Delivery, Notice
from bot.text import one_line
from handlers.audit import actor_of
from handlers.resident import private_fallback

router = Router("notices")

ONLY_THIS = "仅本群"
#: What may follow a group name at the start of a notice: a space, a colon or a comma.
_SEP = re.compile(r"[\s:：,，]+")
_LEAD = re.compile(r"([^\s:：,，]+)(?:[\s:：,，]+|$)")
#: Words in many group names (and in greetings): "居民" or "小区" alone names no group.
_COMMON = re.compile(r"居民群|工作群|业主群|居委会|村委会|指挥部|办事处|街道办|全体|各位|居民|业主|小区|社区|"
                     r"街道|物业|网格|通知|群|村|镇|乡|区|各")
#: Kinds of group that people add to or drop from a name: "阳光花园群" is 阳光花园居民群.
_KIND = re.compile(r"居民群|工作群|业主群|居委会|村委会|指挥部|办事处|街道办|小区|社区|街道|群|村|镇|乡|区")


@dataclass(frozen=True)
class Target:
    """Where a notice goes and what it says."""

    group: GroupConfig
    text: str
    subtree: bool


def _after(text: str, word: str) -> str | None:
    """What follows ``word`` at the start of ``text`` when a separator (or the end) follows it."""
    if not text.startswith(word):
        return None
    rest = text[len(word):]
    sep = _SEP.match(rest)
    if rest and sep is None:
        return None
    return rest[sep.end():] if sep else ""


def _lead_group(ctx: Ctx, text: str) -> tuple[GroupConfig, str] | str | None:
    """A group named at the start of ``text``: (group, rest), an error to show, or None."""
    directory = ctx.directory
    mine = directory.reachable_groups(ctx.platform, ctx.msg.sender_id)
    keys = {g.key for g in mine}
    for g in sorted(directory.groups, key=lambda g: -len(g.name)):  # names may contain spaces
        for word in (g.name, g.key):
            rest = _after(text, word)
            if rest is not None:
                if g.key not in keys:
                    return f"您不是「{g.name}」的负责人，不能向它发通知。"
                return g, rest
    m = _LEAD.match(text)
    # Only a distinctive word followed by a separator: "明早停水，请储水" and "居民：…" are text.
    if m is None or len(_COMMON.sub("", m.group(1))) < 2:
        return None
    word, rest = m.group(1), text[m.end():]

    def matching(pool: list[GroupConfig]) -> list[GroupConfig]:
        found = directory.named(word, pool)
        core = _KIND.sub("", word)
        return found or [g for g in pool if len(core) >= 2 and core in _KIND.sub("", g.name)]

    own = matching(mine)
    if len(own) == 1:
        return own[0], rest
    example = f"通知 {(own or mine or directory.groups)[0].name} {word}：{rest[:10] or '通知内容'}"
    if own:
        names = "、".join(g.name for g in own[:10]) + (f" 等 {len(own)} 个群" if len(own) > 10 else "")
        return (f"「{word}」对应您负责的 {len(own)} 个群：{names}。通知没有发出，请写完整群名再发一次，"
                f"例如：通知 {own[0].name} {rest[:10] or '通知内容'}")
    others = matching(directory.groups)
    if others:
        return (f"「{word}」像是群名（{others[0].name}），但您不负责这个群，通知没有发出。"
                f"如果「{word}」是通知内容的开头，请在前面写上您的群名，例如：{example}")
    return None


def _target(ctx: Ctx, args: str) -> Target | str:
    """Read ``[群名] [仅本群] 文本`` (either order); returns the target or an error to show."""
    rest, subtree, group = args.strip(), True, None
    while True:
        after = _after(rest, ONLY_THIS) if subtree else None
        if after is not None:
            rest, subtree = after, False
            continue
        if group is None:
            picked = _lead_group(ctx, rest)
            if isinstance(picked, str):
                return picked
            if picked is not None:
                group, rest = picked
                continue
        break
    if group is None:
        owned = ctx.directory.owned_groups(ctx.platform, ctx.msg.sender_id)
        managed = {g.key for g in ctx.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)}
        tops = [g for g in owned if g.parent is None or g.parent not in managed]
        if len(tops) != 1:
            names = "、".join(g.name for g in tops[:8])
            return f"您负责多个群（{names}），请写明从哪个群发：通知 群名 内容"
        group = tops[0]
    return Target(group, rest.strip(), subtree)


async def push_entry(ctx: Ctx, verb: str, label: str, entry_id: str, rest: str, text: str) -> Reply:
    """``下发辟谣 L12 [群名]`` / ``下发问答 P3 [群名]``: a library entry's ``text`` as a notice
    from one of the sender's groups (``rest`` names it, or their own) to every group below it."""
    target = _target(ctx, f"{rest.strip()} x" if rest.strip() else "x")  # x: the text _target wants
    if isinstance(target, str):
        return ctx.reply(target.replace("通知 群名 内容", f"{verb} {entry_id} 群名"))
    if target.text != "x":
        return ctx.reply(f"没有找到您负责的群「{one_line(rest, 20)}」，请写完整群名，例如：{verb} {entry_id} "
                         f"{target.group.name}")
    author = (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    notice = await notices.publish(ctx.services, target.group, text, author, ctx.now)
    assert notice is not None
    return ctx.reply(f"已把{label} {entry_id} 作为通知 {notice.code} 从「{target.group.name}」下发到下级各群。"
                     f"发送「回执 {notice.code}」查看送达和确认情况。",
                     buttons=(Button("回执", f"回执 {notice.code}"),))


def _names(deliveries: list[Delivery], limit: int = 8) -> str:
    shown = "、".join(d.group_name for d in deliveries[:limit])
    return shown + (f" 等 {len(deliveries)} 个群" if len(deliveries) > limit else "")


async def _notice(ctx: Ctx, usage: str) -> tuple[Notice, str] | Reply:
    parsed = notices.parse_code(ctx.args, "N", bare=not ctx.msg.is_group)
    if parsed is None:
        return ctx.reply(f"缺少通知编号。请这样写：{usage}（编号如 N3）", mention=ctx.msg.is_group)
    code, rest = parsed
    notice = await ctx.store.notices.get(code)
    if notice is None:
        return ctx.reply(f"没有找到通知 {code}，请检查编号。", mention=ctx.msg.is_group)
    return notice, rest


@router.command("通知", "发通知", "/notice", where="private", role=Role.OWNER)
async def publish(ctx: Ctx) -> Reply:
    """``通知 [目标群] [仅本群] 文本``: to that group and (unless 仅本群) every group below it."""
    if not ctx.args:
        return ctx.reply("请写上通知内容，例如：通知 明天8点起各小区分楼栋领菜；或 通知 东城街道工作群：内容"
                         "（群名可以只写一部分；加「仅本群」则不下发到下级群）")
    target = _target(ctx, ctx.args)
    if isinstance(target, str):
        return ctx.reply(target)
    group = target.group
    if not target.text:
        return ctx.reply(f"请在群名后写上通知内容，例如：通知 {group.name} 明天8点起分楼栋领菜")
    author = (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    text = ctx.verbatim(target.text)  # as written: line breaks and all
    notice = await notices.publish(ctx.services, group, text, author, ctx.now, subtree=target.subtree)
    assert notice is not None
    report = await notices.report(ctx.services, notice)
    going = [d for d in report.deliveries if d.state != "held"]
    only = "（仅本群）" if not target.subtree else ""
    if len(report.deliveries) == 1:
        lines = [f"已发布通知 {notice.code} 到「{group.name}」{only}。"]
    else:
        lines = [f"已发布通知 {notice.code} 到「{group.name}」及下级共 {len(report.deliveries)} 个群。",
                 f"发往：{_names(going)}"]
    if report.held:
        lines.append(f"另有 {len(report.held)} 个群等待上级审核后下发：{_names(report.held)}")
    lines.append(f"发送「回执 {notice.code}」查看送达和确认情况。")
    return ctx.reply("\n".join(lines), buttons=(Button("回执", f"回执 {notice.code}"),))


@router.command("同意", "/approve", where="private", role=Role.OWNER)
async def approve(ctx: Ctx) -> Reply:
    """A reviewing level's owner lets a held notice flow further down."""
    found = await _notice(ctx, "同意 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    origin = ctx.directory.group(notice.origin_key)
    mine = {g.key for g in ctx.directory.owned_groups(ctx.platform, ctx.msg.sender_id)}
    reviewing = [d for d in await ctx.store.notices.deliveries(notice)
                 if d.group_key in mine and (g := ctx.directory.group(d.group_key)) is not None
                 and g.review and origin is not None and g.key != origin.key]
    if not reviewing:
        return ctx.reply(f"通知 {notice.code} 不需要您审核。")
    approved = await ctx.store.notices.approvals(notice)
    released = 0
    for d in reviewing:
        group = ctx.directory.group(d.group_key)
        if group is not None and group.key not in approved:
            freed = await notices.approve(ctx.services, notice, group, ctx.msg.sender_name, ctx.now)
            released += freed
            # Inside the message's transaction, so the entry commits with the approval.
            await ctx.store.audit.record(actor_of(ctx), "approve", notice.code,
                                             f"审核级「{group.name}」同意，放行 {freed} 个群", ctx.now)
    if released == 0 and all(d.group_key in approved for d in reviewing):
        return ctx.reply(f"通知 {notice.code} 已经审核通过了。")
    return ctx.reply(f"已同意通知 {notice.code}，继续下发到 {released} 个群。", edit=ctx.msg.tapped_message_id is not None)


@router.command("收到", "收到了", "/ack")
async def receipt(ctx: Ctx) -> Reply | list[Reply] | None:
    """``收到 N3``: an owner confirms their group received a notice. Plain 收到 is just chat."""
    # In a group only "收到 N3": "收到 1" there is chat. In private a bare "收到 3" is a code too.
    if notices.parse_code(ctx.args, "N", bare=not ctx.msg.is_group) is None:
        if _PLAIN_ACK.fullmatch(ctx.args) and ctx.role >= Role.OWNER:
            return await _plain_receipt(ctx)
        return None if ctx.msg.is_group else await private_fallback(ctx)
    if ctx.msg.is_group:
        if ctx.role < Role.OWNER:
            return None  # residents echoing "收到 N3" in a busy group get no reply
        groups = [ctx.group] if ctx.group else []
    else:
        # Only the groups they own: staff confirming "for" every village would fake receipts.
        groups = ctx.directory.groups_owned_by(ctx.platform, ctx.msg.sender_id)
        if not groups:
            return ctx.reply("只有群主需要确认收到通知（为自己负责的群确认）；指挥部可发送「回执 N3」查看各群确认情况。")
    found = await _notice(ctx, "收到 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    done = await notices.confirm_for(ctx.services, notice, [g for g in groups if g], ctx.msg.sender_name, ctx.now)
    if not done:
        return ctx.reply(f"通知 {notice.code} 已确认过，或没有发到您负责的群。", mention=ctx.msg.is_group)
    names = "、".join(done)
    return ctx.reply(f"已确认「{names}」收到通知 {notice.code}。", mention=ctx.msg.is_group)


#: What may follow a plain 收到: "收到！", "收到了，谢谢".
_PLAIN_ACK = re.compile(r"[\s了啦啊呀的,.!~，。！～]*(?:谢谢[\s!！。.]*)?")


async def _plain_receipt(ctx: Ctx) -> Reply | None:
    """An owner's 收到 without a code confirms what their groups have not confirmed yet.

    In a group it confirms for that group and the answer goes to the owner in private (the
    group has heard enough); a plain 收到 with nothing to confirm there stays chat.
    """
    owned = ctx.directory.groups_owned_by(ctx.platform, ctx.msg.sender_id)
    if ctx.msg.is_group:
        owned = [g for g in owned if ctx.group is not None and g.key == ctx.group.key]
    pending = await ctx.store.notices.unconfirmed([g.key for g in owned])
    if not pending:
        return None if ctx.msg.is_group else ctx.reply("您负责的群没有待确认的通知。查看通知回执请发送「回执」。")
    by_key = {g.key: g for g in owned}
    done: dict[str, list[str]] = {}
    for notice, key in pending:
        if await ctx.store.notices.confirm(notice, key, ctx.msg.sender_name, ctx.now):
            done.setdefault(notice.code, []).append(by_key[key].name)
    lines = [f"已确认收到：{code}（{'、'.join(names)}）" for code, names in done.items()]
    text = "\n".join(lines) + "\n（按编号单独确认请发送「收到 N3」；查看回执发送「回执」。）"
    return Reply(ChatRef.private(ctx.platform, ctx.msg.sender_id), text)


@router.command("回执", "/receipts", where="private", role=Role.OWNER)
async def receipts(ctx: Ctx) -> Reply:
    """Delivered / confirmed / failed per group, and when the last group received it.

    The whole report is for staff, the author and owners of the origin group or above it; an
    owner whose groups merely received the notice sees the lines of those groups only.
    """
    platform, user = ctx.platform, ctx.msg.sender_id
    if not ctx.args:
        recent = await notices.visible_notices(ctx.services, platform, user, 5)
        if not recent:
            return ctx.reply("还没有您发布的、或发到您负责的群的通知。")
        lines = ["最近的通知（回复「回执 编号」查看详情）："]
        lines += [f"{n.code} {n.created_at.astimezone(ctx.config.tz):%m-%d %H:%M} {n.text[:20]}"
                  for n in recent]
        return ctx.reply("\n".join(lines))
    found = await _notice(ctx, "回执 N3")
    if isinstance(found, Reply):
        return found
    notice, _ = found
    report = await notices.report(ctx.services, notice)
    if notices.may_see_all(ctx.services, platform, user, notice):
        return ctx.reply(notices.render_report(report, ctx.services))
    own = notices.own_deliveries(ctx.services, platform, user, report.deliveries)
    if not own:
        return ctx.reply(f"您不能查看通知 {notice.code} 的回执：它不是您发布的，也没有发到您负责的群。"
                         f"发送「回执」查看您能看的通知。")
    return ctx.reply(notices.render_own(report, ctx.services, own))


@router.command("定时", "/schedule", where="private", role=Role.OWNER)
async def schedule(ctx: Ctx) -> Reply:
    """``定时 每天 08:00 [目标组] [仅本群] 文本``."""
    if not ctx.args:
        return ctx.reply("请这样写：定时 每天 08:00 [群名] 通知内容（加「仅本群」则不下发到下级群）")
    try:
        spec, rest = split_spec(ctx.args)
        first_fire = next_fire(spec, ctx.config.tz, ctx.now)
    except SpecError as exc:
        return ctx.reply(str(exc))
    if first_fire is None:
        if one_off_at(spec, ctx.config.tz) is None:  # cron 0 8 31 2 *: February has no 31st
            return ctx.reply(f"「{spec}」永远不会到来（没有这样的日期），请检查日和月。")
        return ctx.reply(f"「{spec}」已经过去了，请写一个将来的时间。")
    target = _target(ctx, rest)
    if isinstance(target, str):
        return ctx.reply(target)
    group, text, subtree = target.group, ctx.verbatim(target.text), target.subtree
    if not text:
        return ctx.reply("请写上通知内容。")
    author = (ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)
    saved = await ctx.store.notices.add_schedule(group.key, subtree, spec, text, author, ctx.now)
    if ctx.scheduling is not None:
        ctx.scheduling.sync(saved)
    scope = "及下级群" if subtree else "（仅本群）"
    return ctx.reply(f"已设定时通知 {saved.code}：{spec} 发到「{group.name}」{scope}。"
                     f"下次发送：{first_fire:%Y-%m-%d %H:%M}。发送「取消定时 {saved.code}」可取消。")


@router.command("定时列表", "/schedules", where="private", role=Role.OWNER)
async def schedule_list(ctx: Ctx) -> Reply:
    """Schedules of the groups this person manages."""
    mine = {g.key for g in ctx.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)}
    rows = [s for s in await ctx.store.notices.schedules() if s.group_key in mine]
    if not rows:
        return ctx.reply("没有定时通知。设定方法：定时 每天 08:00 通知内容")
    lines = ["定时通知："]
    for s in rows:
        group = ctx.directory.group(s.group_key)
        nxt = next_fire(s.spec, ctx.config.tz, ctx.now)
        when = f"下次 {nxt:%m-%d %H:%M}" if nxt else "已过期"
        lines.append(f"{s.code} {s.spec}｜{group.name if group else s.group_key}"
                     f"{'' if s.subtree else '（仅本群）'}｜{when}｜{s.text[:20]}")
    return ctx.reply("\n".join(lines))


@router.command("取消定时", "/unschedule", where="private", role=Role.OWNER)
async def schedule_cancel(ctx: Ctx) -> Reply:
    """Cancel a schedule for good."""
    parsed = notices.parse_code(ctx.args, "S")
    if parsed is None or parsed[1]:
        return ctx.reply("请写上定时编号，例如：取消定时 S2（发送「定时列表」查看编号）")
    code = parsed[0]
    s = await ctx.store.notices.schedule(code)
    if s is None or s.cancelled:
        return ctx.reply(f"没有找到定时通知 {code}，或它已取消。")
    reachable = ctx.directory.reachable_groups(ctx.platform, ctx.msg.sender_id)
    if s.group_key not in {g.key for g in reachable}:
        return ctx.reply(f"{s.code} 不是您负责的群的定时通知。")
    await ctx.store.notices.cancel_schedule(s, ctx.now)
    cancelled = await ctx.store.notices.schedule(s.code)
    if ctx.scheduling is not None and cancelled is not None:
        ctx.scheduling.sync(cancelled)
    return ctx.reply(f"已取消定时通知 {s.code}。")
