"""Real-name join (实名制, 群主审核): greet newcomers, take 实名, owners approve or reject.

Someone joins a group (or, on Telegram, asks to join one that uses join requests): the bot
greets them with how to register. ``实名 <姓名> <地址>`` (in the group or in private) files
a registration ``J12``; the group's owners get a card in private with one-tap 批准 / 拒绝.
Approval links the person to the household at that address (``批准 J12 新建`` creates it);
on Telegram a pending join request is approved or declined with the decision. Nothing about
the address or the reason for a rejection is said in the group.
"""

from __future__ import annotations

import re

from bot import registration
from bot.address import Address, find_address, normalise_address
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Button, ChatRef, JoinDecision, Mention, Reply
from bot.store.households import HouseholdData, Member
from bot.text import one_line
from handlers.audit import actor_of

router = Router("join")

HOW_TO = "实名 张三 3栋2单元501（农村写 实名 张三 李家村3组12号）"
_CODE = re.compile(r"^[Jj]\s*(\d{1,9})\s*(.*)$", re.S)


def greeting(group: GroupConfig, name: str) -> str:
    """What a newcomer reads: welcome, and how to register by real name."""
    return (f"欢迎 {name} 加入「{group.name}」！本群实行实名制，请发送「实名 姓名 地址」登记，"
            f"例如：{HOW_TO}。群主审核后即可使用全部服务（也可以私聊我发送，地址不会公开）。")


@router.fallback(where="any", priority=50)
async def joined(ctx: Ctx) -> Reply | list[Reply] | None:
    """A join event: remember the person and greet them (requests are greeted in private)."""
    if ctx.msg.kind not in ("join", "join_request") or ctx.group is None:
        return None
    group, msg = ctx.group, ctx.msg
    request = msg.kind == "join_request"
    reply_chat = msg.reply_chat.chat_id if msg.reply_chat else ""
    member, new = await ctx.store.members.joined(
        ctx.platform, msg.sender_id, group.key, msg.sender_name, ctx.now, via_request=request,
        reply_chat=reply_chat)
    if member.status == "approved" and not request:
        return Reply(msg.chat, f"欢迎 {msg.sender_name} 入群（已实名登记）。",
                     (Mention(msg.sender_id, msg.sender_name),))
    if not new and not request:
        return []  # greeted when first seen; the reminder job follows up once
    if request:
        if msg.reply_chat is None:
            return []
        return Reply(msg.reply_chat,
                     f"您申请加入「{group.name}」。本群实行实名制：请回复「实名 姓名 地址」，"
                     f"例如：{HOW_TO}。群主审核通过后即可入群。")
    return Reply(msg.chat, greeting(group, msg.sender_name), (Mention(msg.sender_id, msg.sender_name),))


@router.command("实名", "实名登记", "/register")
async def register(ctx: Ctx) -> Reply | list[Reply]:
    """``实名 张三 3-2-501``: file a registration for the group's owners to approve."""
    group = ctx.group or await _home_group(ctx)
    if group is None:
        return ctx.reply("我还不知道您要登记到哪个群。请在您所在的小区/村群里发送「实名 姓名 地址」，"
                         "或先申请入群。")
    name, address_text = _split(ctx.args)
    where = "（请私聊我发送，地址不会公开）" if ctx.msg.is_group else ""
    if not name or not address_text:
        return ctx.reply(f"请写上姓名和地址，例如：{HOW_TO}{where}", mention=ctx.msg.is_group)
    address = normalise_address(address_text) or _found(address_text)
    if address is None:
        shown = "" if ctx.msg.is_group else f"「{one_line(address_text, 30)}」"
        return ctx.reply(f"没看懂地址{shown}。请写成 楼栋-单元-门牌，例如：{HOW_TO}",
                         mention=ctx.msg.is_group)
    member = await ctx.store.members.find(ctx.platform, ctx.msg.sender_id, group.key)
    if member is None:  # in the group since before the bot: no join event was seen
        member, _ = await ctx.store.members.joined(ctx.platform, ctx.msg.sender_id, group.key,
                                                    ctx.msg.sender_name, ctx.now)
    if member.status == "approved":
        return ctx.reply("您已经完成实名登记，无需重复登记。如地址有变，请联系群主。",
                         mention=ctx.msg.is_group)
    home = await ctx.store.households.find(group.key, address.key)
    member = await ctx.store.members.register(member, name, address.key, address.display,
                                              home.id if home else None, ctx.now)
    cards = [Reply(chat, await registration.card(ctx.store, member, group, home),
                   buttons=tuple(_decision_buttons(member, home is None)))
             for chat in ctx.directory.owner_chats(group)]
    told = f"已收到您的实名登记（{member.code}），等待「{group.name}」群主审核。"
    return [ctx.reply(told, mention=ctx.msg.is_group), *cards]


def _decision_buttons(member: Member, no_household: bool) -> list[Button]:
    approve = [Button("批准并新建住户", f"批准 {member.code} 新建")] if no_household else [
        Button("批准", f"批准 {member.code}")]
    return [*approve, Button("拒绝", f"拒绝 {member.code}")]


