"""Owners and staff manage their groups' tickets in private chat; residents hear back in the group."""

from __future__ import annotations

import re

from bot import render, volunteers_assign
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.kinds import REGISTRY, by_filter_word, kind_of
from bot.lookup import find_managed_ticket
from bot.message import ChatRef, Mention, Reply
from bot.text import one_line
from bot.tickets import ACCEPTED, ASSIGNED, DONE, REJECTED, Ticket, can_move, cap_text
from handlers import rumor_reports

router = Router("owner")

LIST_LIMIT = 30
#: 待办 [类别|群名] 下一页 E12 (the code may be left out: then the reply says how to write it).
NEXT_PAGE = re.compile(r"(.*?)\s*下一页\s*([A-Za-z]+\d+)?\s*")
#: A volunteer is named with a phone number at most, not a letter.
NAME_LIMIT = 40


def group_notice(t: Ticket, action: str, note: str = "") -> Reply:
    """The notice to the resident about a ticket: in its group @-mentioning them, or in
    private when they filed it there."""
    chat = ChatRef(t.platform, t.chat_id)
    if chat.is_private:
        return Reply(chat, render.status_notice(t, action, note, private=True))
    return Reply(chat, render.status_notice(t, action, note),
                 (Mention(t.requester_id, t.requester_name),))


def updated_card(ctx: Ctx, t: Ticket, headline: str) -> Reply:
    """The owner's confirmation; after a button tap it replaces the tapped card."""
    return ctx.reply(f"{headline}\n{render.summary(t)}", buttons=render.owner_buttons(t),
                     edit=ctx.msg.tapped_message_id is not None)


async def move(
    ctx: Ctx, t: Ticket, *, action: str, to_status: str | None, note: str = "",
    notify: bool = True, headline: str, fields: dict[str, str] | None = None,
) -> list[Reply]:
    """Apply one owner action: check the move, record it, tell the owner and the group."""
    if to_status is not None:
        why = can_move(t, to_status)
        if why:
            return [ctx.reply(why, edit=False)]
    elif t.is_final:
        return [ctx.reply(f"{t.code} 已是「{t.status_label}」状态，不能再更改。")]
    note = cap_text(note)  # a note is read in the group and in every card: never a megabyte
    fields = dict(fields or {})
    if to_status is not None and not t.handler_id:  # whoever acts first handles it, 接单 or not
        fields.setdefault("handler_id", ctx.msg.sender_id)
        fields.setdefault("handler_name", ctx.msg.sender_name)
    updated = await ctx.store.tickets.update(
        t, now=ctx.now, actor_id=ctx.msg.sender_id, actor_name=ctx.msg.sender_name,
        action=action, to_status=to_status, note=note, **fields,
    )
    replies = [updated_card(ctx, updated, headline)]
    if notify:
        notice = group_notice(updated, action, note)
        replies.append(notice)
        if updated.kind == "rumor" and action == "reject":
            # Reports of one claim from other groups joined this ticket: they hear it too, once.
            replies += await rumor_reports.tell_other_groups(ctx, updated, notice.text)
    if updated.is_final:
        replies += await _tell_volunteer(ctx, updated, note)
    return replies


async def _tell_volunteer(ctx: Ctx, t: Ticket, note: str) -> list[Reply]:
    """A volunteer holding an errand someone else closed hears it, so they do not go for nothing."""
    holder = await ctx.store.volunteers.holder(t)
    if holder is None or (holder.platform, holder.user_id) == (ctx.platform, ctx.msg.sender_id):
        return []
    why = f"，原因：{note}" if t.status == REJECTED and note else ""
    return [Reply(ChatRef.private(holder.platform, holder.user_id),
                  f"您接的 {t.code} 已由 {ctx.msg.sender_name} 处理（{t.status_label}{why}），不用再去办了。谢谢您！")]


