"""Approved volunteers take errands (抢单 / 「我来」) and work them in private: 我的任务, 进展, 完成, 退回.

进展 and 完成 are the owners' commands too: a volunteer's go through the same ``owner.move``,
so the resident hears a volunteer's 完成 exactly as an owner's; anyone else is handed on to
the owners' handlers unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from bot import volunteers as vol
from bot import volunteers_dispatch as dispatch
from bot.directory import Role
from bot.dispatcher import Ctx, Handler, Router
from bot.lookup import find_ticket, split_code
from bot.message import ChatRef, Mention, Reply
from bot.store.volunteers import Volunteer
from bot.tickets import ASSIGNED, DONE, OPEN, Ticket
from handlers import owner

router = Router("volunteer_tasks")
TASK_LIMIT = 30
NOT_VOLUNTEER = "您还不是已通过审核的志愿者，不能接单。报名请私聊我发送「志愿者报名 姓名 电话 小分队」。"


async def approved(ctx: Ctx) -> Volunteer | None:
    """The sender's approved sign-up, if any."""
    v = await ctx.store.volunteers.of_user(ctx.platform, ctx.msg.sender_id)
    return v if v is not None and v.status == "approved" else None


async def _taken_answer(ctx: Ctx, t: Ticket, v: Volunteer) -> Reply:
    if t.is_final:
        return ctx.reply(f"{t.code} 已{t.status_label}，不用再接了，谢谢您！", mention=ctx.msg.is_group)
    holder = await ctx.store.volunteers.holder(t)
    if holder is not None and holder.id == v.id:
        return ctx.reply(f"{t.code} 已在您手上，办好后私聊我发送「完成 {t.code}」。", mention=ctx.msg.is_group)
    # An errand handed to a volunteer (指派) is theirs, though the owner who handed it is its handler.
    who = (t.assignee if t.status == ASSIGNED else "") or t.handler_name or "工作人员"
    return ctx.reply(f"{t.code} 已由 {who} 接单，谢谢您！请留意其他待接的单。", mention=ctx.msg.is_group)


@router.command("抢单", "/take", where="any")
async def claim(ctx: Ctx) -> Reply | list[Reply]:
    """The first approved volunteer to claim an open errand gets it; everyone hears who."""
    found = await find_ticket(ctx, "抢单 E12")
    if isinstance(found, Reply):
        return found
    t, _ = found
    v = await approved(ctx)
    if v is None:
        return ctx.reply(NOT_VOLUNTEER, mention=ctx.msg.is_group)
    team = vol.team_for(ctx.directory, t)
    if t.kind != "errand":
        return ctx.reply(f"{t.code} 不是代办工单，志愿者不能接。", mention=ctx.msg.is_group)
    if t.platform != v.platform:
        return ctx.reply(f"{t.code} 是另一个平台上的群的工单，请由那边的志愿者接单。", mention=ctx.msg.is_group)
    if t.status != OPEN or not await ctx.store.volunteers.claim(t, v, ctx.now):
        now_t = await ctx.store.tickets.get(t.code)
        return await _taken_answer(ctx, now_t or t, v)
    taken = await ctx.store.tickets.get(t.code)
    assert taken is not None
    card = vol.taken_card(taken, v.name)
    replies: list[Reply] = []
    if ctx.msg.tapped_message_id is not None:
        replies.append(ctx.reply(card, edit=True))  # the card itself now says who took it
    elif team is not None and (group := ctx.directory.group(team.group)) is not None:
        replies.append(Reply(ChatRef(group.platform, group.chat_id), card))
    return replies + await dispatch.claimed(ctx.services, taken, v)


async def _held(ctx: Ctx, usage: str) -> tuple[Ticket, str, Volunteer] | Reply | None:
    """The ticket a volunteer names and holds; None when the sender is to be served as an owner."""
    v = await approved(ctx)
    if v is None:
        return None
    found = await find_ticket(ctx, usage)
    if isinstance(found, Reply):
        return found
    t, rest = found
    holder = await ctx.store.volunteers.holder(t)
    if holder is not None and holder.id == v.id:
        return t, rest, v
    if ctx.directory.may_act_on(ctx.platform, ctx.msg.sender_id, t.group_key, t.grid_key, t.kind):
        return None  # an owner who also volunteers acts on their group's tickets as an owner
    return ctx.reply(f"{t.code} 不是交给您的任务，不能处理。发送「我的任务」查看您手上的工单。")


async def _as_owner(ctx: Ctx, handler: Handler) -> Reply | list[Reply]:
    if ctx.role < Role.GRID:
        return ctx.reply(f"「{ctx.command}」只有群主（社区工作人员）、网格员和接了单的志愿者可以使用。"
                         "志愿者请先接单（抢单 编号），发送「帮助」查看您可用的指令。")
    result = await handler(ctx)
    return [] if result is None else [result] if isinstance(result, Reply) else list(result)


def _as_volunteer(ctx: Ctx, v: Volunteer) -> Ctx:
    """The same message, acted on under the volunteer's registered name (history, cards)."""
    return replace(ctx, msg=replace(ctx.msg, sender_name=v.name))


