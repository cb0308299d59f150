"""Registering a group from inside it: ``绑定 [群名]`` by the group's owner or by staff."""

from __future__ import annotations

import re

from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.store.groups import BoundGroup
from handlers.audit import actor_of

router = Router("groups")


#: ``绑定 幸福小区居民群 上级 东城街道工作群``: the part after 上级 names the group above.
_PARENT = re.compile(r"^(?P<name>.*?)\s*上级\s*[:：]?\s*(?P<parent>\S.*)$")
HOW = "绑定 群名 上级 上级群名"


@router.command("绑定", "/bind", where="group")
async def bind(ctx: Ctx) -> Reply:
    """Register this chat as a group with the sender as its owner, under a parent group."""
    m = _PARENT.match(ctx.args)
    name, parent_name = (m.group("name"), m.group("parent").strip()) if m else (ctx.args, "")
    if ctx.group is not None:
        return await _attach(ctx, ctx.group, parent_name)
    if not (ctx.msg.sender_is_admin or ctx.role >= Role.STAFF):
        return ctx.reply("只有本群群主（群管理员）或指挥部工作人员可以登记本群。", mention=True)
    name = name or ctx.msg.chat_title
    if not name:
        return ctx.reply(f"请写上群名，例如：{HOW.replace('群名', '幸福小区3号楼居民群')}", mention=True)
    if ctx.directory.find(name) is not None:
        return ctx.reply(f"已有名为「{name}」的群，请换一个名字：绑定 新群名", mention=True)
    parent = _parent(ctx, parent_name) if parent_name else None
    if isinstance(parent, str):
        return ctx.reply(parent, mention=True)  # named a parent that cannot be found: nothing bound
    bound = BoundGroup(ctx.platform, ctx.msg.chat.chat_id, f"{ctx.platform}:{ctx.msg.chat.chat_id}",
                       name, ctx.msg.sender_id, parent.key if parent else "")
    if await ctx.store.groups.bind(bound, ctx.now):  # the audit line commits with the binding
        above = f"，上级：{parent.name}" if parent else ""
        await ctx.store.audit.record(
            actor_of(ctx), "bind", name,
            f"登记群「{name}」（{ctx.platform}:{ctx.msg.chat.chat_id}），"
            f"群主：{ctx.msg.sender_name}（{ctx.msg.sender_id}）{above}", ctx.now)
    ctx.directory.add_bound(bound)
    start = ("（Telegram 上请先点开与我的私聊并按「Start」，否则我没法把新工单发给您。）"
             if ctx.platform == "telegram" else "")
    where = (f"上级：{parent.name}。" if parent else
             "本群还没有上级群，区里的通知和超时督办到不了这里：请发送「绑定 上级 街道或区里的群名」补上。")
    return ctx.reply(f"已登记本群为「{name}」，群主：{ctx.msg.sender_name}。{where}居民现在可以发送「代买 …」等登记工单，"
                     f"群主请私聊我「帮助」查看管理指令。{start}", mention=True)


async def _attach(ctx: Ctx, group: GroupConfig, parent_name: str) -> Reply:
    """``绑定 上级 X`` in a group bound earlier hangs it under X; otherwise say what it is."""
    owners = "、".join(group.owners) or "（无）"
    above = ctx.directory.group(group.parent) if group.parent else None
    said = f"本群已登记为「{group.name}」，群主：{owners}，上级：{above.name if above else '（无）'}。"
    if not parent_name:
        return ctx.reply(said if above else f"{said}请发送「绑定 上级 上级群名」挂到上级群下。", mention=True)
    if ctx.config.group(group.key) is not None:
        return ctx.reply(f"{said}本群写在 bot.toml 里，上级要在配置文件的 parent 里改。", mention=True)
    if not (ctx.msg.sender_id in group.owners or ctx.role >= Role.STAFF):
        return ctx.reply("只有本群群主或指挥部工作人员可以设置上级群。", mention=True)
    parent = _parent(ctx, parent_name)
    if isinstance(parent, str):
        return ctx.reply(parent, mention=True)
    await ctx.store.groups.set_parent(group.key, parent.key)
    await ctx.store.audit.record(actor_of(ctx), "bind", group.name,
                                     f"「{group.name}」的上级设为「{parent.name}」", ctx.now)
    ctx.directory.set_parent(group.key, parent.key)
    return ctx.reply(f"已把「{group.name}」挂到「{parent.name}」下面，区里的通知和超时督办会到达本群。",
                     mention=True)


def _parent(ctx: Ctx, name: str) -> GroupConfig | str:
    """The group a binder names as 上级 (exact name or key, else a distinctive part), or why not."""
    directory = ctx.directory
    exact = directory.find(name)
    found = [exact] if exact is not None else directory.named(name)
    found = [g for g in found if g.platform == ctx.platform and g.level != "village"]
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(g.name for g in found[:8])
        return f"「{name}」对应好几个群：{names}。请写完整的上级群名，例如：{HOW}"
    tops = "、".join(g.name for g in directory.groups if g.platform == ctx.platform and g.level != "village")
    hint = f"可选的上级群：{tops}。" if tops else "还没有街道/乡镇或区县级的群。"
    return f"没有找到上级群「{name}」（上级应是街道/乡镇或区县的群）。{hint}例如：{HOW}"
