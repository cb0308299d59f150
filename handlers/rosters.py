"""Checkpoint duty rosters in chat: ``排班`` view, ``到岗`` check-in, ``换班`` and its one-tap answer."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import rosters
from bot.config.checkpoints import CheckpointConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Button, ChatRef, Reply
from bot.rosters_checkin import Found, find_duty
from bot.store.rosters import Duty
from bot.text import one_line

router = Router("rosters")

_SWAP_ANSWER = re.compile(r"(\d{1,9})")


def _today(ctx: Ctx) -> date:
    return rosters.local_day(ctx.now, ctx.config.tz)


def _cp(ctx: Ctx, key: str) -> CheckpointConfig:
    found = rosters.checkpoint_named(ctx.config, key)
    assert found is not None  # duties are only made for configured checkpoints
    return found


def _lead_chats(ctx: Ctx, cp: CheckpointConfig) -> list[ChatRef]:
    group = ctx.directory.group(cp.group)
    return [ChatRef.private(group.platform, lead) for lead in cp.leads] if group else []


@router.command("排班", "/roster", where="private")
async def roster(ctx: Ctx) -> Reply:
    """One day's roster (today by default) of one checkpoint or all, with who checked in."""
    if not ctx.config.checkpoints:
        return ctx.reply("还没有配置卡点。请在 bot.toml 里写 [[checkpoints]]，或用 gridbot roster import 导入排班。")
    day, cps = _today(ctx), list(ctx.config.checkpoints)
    for word in ctx.args.split():
        when = rosters.parse_day(word, _today(ctx))
        cp = rosters.checkpoint_named(ctx.config, word)
        if when is not None:
            day = when
        elif cp is not None:
            cps = [cp]
        else:
            return ctx.reply(f"看不懂「{one_line(word, 20)}」：请写卡点名或日期，例如：排班 北门卡点 明天。"
                             f"现有卡点：{rosters.checkpoint_list(ctx.config)}；{rosters.DAY_HINT}。")
    if not await _may_view(ctx, cps):
        return ctx.reply("排班表只给卡点负责人、群主和排班表上的人员查看。")
    if day >= _today(ctx):
        await rosters.ensure_days(ctx.store, ctx.config, (day,))
    duties = await ctx.store.rosters.on_day(day.isoformat(), [cp.key for cp in cps])
    if not duties:
        which = cps[0].name if len(cps) == 1 else "各卡点"
        return ctx.reply(f"{day.isoformat()} {which}没有排班。")
    return ctx.reply(rosters.roster_text(ctx.config, day, duties, ctx.now))


async def _may_view(ctx: Ctx, cps: list[CheckpointConfig]) -> bool:
    if ctx.role >= Role.GRID or any(ctx.msg.sender_id in cp.leads for cp in cps):
        return True
    upcoming = await ctx.store.rosters.of_person(ctx.platform, ctx.msg.sender_id,
                                                 ctx.now + timedelta(days=366), ctx.now - timedelta(days=1))
    return bool(upcoming)


@router.command("到岗", "/checkin", where="any")
async def check_in(ctx: Ctx) -> Reply | list[Reply]:
    """Check in at a checkpoint for the current shift (identifying the person the first time)."""
    words = ctx.args.split()
    if not words:
        return ctx.reply(f"请写上卡点名，例如：到岗 北门卡点。现有卡点：{rosters.checkpoint_list(ctx.config)}",
                         mention=ctx.msg.is_group)
    cp = rosters.checkpoint_named(ctx.config, words[0])
    if cp is None:
        return ctx.reply(f"没有「{one_line(words[0], 20)}」这个卡点。现有卡点：{rosters.checkpoint_list(ctx.config)}。"
                         f"例如：到岗 {ctx.config.checkpoints[0].name if ctx.config.checkpoints else '北门卡点'}",
                         mention=ctx.msg.is_group)
    today = _today(ctx)
    await rosters.ensure_days(ctx.store, ctx.config, (today - timedelta(days=1), today))
    name = " ".join(words[1:]) or ctx.msg.sender_name
    found = await find_duty(ctx.store, ctx.config, cp, ctx.platform, ctx.msg.sender_id, name, ctx.now)
    if isinstance(found, str):
        return ctx.reply(found, mention=ctx.msg.is_group)
    return await _checked_in(ctx, cp, found)


