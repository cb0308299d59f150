"""Registering a group from inside it: ``绑定 [群名]`` by the group's owner or by staff."""

from __future__ import annotations

from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.store.groups import BoundGroup
from handlers.audit import actor_of

router = Router("groups")


@router.command("绑定", "/bind", where="group")
async def bind(ctx: Ctx) -> Reply:
    """Register this chat as a group with the sender as its owner."""
    if ctx.group is not None:
        owners = "、".join(ctx.group.owners) or "（无）"
        return ctx.reply(f"本群已登记为「{ctx.group.name}」，群主：{owners}。", mention=True)
    if not (ctx.msg.sender_is_admin or ctx.role >= Role.STAFF):
        return ctx.reply("只有本群群主（群管理员）或指挥部工作人员可以登记本群。", mention=True)
    name = ctx.args or ctx.msg.chat_title
    if not name:
        return ctx.reply("请写上群名，例如：绑定 幸福小区3号楼居民群", mention=True)
    if ctx.app.directory.find(name) is not None:
        return ctx.reply(f"已有名为「{name}」的群，请换一个名字：绑定 新群名", mention=True)
    bound = BoundGroup(ctx.platform, ctx.msg.chat.chat_id, f"{ctx.platform}:{ctx.msg.chat.chat_id}",
                       name, ctx.msg.sender_id)
    if await ctx.app.store.groups.bind(bound, ctx.now):  # the audit line commits with the binding
        await ctx.app.store.audit.record(
            actor_of(ctx), "bind", name,
            f"登记群「{name}」（{ctx.platform}:{ctx.msg.chat.chat_id}），"
            f"群主：{ctx.msg.sender_name}（{ctx.msg.sender_id}）", ctx.now)
    ctx.app.directory.add_bound(bound)
    start = ("（Telegram 上请先点开与我的私聊并按「Start」，否则我没法把新工单发给您。）"
             if ctx.platform == "telegram" else "")
    return ctx.reply(f"已登记本群为「{name}」，群主：{ctx.msg.sender_name}。居民现在可以发送「代买 …」等登记工单，"
                     f"群主请私聊我「帮助」查看管理指令。{start}", mention=True)
