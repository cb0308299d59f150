"""Requests sent to the bot in private chat, filed for the resident's own group.

A resident may not want to name a neighbour (举报) or their illness (代买 胰岛素) in front of
400 people. In private the bot files the ticket for the group the resident belongs to, which
it knows from where they have posted: one such group is used at once; several get one-tap
choices (``提交 群名 编号``, which a console user can type too). The choice carries the stored
message's row, so it survives a restart and files each message once. Nothing is said in the
group; the owner gets the usual push.
"""

from __future__ import annotations

from bot.classify import EmptyRequest, classify
from bot.config import GroupConfig
from bot.dispatcher import Ctx
from bot.message import Button, ChatRef, Reply
from bot.text import one_line
from bot.tickets import NewTicket
from handlers.tickets import EXAMPLES, WHAT_TO_ADD, file_request

SUBMIT = "提交"
#: Telegram carries at most 64 bytes of button data; longer group names go by key.
_BUTTON_BYTES = 60
NO_GROUP = ("我还不知道您在哪个小区/村群，没法替您登记。请先在您所在的小区/村群里发一次这条消息"
            "（或任意一句话），之后就可以私聊我登记了；也可以直接联系群主。")


async def home_groups(ctx: Ctx) -> list[GroupConfig]:
    """The ticket-taking groups this person has posted in, the latest first."""
    chats = await ctx.store.messages.group_chats_of(ctx.platform, ctx.msg.sender_id)
    groups = (ctx.directory.group_for(ChatRef(ctx.platform, c)) for c in chats)
    return [g for g in groups if g is not None and g.tickets]


async def file_in_private(ctx: Ctx) -> Reply | list[Reply] | None:
    """A request sent in private: file it, ask which group, or say why not; None if not one."""
    found = classify(ctx.msg.text)
    if found is None:
        return None
    if isinstance(found, EmptyRequest):
        return ctx.reply(f"「{found.keyword}」后面请写上{WHAT_TO_ADD[found.kind]}，"
                         f"例如：{EXAMPLES[found.kind]}")
    groups = await home_groups(ctx)
    row = await ctx.store.messages.row_of(ctx.msg)
    if not groups:
        return ctx.reply(NO_GROUP)
    if len(groups) == 1:
        return await _file(ctx, found, groups[0], row)
    buttons = [Button(g.name, _submit_command(g, row)) for g in groups[:8]]
    names = "、".join(f"「{g.name}」" for g in groups[:8])
    return ctx.reply(f"您在{names}都发过言。这件事要交给哪个群的工作人员？请点选（内容不会发到群里）：",
                     buttons=buttons)


async def submit(ctx: Ctx) -> Reply | list[Reply]:
    """``提交 群名 [编号]``: file a request sent earlier in private for the chosen group."""
    usage = "请这样写：提交 群名（先私聊我发送要登记的事，例如「代买 大米一袋 3栋2单元501」）。"
    name, row = _split_row(ctx.args)
    if not name:
        return ctx.reply(usage)
    groups = await home_groups(ctx)
    group = ctx.directory.find(name)
    if group is None or group not in groups:
        mine = "、".join(g.name for g in groups) or "（还没有）"
        return ctx.reply(f"「{one_line(name, 20)}」不是您发过言的小区/村群，不能提交到那里。您的群：{mine}。")
    # Without a number, only the latest request counts: an older one was answered otherwise.
    for msg_row, text, filed in await ctx.store.messages.recent_private(ctx.msg.chat):
        found = classify(text)
        if (row is not None and msg_row != row) or not isinstance(found, NewTicket):
            continue
        if filed:
            break
        return await _file(ctx, found, group, msg_row)
    else:
        return ctx.reply(f"没有找到要提交的事。{usage}")
    return ctx.reply("这件事已经提交过了，不用再提交。发送「我的工单」查看已登记的工单。")


async def _file(ctx: Ctx, found: NewTicket, group: GroupConfig, row: int | None) -> Reply | list[Reply]:
    # The ticket belongs to the resident's group; answers stay in this private chat.
    ctx.group = group
    return await file_request(ctx, found, row)


def _submit_command(group: GroupConfig, row: int | None) -> str:
    command = f"{SUBMIT} {group.name}"
    if len(command.encode("utf-8")) > _BUTTON_BYTES - 12:
        command = f"{SUBMIT} {group.key}"
    return f"{command} {row}" if row is not None else command


def _split_row(args: str) -> tuple[str, int | None]:
    """``"幸福小区居民群 12"`` -> ``("幸福小区居民群", 12)``; the number is optional."""
    head, _, last = args.strip().rpartition(" ")
    if head and last.isascii() and last.isdigit() and len(last) <= 12:  # int() refuses 4,300+ digits
        return head.strip(), int(last)
    return args.strip(), None
