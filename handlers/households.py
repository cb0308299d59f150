"""``住户``: owners see and edit the households of the groups they manage, in private chat;
grid workers see their grids' households (read only).

``住户 3-2-501`` shows one, ``住户 新增 …`` / ``修改 …`` / ``删除 …`` change the register,
``住户`` alone counts households per group. Join rates (``入群率``, ``未入群``) live in
``handlers/join_rate.py``. Phones and tags never go to a group: there ``住户`` only says to
write in private.
"""

from __future__ import annotations

import dataclasses

from bot import households
from bot.address import Address, normalise_address
from bot.config import GridConfig, GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.households import FIELD_WORDS, FIELDS, BadValue
from bot.message import Reply
from bot.store.households import Household, HouseholdData
from bot.text import one_line
from handlers.audit import actor_of

router = Router("households")

#: The owners' help lines (shown in 帮助 in private).
OWNER_HELP = """住户登记（私聊我使用）：
· 住户　各群登记户数和用法 ／ 住户 [群名] 3-2-501　查看一户
· 住户 新增 [群名] 地址 户主 电话 [人数] [标签…]
· 住户 修改 地址 电话|户主|人数|标签|网格 新值 ／ 住户 删除 地址
· 入群率 [群名]　各群入群户数 ／ 未入群 [群名] [页]　没有人入群的住户和电话"""
USAGE = ("用法：住户 3-2-501（查看）／ 住户 新增 3-2-501 张三 13812345678 3 独居老人 ／ "
         f"住户 修改 3-2-501 {FIELD_WORDS} 新值 ／ 住户 删除 3-2-501。管理多个群时在地址前写群名。")
VERBS = {"新增": "add", "添加": "add", "登记": "add", "修改": "edit", "更改": "edit",
         "删除": "delete", "移除": "delete"}
#: Groups listed by ``住户`` alone before "等 N 个群".
SHOWN_GROUPS = 20
#: A grid worker's households listed by ``住户`` alone (a grid is about 20 to 50 households).
GRID_SHOWN = 60


def _group(ctx: Ctx, word: str, mine: list[GroupConfig]) -> GroupConfig | None:
    """One of the person's groups by key, exact name or a fragment naming exactly one."""
    exact = ctx.directory.find(word)
    if exact is not None:
        return exact if exact in mine else None
    found = ctx.directory.named(word, mine)
    return found[0] if len(found) == 1 else None


@dataclasses.dataclass
class Request:
    """``住户 [动作] [群名] 地址 其余…`` read apart."""

    verb: str
    group: GroupConfig | None
    address: str
    rest: list[str]


def _read(ctx: Ctx, mine: list[GroupConfig]) -> Request | str:
    """The verb, optional group and address of a ``住户`` message, or an error to show."""
    words, verb, group = ctx.args.split(), "show", None
    while words:
        if verb == "show" and words[0] in VERBS:
            verb = VERBS[words.pop(0)]
        elif group is None and normalise_address(words[0]) is None and len(words) > 1:
            group = _group(ctx, words[0], mine)
            if group is None:
                if ctx.directory.find(words[0]) is not None:
                    return f"您不负责「{one_line(words[0], 20)}」，只能查看和修改您负责的群的住户。"
                return f"「{one_line(words[0], 20)}」既不是您负责的群名，也不是能识别的地址。{USAGE}"
            words.pop(0)
        else:
            break
    if not words:
        return f"请写上地址。{USAGE}"
    return Request(verb, group, words[0], words[1:])


def _address(raw: str) -> Address | str:
    """The normalised address, or why it is not one."""
    address = normalise_address(raw)
    if address is None:
        return f"「{one_line(raw, 20)}」不是能识别的地址，请写成 3-2-501、3栋2单元501 或 李家村3组12号。"
    return address