@router.command("待办", "工单列表", "/todo", where="private", role=Role.GRID)
async def todo(ctx: Ctx) -> Reply:
    """Open tickets of the groups this person manages, urgent first, a page at a time."""
    groups = ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id)
    after: Ticket | None = None
    paged = NEXT_PAGE.fullmatch(ctx.args)
    if paged:  # 待办 [类别|群名] 下一页 E12: the page after the ticket a page ended with
        ctx.args = paged.group(1).strip()
        after = await ctx.store.tickets.get(paged.group(2).upper()) if paged.group(2) else None
        if after is None:
            return ctx.reply("「下一页」后面要写上一页最后一张工单的编号，例：待办 下一页 E12"
                             "（上一页末尾有现成的写法）。")
    if ctx.args in ("全部", "所有", "all"):
        ctx.args = ""
    declared = by_filter_word(ctx.args)
    kind = declared.key if declared else None
    title = "未办结工单"
    if ctx.args and kind is None:
        group = ctx.directory.find(ctx.args)
        if group is None or group not in groups:
            return ctx.reply(f"「{one_line(ctx.args, 20)}」既不是工单类别也不是您负责的群。"
                             f"可以写：待办、{'、'.join(f'待办 {k.filter_words[0]}' for k in REGISTRY)}，或 待办 群名。")
        groups, title = [group], f"{group.name} 未办结工单"
    elif kind:
        title = f"未办结的{kind_of(kind).label}工单"
    keys = [g.key for g in groups]
    # Keyset pages: one index range of LIST_LIMIT + 1 rows, however many tickets are open.
    page = await ctx.store.tickets.list(groups=keys, kind=kind, open_only=True, after=after,
                                        limit=LIST_LIMIT + 1)
    total = await ctx.store.tickets.count_open(keys, kind)
    left = await ctx.store.tickets.count_open(keys, kind, after) if after else total
    if not (ctx.args and kind is None):  # not narrowed to one group
        extra = await _narrow_tickets(ctx, kind, exclude=set(keys))
        later = [t for t in extra if after is None or _order(t) > _order(after)]
        total, left = total + len(extra), left + len(later)
        page = sorted(page + later, key=_order)[:LIST_LIMIT + 1]
    if not page:
        return ctx.reply(f"{title}：{'后面' if after else ''}没有了，辛苦了！")
    shown = page[:LIST_LIMIT]
    head = f"{title}（{total} 张）：" if after is None else f"{title}（共 {total} 张，{after.code} 之后 {left} 张）："
    lines = [head] + [render.summary(t) for t in shown]
    if left > len(shown):
        more = f"待办 {ctx.args + ' ' if ctx.args else ''}下一页 {shown[-1].code}"
        lines.append(f"……还有 {left - len(shown)} 张，回复「{more}」看下一页，"
                     "或用「待办 群名」「待办 类别」缩小范围。")
    lines.append("回复「详情 编号」查看，「接单 编号」接单。")
    return ctx.reply("\n".join(lines))


def _order(t: Ticket) -> tuple[bool, int]:
    """待办's order, the store's keyset: urgent first, then as filed."""
    return (t.priority != "urgent", t.id)


async def _narrow_tickets(ctx: Ctx, kind: str | None, exclude: set[str]) -> list[Ticket]:
    """Open tickets outside the groups this person manages that they may still act on: their
    grids' (grid workers) and their groups' feedback (property-service contacts)."""
    me = (ctx.platform, ctx.msg.sender_id)
    grids = ctx.directory.grids_of(*me)
    groups = sorted(({g.group for g in grids} | set(ctx.directory.contact_groups(*me))) - exclude)
    if not groups:
        return []
    found = await ctx.store.tickets.list(groups=groups, kind=kind, open_only=True)
    return [t for t in found if ctx.directory.may_act_on(*me, t.group_key, t.grid_key, t.kind)]


@router.command("详情", "/detail", where="private", role=Role.GRID)
async def detail(ctx: Ctx) -> Reply:
    """One ticket in full, with its whole history and one-tap actions."""
    found = await find_managed_ticket(ctx, "详情 E12")
    if isinstance(found, Reply):
        return found
    t, _ = found
    history = await ctx.store.tickets.history(t)
    rating = await ctx.store.tickets.rating(t)
    return ctx.reply(render.card(t, ctx.config.tz, history, rating),
                     buttons=render.owner_buttons(t))