async def _checked_in(ctx: Ctx, cp: CheckpointConfig, found: Found) -> list[Reply]:
    duty, tz = found.duty, ctx.config.tz
    if not await ctx.store.rosters.check_in(duty, ctx.now):
        at = duty.checked_in_at.astimezone(tz) if duty.checked_in_at else ctx.now.astimezone(tz)
        return [ctx.reply(f"您已于 {at:%H:%M} 在「{cp.name}」到岗，不用重复签到。", mention=ctx.msg.is_group)]
    who = f"已确认您就是排班表上的 {duty.name}，以后会在开班前提醒您。" if found.identified else ""
    out = [ctx.reply(f"{who}已到岗：「{cp.name}」{duty.shift.name}（{duty.shift.hours}），"
                     f"{ctx.now.astimezone(tz):%H:%M}。辛苦了！", mention=ctx.msg.is_group)]
    if duty.alerted_at is not None:  # the lead was told they were missing: now they are not
        text = f"【已到岗】「{cp.name}」{duty.shift.name}（{duty.shift.hours}）{duty.name} 已于 {ctx.now.astimezone(tz):%H:%M} 到岗。"
        out += [Reply(chat, text) for chat in _lead_chats(ctx, cp)]
    return out


@router.command("换班", "/swap", where="private")
async def swap(ctx: Ctx) -> Reply | list[Reply]:
    """Ask another rostered person to take one of the sender's shifts; they accept with one tap."""
    usage = "请这样写：换班 日期 班次 对方姓名，例如：换班 11-27 早班 赵六（班次也可写开始时间 08:00）"
    words = ctx.args.split()
    if len(words) != 3:
        return ctx.reply(usage)
    day = rosters.parse_day(words[0], _today(ctx))
    if day is None:
        return ctx.reply(f"「{one_line(words[0], 20)}」不是日期，{rosters.DAY_HINT}。{usage}")
    shift_word, to_name = words[1], words[2]
    if day >= _today(ctx):  # a day the roster job has not reached yet: its fixed shifts too
        await rosters.ensure_days(ctx.store, ctx.config, (day,))
    mine = [d for d in await ctx.store.rosters.on_day(day.isoformat())
            if d.platform == ctx.platform and d.user_id == ctx.msg.sender_id]
    duty = next((d for d in mine if shift_word in (d.shift.name, d.shift.start_hm, d.shift.hours)), None)
    if duty is None:
        have = "、".join(f"{_cp(ctx, d.shift.checkpoint).name} {d.shift.name}（{d.shift.hours}）" for d in mine)
        return ctx.reply(f"您 {day.isoformat()} 没有「{one_line(shift_word, 20)}」这个班。"
                         + (f"您那天的班：{have}。" if have else "您那天没有排班（第一次到岗确认身份后才能换班）。"))
    if ctx.now >= duty.shift.start_at:
        return ctx.reply("这个班已经开始了，不能再换班，请直接联系卡点负责人。")
    if to_name == duty.name:
        return ctx.reply("不能和自己换班，请写对方的姓名。")
    theirs = await ctx.store.rosters.named(duty.platform, to_name, _today(ctx).isoformat())
    if not theirs:
        return ctx.reply(f"「{one_line(to_name, 20)}」不在排班表上，不能换给他/她。只能和排班表上的人换班；"
                         "临时找来的人，请卡点负责人先把他/她加进排班（gridbot roster import）。")
    busy = _overlapping(ctx, duty, theirs)
    if busy is not None:
        return ctx.reply(busy)
    to_user = next((d.user_id for d in theirs if d.user_id), "") or await ctx.store.rosters.person(duty.platform, to_name)
    if not to_user:
        return ctx.reply(f"{to_name} 还没有在机器人上确认过身份（第一次到岗时确认），收不到换班请求。"
                         "请当面或电话商量后，请卡点负责人调整排班。")
    asked = await ctx.store.rosters.ask_swap(duty, to_name, to_user, ctx.now)
    cp = _cp(ctx, duty.shift.checkpoint)
    question = (f"【换班请求】{duty.name} 请您替他/她值 {day.isoformat()}「{cp.name}」{duty.shift.name}"
                f"（{duty.shift.hours}）的班。同意请点「同意换班」（或回复「同意换班 {asked.id}」）。")
    buttons = (Button("同意换班", f"同意换班 {asked.id}"), Button("不同意", f"拒绝换班 {asked.id}"))
    return [ctx.reply(f"已请 {to_name} 确认替您值 {day.isoformat()} {duty.shift.name}，对方同意后会通知您。"),
            Reply(ChatRef.private(duty.platform, to_user), question, buttons=buttons)]