async def _locate(ctx: Ctx, req: Request, mine: list[GroupConfig]) -> Household | str:
    """The one household at ``req.address`` in the named group or in any of the person's groups."""
    address = _address(req.address)
    if isinstance(address, str):
        return address
    pool = [req.group] if req.group else mine
    found = await ctx.store.households.find_address([g.key for g in pool], address.key)
    if not found:
        where = f"「{req.group.name}」" if req.group else "您负责的群"
        return f"{where}没有登记 {address.display} 这一户。登记：住户 新增 {address.display} 户主 电话"
    if len(found) > 1:
        names = "、".join(_name(ctx, h.group_key) for h in found[:8])
        return (f"{address.display} 在您负责的 {len(found)} 个群都有登记：{names}。请写明群名，"
                f"例如：住户 {_name(ctx, found[0].group_key)} {address.display}")
    return found[0]


def _name(ctx: Ctx, group_key: str) -> str:
    group = ctx.directory.group(group_key)
    return group.name if group else group_key


async def _show(ctx: Ctx, h: Household, headline: str = "") -> Reply:
    linked = await ctx.store.members.linked([h.id])
    text = households.card(h, ctx.directory.group(h.group_key), linked, ctx.config.tz,
                           ctx.directory.grid(h.grid_key))
    return ctx.reply(f"{headline}\n{text}" if headline else text)


async def _overview(ctx: Ctx, mine: list[GroupConfig]) -> Reply:
    rates = await ctx.store.households.join_rates([g.key for g in mine])
    listed = [(g, r) for g, r in zip(mine, rates, strict=True) if r.households]
    total = sum(r.households for _, r in listed)
    lines = [f"【住户登记】您负责的 {len(mine)} 个群共登记 {total} 户。"]
    lines += [f"· {g.name} {r.households} 户" for g, r in listed[:SHOWN_GROUPS]]
    if len(listed) > SHOWN_GROUPS:
        lines.append(f"…等 {len(listed)} 个群（各群入群情况：入群率）")
    lines.append(USAGE)
    return ctx.reply("\n".join(lines))


async def _grid_view(ctx: Ctx, grids: list[GridConfig]) -> Reply:
    """``住户`` of a grid worker: the households of their grids, or one of them; read only."""
    words = ctx.args.split()
    if words and words[0] in VERBS:
        return ctx.reply("网格员可以查看本网格的住户；新增、修改、删除住户请联系群主。")
    homes = [h for g in grids for h in await ctx.store.households.in_grid(g.key)]
    if words:
        address = _address(words[-1])
        if isinstance(address, str):
            return ctx.reply(address)
        found = [h for h in homes if h.address_key == address.key]
        if not found:
            return ctx.reply(f"您的网格里没有登记 {address.display} 这一户。发送「住户」查看本网格的住户。")
        return await _show(ctx, found[0])
    names = "、".join(g.name or g.key for g in grids)
    if not homes:
        return ctx.reply(f"您的网格（{names}）还没有登记住户，请联系群主导入住户名单。")
    linked = {m.household_id for m in await ctx.store.members.linked([h.id for h in homes])}
    lines = [f"【住户登记】您的网格（{names}）共 {len(homes)} 户，"
             f"已入群 {sum(h.id in linked for h in homes)} 户："]
    lines += [f"· {h.address} {h.head or '（户主未登记）'} {h.phone or '（无电话）'}"
              f"{'' if h.id in linked else ' 未入群'}{' ' + '、'.join(h.tags) if h.tags else ''}"
              for h in homes[:GRID_SHOWN]]
    if len(homes) > GRID_SHOWN:
        lines.append(f"…还有 {len(homes) - GRID_SHOWN} 户；查看一户：住户 3-2-501")
    return ctx.reply("\n".join(lines))