@router.command("接单", "/accept", where="private", role=Role.GRID)
async def accept(ctx: Ctx) -> Reply | list[Reply]:
    """Take a ticket on."""
    found = await find_managed_ticket(ctx, "接单 E12")
    if isinstance(found, Reply):
        return found
    t, _ = found
    if t.status == ACCEPTED and t.handler_id == ctx.msg.sender_id:
        return ctx.reply(f"您已接过 {t.code}，不用重复接单。办好后发送「完成 {t.code}」。")
    return await move(ctx, t, action="accept", to_status=ACCEPTED, headline=f"已接单 {t.code}。",
                      fields={"handler_id": ctx.msg.sender_id, "handler_name": ctx.msg.sender_name})


@router.command("指派", "/assign", where="private", role=Role.GRID)
async def assign(ctx: Ctx) -> Reply | list[Reply]:
    """Hand a ticket to a named volunteer."""
    found = await find_managed_ticket(ctx, "指派 E12 志愿者姓名")
    if isinstance(found, Reply):
        return found
    t, name = found
    if not name:
        return ctx.reply(f"请写上志愿者姓名，例如：指派 {t.code} 王小明")
    if len(name) > NAME_LIMIT:
        return ctx.reply(f"志愿者姓名最多 {NAME_LIMIT} 个字，例如：指派 {t.code} 王小明 13900001111。"
                         f"其他说明请用「备注 {t.code} 内容」。")
    handler = {} if t.handler_id else {"handler_id": ctx.msg.sender_id,
                                        "handler_name": ctx.msg.sender_name}
    chosen = await volunteers_assign.resolve(ctx, t, name)  # a registered volunteer is told
    if isinstance(chosen, Reply):
        return chosen
    assignee = chosen.name if chosen else name
    replies = await move(ctx, t, action="assign", to_status=ASSIGNED, note=assignee,
                         headline=volunteers_assign.headline(t, name, chosen),
                         fields={"assignee": assignee, **handler})
    if chosen is None or len(replies) == 1:  # free text, or refused
        return replies
    return replies + await volunteers_assign.hand_over(ctx, t, chosen)


@router.command("进展", "/progress", where="private", role=Role.GRID)
async def progress_note(ctx: Ctx) -> Reply | list[Reply]:
    """A progress update the resident sees in the group."""
    found = await find_managed_ticket(ctx, "进展 E12 药已买到，下午送达")
    if isinstance(found, Reply):
        return found
    t, note = found
    if not note:
        return ctx.reply(f"请写上进展说明，例如：进展 {t.code} 药已买到，下午送达")
    return await move(ctx, t, action="progress", to_status=None, note=note,
                      headline=f"已把 {t.code} 的进展告知居民。")


@router.command("备注", "/note", where="private", role=Role.GRID)
async def internal_note(ctx: Ctx) -> Reply | list[Reply]:
    """An internal note; the group is not told."""
    found = await find_managed_ticket(ctx, "备注 E12 内容")
    if isinstance(found, Reply):
        return found
    t, note = found
    if not note:
        return ctx.reply(f"请写上备注内容，例如：备注 {t.code} 居民电话 138xxxx")
    return await move(ctx, t, action="note", to_status=None, note=note, notify=False,
                      headline=f"已给 {t.code} 添加备注（居民看不到）。")


@router.command("完成", "办结", "/done", where="private", role=Role.GRID)
async def done(ctx: Ctx) -> Reply | list[Reply]:
    """Close a ticket as done, optionally saying how."""
    found = await find_managed_ticket(ctx, "完成 E12 [说明]")
    if isinstance(found, Reply):
        return found
    t, note = found
    declared = kind_of(t.kind)
    if "完成" not in declared.close_verbs:
        return ctx.reply(f"{t.code} 是{declared.label}，{declared.close_usage.format(code=t.code)}。")
    return await move(ctx, t, action="done", to_status=DONE, note=note, headline=f"{t.code} 已完成。")


@router.command("驳回", "/reject", where="private", role=Role.GRID)
async def reject(ctx: Ctx) -> Reply | list[Reply]:
    """Refuse a ticket; the reason is required because the resident will read it."""
    found = await find_managed_ticket(ctx, "驳回 E12 原因")
    if isinstance(found, Reply):
        return found
    t, reason = found
    if not reason:
        return ctx.reply(f"驳回需要写明原因（居民会看到），例如：驳回 {t.code} 不在本网格，请联系所在社区")
    return await move(ctx, t, action="reject", to_status=REJECTED, note=reason,
                      headline=f"已驳回 {t.code}。")