async def _volunteer_move(ctx: Ctx, t: Ticket, v: Volunteer, *, action: str, to_status: str | None,
                          note: str, headline: str, owners_hear: str) -> list[Reply]:
    replies = await owner.move(_as_volunteer(ctx, v), t, action=action, to_status=to_status, note=note,
                               headline=headline)
    if len(replies) == 1:  # refused (already done): the answer only
        return replies
    # The owners' card (with owners' buttons) is replaced by a plain confirmation for the volunteer.
    return [ctx.reply(headline), *replies[1:],
            *(Reply(chat, owners_hear) for chat in vol.owner_chats(ctx.directory, t))]


async def _in_group(ctx: Ctx) -> Reply | None:
    """In a group, a manager's or volunteer's 完成 E12 is pointed to private chat; others' is chat."""
    code, rest = split_code(ctx.args)
    if code is None or (ctx.role < Role.GRID and await approved(ctx) is None):
        return None
    more = " …" if rest else ""  # only the command and its code: the rest may be a private note
    return ctx.reply(f"管理指令请私聊我发送，例如「{ctx.command} {code}{more}」。", mention=True)


async def _volunteer_turn(ctx: Ctx, usage: str, as_owner: Handler,
                          ) -> tuple[Ticket, str, Volunteer] | Reply | list[Reply] | None:
    """For a command owners share: the ticket a volunteer holds, else the whole answer (a hint in
    a group, the owners' handler for owners, a refusal)."""
    if ctx.msg.is_group:
        return await _in_group(ctx)
    held = await _held(ctx, usage)
    if held is None:
        return await _as_owner(ctx, as_owner)
    return held


@router.command("完成", "办结", "/done", where="any", priority=1)
async def done(ctx: Ctx) -> Reply | list[Reply] | None:
    """A volunteer closes the errand they hold; the resident hears it as from an owner."""
    held = await _volunteer_turn(ctx, "完成 E12 [说明]", owner.done)
    if not isinstance(held, tuple):
        return held
    t, note, v = held
    said = f"：{note}" if note else ""
    return await _volunteer_move(ctx, t, v, action="done", to_status=DONE, note=note,
                                 headline=f"{t.code} 已完成，辛苦了！已告知居民。",
                                 owners_hear=f"志愿者 {v.name} 已完成 {t.code}{said}")


@router.command("进展", "/progress", where="any", priority=1)
async def progress(ctx: Ctx) -> Reply | list[Reply] | None:
    """A volunteer's progress note, read by the resident in the group."""
    held = await _volunteer_turn(ctx, "进展 E12 药已买到，下午送达", owner.progress_note)
    if not isinstance(held, tuple):
        return held
    t, note, v = held
    if not note:
        return ctx.reply(f"请写上进展说明，例如：进展 {t.code} 药已买到，下午送达")
    return await _volunteer_move(ctx, t, v, action="progress", to_status=None, note=note,
                                 headline=f"已把 {t.code} 的进展告知居民。",
                                 owners_hear=f"志愿者 {v.name} 更新了 {t.code} 的进展：{note}")


@router.command("退回", where="private")
async def give_back(ctx: Ctx) -> Reply | list[Reply]:
    """A volunteer who cannot do an errand gives it back: it is posted again and the owners told."""
    held = await _held(ctx, "退回 E12 原因")
    if held is None:
        return ctx.reply("「退回」是志愿者交还自己接的工单用的。群主请用「指派 编号 姓名」改派或「驳回 编号 原因」。")
    if isinstance(held, Reply):
        return held
    t, reason, v = held
    if not reason:
        return ctx.reply(f"退回请写明原因（只告诉群主），例如：退回 {t.code} 临时要值班，去不了")
    if t.is_final:
        return ctx.reply(f"{t.code} 已{t.status_label}，不能退回。")
    await ctx.store.volunteers.give_back(t, reason, ctx.now)
    reopened = await ctx.store.tickets.get(t.code)
    assert reopened is not None
    again = await dispatch.post(ctx.services, reopened, ctx.now)
    where = "，已重新发到志愿者群" if again else ""
    chat = ChatRef(t.platform, t.chat_id)
    resident = Reply(chat, f"您的工单 {t.code} 原定的志愿者临时有事，正在重新安排，请稍候。",
                     () if chat.is_private else (Mention(t.requester_id, t.requester_name),))
    owners = [Reply(c, f"志愿者 {v.name} 退回了 {t.code}：{reason}{where}。") for c in vol.owner_chats(ctx.directory, t)]
    return [ctx.reply(f"已退回 {t.code}，谢谢您告知。"), *again, resident, *owners]


@router.command("我的任务", where="private", alone=True)
async def my_tasks(ctx: Ctx) -> Reply:
    """The unfinished tickets an approved volunteer holds."""
    v = await approved(ctx)
    if v is None:
        return ctx.reply("「我的任务」是给已通过审核的志愿者用的。报名请发送「志愿者报名 姓名 电话 小分队」。")
    tasks = await ctx.store.volunteers.tasks(v, TASK_LIMIT + 1)
    if not tasks:
        return ctx.reply("您手上没有未完成的任务。新的代办会发到志愿者群，点「我来」或回复「抢单 编号」接单。")
    lines = [f"您手上的任务（{len(tasks[:TASK_LIMIT])} 张{'以上' if len(tasks) > TASK_LIMIT else ''}）："]
    lines += [vol.line(t) for t in tasks[:TASK_LIMIT]]
    lines.append(vol.VOLUNTEER_HELP)
    return ctx.reply("\n".join(lines))