async def _add(ctx: Ctx, req: Request, mine: list[GroupConfig]) -> Reply:
    address = _address(req.address)
    if isinstance(address, str):
        return ctx.reply(address)
    group = req.group or (mine[0] if len(mine) == 1 else None)
    if group is None:
        names = "、".join(g.name for g in mine[:6])
        return ctx.reply(f"您负责多个群（{names}），请写明加到哪个群："
                         f"住户 新增 {mine[0].name} {address.display} 户主 电话")
    if len(req.rest) < 2:
        return ctx.reply(f"新增住户要写户主和电话：住户 新增 {address.display} 张三 13812345678 [人数] [标签…]")
    try:
        head, phone = households.clean_head(req.rest[0]), households.clean_phone(req.rest[1])
        more = req.rest[2:]
        members = households.clean_members(more.pop(0)) if more and more[0][:1].isdigit() else 1
        tags = households.split_tags(" ".join(more))
    except BadValue as exc:
        return ctx.reply(f"没有登记：{exc}。")
    if await ctx.store.households.find(group.key, address.key) is not None:
        return ctx.reply(f"「{group.name}」已有 {address.display} 这一户。修改：住户 修改 {address.display} "
                         f"{FIELD_WORDS} 新值")
    async with ctx.store.tx():
        saved, _ = await ctx.store.households.save(
            HouseholdData(group.key, address.key, address.display, head, phone, members, tags), ctx.now)
        await ctx.store.audit.record(actor_of(ctx), "household", f"{group.name} {saved.address}",
                                     "新增住户", ctx.now)
    return await _show(ctx, saved, "已登记：")


async def _edit(ctx: Ctx, h: Household, rest: list[str]) -> Reply:
    if len(rest) < 2 or rest[0] not in FIELDS:
        return ctx.reply(f"请写明改哪一项和新值：住户 修改 {h.address} {FIELD_WORDS} 新值，"
                         f"例如：住户 修改 {h.address} 电话 13812345678")
    try:
        data = households.changed(h.data(), FIELDS[rest[0]], " ".join(rest[1:]))
    except BadValue as exc:
        return ctx.reply(f"没有修改：{exc}。")
    async with ctx.store.tx():
        saved, _ = await ctx.store.households.save(data, ctx.now)
        await ctx.store.audit.record(actor_of(ctx), "household", f"{_name(ctx, h.group_key)} {h.address}",
                                     f"修改{rest[0]}", ctx.now)
    return await _show(ctx, saved, f"已修改{rest[0]}：")


async def _delete(ctx: Ctx, h: Household) -> Reply:
    async with ctx.store.tx():
        await ctx.store.households.delete(h.id)
        await ctx.store.audit.record(actor_of(ctx), "household", f"{_name(ctx, h.group_key)} {h.address}",
                                     f"删除住户（户主 {h.head or '未填'}）", ctx.now)
    return ctx.reply(f"已删除「{_name(ctx, h.group_key)}」的 {h.address}（户主 {h.head or '未填'}）。"
                     "已入群的成员仍在群里，只是不再关联这一户。")


@router.command("住户", "/household", role=Role.GRID)
async def household(ctx: Ctx) -> Reply:
    """Show, add, change or delete a household of the groups this person manages; a grid
    worker sees their grids' households."""
    if ctx.msg.is_group:  # a card carries phones and tags
        return ctx.reply("住户信息含电话等个人信息，请私聊我发送「住户 …」。", mention=True)
    mine = ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id)
    if not mine:
        grids = ctx.directory.grids_of(ctx.platform, ctx.msg.sender_id)
        if not grids:
            return ctx.reply("住户信息只有群主和网格员可以查看。")
        return await _grid_view(ctx, grids)
    if not ctx.args:
        return await _overview(ctx, mine)
    req = _read(ctx, mine)
    if isinstance(req, str):
        return ctx.reply(req)
    if req.verb == "add":
        return await _add(ctx, req, mine)
    found = await _locate(ctx, req, mine)
    if isinstance(found, str):
        return ctx.reply(found)
    if req.verb == "edit":
        return await _edit(ctx, found, req.rest)
    if req.verb == "delete":
        return await _delete(ctx, found)
    return await _show(ctx, found)