@router.command("批准", "/approve_member", where="private", role=Role.OWNER)
async def approve(ctx: Ctx) -> Reply | list[Reply]:
    """``批准 J12 [新建]``: link the person to the household (create it with 新建)."""
    found = await _managed_registration(ctx, "批准 J12（地址不在住户册时：批准 J12 新建）")
    if isinstance(found, Reply):
        return found
    member, group, rest = found
    home = await ctx.store.households.find(group.key, member.address_key)
    if home is None:
        if rest.strip() != "新建":
            return ctx.reply(f"住户册中没有「{member.address}」。确认这一户存在就发送「批准 {member.code} 新建」"
                             f"（同时建立住户，户主记为 {member.real_name}）；地址有误请发送「拒绝 {member.code} 地址有误」。",
                             buttons=[Button("批准并新建住户", f"批准 {member.code} 新建")])
        home, _ = await ctx.store.households.save(
            HouseholdData(group.key, member.address_key, member.address, head=member.real_name), ctx.now)
    member = await ctx.store.members.decide(member, approve=True, household_id=home.id,
                                            who=ctx.msg.sender_name, reason="", now=ctx.now)
    await ctx.store.audit.record(actor_of(ctx), "member_approve", member.code,
                                 f"{group.name} {member.real_name} {member.address}", ctx.now)
    out = [ctx.reply(f"已批准 {member.code}：{member.real_name} 登记为「{group.name}」{member.address} 住户。")]
    out += _tell(member, group, f"{member.real_name}，您的实名登记已通过，欢迎！", approve=True)
    return out


@router.command("拒绝", "/reject_member", where="private", role=Role.OWNER)
async def reject(ctx: Ctx) -> Reply | list[Reply]:
    """``拒绝 J12 [原因]``: the person hears why, in private only."""
    found = await _managed_registration(ctx, "拒绝 J12 原因，例如：拒绝 J12 地址不符")
    if isinstance(found, Reply):
        return found
    member, group, reason = found
    reason = one_line(reason, 200) or "未说明原因"
    member = await ctx.store.members.decide(member, approve=False, household_id=None,
                                            who=ctx.msg.sender_name, reason=reason, now=ctx.now)
    await ctx.store.audit.record(actor_of(ctx), "member_reject", member.code,
                                 f"{group.name} {member.real_name}：{reason}", ctx.now)
    out = [ctx.reply(f"已拒绝 {member.code}（{member.real_name}）：{reason}。")]
    out += _tell(member, group, f"您在「{group.name}」的实名登记未通过：{reason}。"
                                f"如有疑问请联系群主，核对后可重新发送「实名 姓名 地址」。", approve=False)
    return out


@router.command("未登记", "待审核", "/unregistered", where="private", role=Role.OWNER, alone=True)
async def unregistered(ctx: Ctx) -> Reply:
    """Registrations waiting for a decision, and members who never registered."""
    groups = ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id)
    return ctx.reply(await registration.waiting(ctx.store, groups, ctx.config.tz))


def _tell(member: Member, group: GroupConfig, text: str, *, approve: bool) -> list[Reply]:
    """The person hears the decision: a join request is decided on the platform too."""
    if member.via_request:
        decision = JoinDecision(member.user_id, approve, member.real_name or member.name)
        out = [Reply(ChatRef(group.platform, group.chat_id), "", action=decision)]
        if (chat := registration.request_chat(member, group.platform)) is not None:
            out.append(Reply(chat, text))
        return out
    if approve:
        return [Reply(ChatRef(group.platform, group.chat_id), text,
                      (Mention(member.user_id, member.name),))]
    # The reason stays private; the group only hears that there is something to check.
    return [Reply(ChatRef.private(group.platform, member.user_id), text),
            Reply(ChatRef(group.platform, group.chat_id), "您的实名登记需要核对，请查看我的私聊消息或联系群主。",
                  (Mention(member.user_id, member.name),))]


async def _managed_registration(ctx: Ctx, usage: str) -> tuple[Member, GroupConfig, str] | Reply:
    match = _CODE.match(ctx.args)
    if match is None:
        return ctx.reply(f"请写上登记编号，例如：{usage}。发送「未登记」查看待审核的登记。")
    member = await ctx.store.members.get(int(match.group(1)))
    group = ctx.directory.group(member.group_key) if member else None
    if member is None or group is None or not ctx.directory.may_manage(
            ctx.platform, ctx.msg.sender_id, group.key):
        return ctx.reply(f"没有找到您可以审核的登记 J{match.group(1)}。发送「未登记」查看待审核的登记。")
    if member.status != "pending":
        state = {"approved": "已批准", "rejected": "已拒绝", "joined": "还没有提交实名"}[member.status]
        return ctx.reply(f"{member.code} {state}，无需再审核。")
    return member, group, match.group(2)


def _split(args: str) -> tuple[str, str]:
    """``张三 3-2-501`` → (name, address text); the name is the first word."""
    parts = args.replace("，", " ").replace(",", " ").split(maxsplit=1)
    if len(parts) < 2:
        return (parts[0] if parts else ""), ""
    return parts[0][:20], parts[1].strip()


def _found(text: str) -> Address | None:
    hit = find_address(text)
    return hit[0] if hit else None


async def _home_group(ctx: Ctx) -> GroupConfig | None:
    """In private: the one group the person is known in (joined, requested or posted)."""
    members = await ctx.store.members.of_person(ctx.platform, ctx.msg.sender_id)
    groups = [ctx.directory.group(m.group_key) for m in members if m.status != "approved"]
    known = [g for g in groups if g is not None]
    if known:
        return known[0]
    chats = await ctx.store.messages.group_chats_of(ctx.platform, ctx.msg.sender_id)
    posted = [ctx.directory.group_for(ChatRef(ctx.platform, c)) for c in chats]
    return next((g for g in posted if g is not None), None)