@router.command("同意换班", "拒绝换班", where="private")
async def answer_swap(ctx: Ctx) -> Reply | list[Reply]:
    """Accept or decline a swap asked of the sender."""
    accept = ctx.command == "同意换班"
    m = _SWAP_ANSWER.fullmatch(ctx.args)
    asked = await ctx.store.rosters.swap(int(m[1])) if m else None
    if asked is None or asked.to_user != ctx.msg.sender_id:
        return ctx.reply(f"没有找到给您的换班请求「{one_line(ctx.args, 20)}」。请点换班请求下面的按钮，"
                         f"或照请求里写的回复，例如：{ctx.command} 3")
    duty = await ctx.store.rosters.duty(asked.duty_id)
    if asked.status != "pending" or duty is None or duty.user_id != asked.from_user:
        return ctx.reply("这个换班请求已经处理过或已失效，不用再回复。", edit=True)
    if ctx.now >= duty.shift.start_at:
        return ctx.reply("这个班已经开始，换班请求已失效，请直接联系卡点负责人。", edit=True)
    busy = _overlapping(ctx, duty, await ctx.store.rosters.named(duty.platform, asked.to_name, duty.shift.day))
    if accept and busy is not None:
        return ctx.reply(busy, edit=True)
    if not await ctx.store.rosters.decide_swap(asked, accept, ctx.now):
        return ctx.reply("这个换班请求已经处理过了。", edit=True)
    return _swap_told(ctx, duty, asked.to_name, accept)


def _overlapping(ctx: Ctx, duty: Duty, theirs: list[Duty]) -> str | None:
    """Why the other person cannot take ``duty``: already on it, or on duty elsewhere then."""
    s = duty.shift
    for d in theirs:
        if d.shift.id == s.id:
            return f"{d.name} 已经在这个班上了，请换给其他人。"
        if d.shift.start_at < s.end_at and d.shift.end_at > s.start_at:
            return (f"{d.name} 那时已在「{_cp(ctx, d.shift.checkpoint).name}」值 {d.shift.day} {d.shift.name}"
                    f"（{d.shift.hours}），时间冲突，请换给其他人。")
    return None


def _swap_told(ctx: Ctx, duty: Duty, to_name: str, accept: bool) -> list[Reply]:
    cp, s = _cp(ctx, duty.shift.checkpoint), duty.shift
    what = f"{s.day}「{cp.name}」{s.name}（{s.hours}）"
    requester = ChatRef.private(duty.platform, duty.user_id)
    if not accept:
        return [ctx.reply(f"已拒绝替 {duty.name} 值 {what}。", edit=True),
                Reply(requester, f"{to_name} 没有同意替您值 {what}，请另找他人或联系卡点负责人。")]
    out = [ctx.reply(f"已同意换班：{what}由您值班，开班前会提醒您。到岗后回复「到岗 {cp.name}」。", edit=True),
           Reply(requester, f"{to_name} 已同意替您值 {what}，这个班您不用去了。")]
    text = f"【换班】{what}：{duty.name} → {to_name}（双方已确认）。"
    return out + [Reply(chat, text) for chat in _lead_chats(ctx, cp)]
