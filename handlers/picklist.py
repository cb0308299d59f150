"""Grocery pick lists in private chat: ``配菜单 [群名] [日期]`` and ``配送完成 3栋``.

Only owners, in private: the list names residents and their phones. ``配送完成`` finishes each
errand of the building through the owners' ``完成`` path (:func:`handlers.owner.move`), so every
resident hears exactly as when an owner completes their ticket, and the owner gets one summary.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot import picklist, rosters
from bot.config import GroupConfig
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Attachment, Reply
from bot.picklist_files import PickList, make
from bot.text import one_line
from bot.tickets import DONE
from handlers.owner import move

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = Router("picklist")

DELIVERED = "已配送到家"


def _parse(ctx: Ctx, words: list[str], usage: str) -> tuple[list[GroupConfig], date] | Reply:
    """The groups (those the owner manages that take tickets, or the one named) and the day."""
    today = rosters.local_day(ctx.now, ctx.config.tz)
    day = today
    groups = [g for g in ctx.directory.managed_groups(ctx.platform, ctx.msg.sender_id) if g.tickets]
    for word in words:
        when = rosters.parse_day(word, today)
        group = ctx.directory.find(word)
        if when is not None:
            day = when
        elif group is not None and group in groups:
            groups = [group]
        else:
            return ctx.reply(f"看不懂「{one_line(word, 20)}」：请写您负责的群名或日期。{usage}（{rosters.DAY_HINT}）")
    return groups, day


def _none(day: date, groups: list[GroupConfig]) -> str:
    which = groups[0].name if len(groups) == 1 else "您负责的群"
    return (f"{day.isoformat()} {which}没有待配送的买菜代办。居民在群里发「代买 物品 地址」"
            "（例：代买 大米一袋 3栋2单元501）就会出现在当天的配菜单上。")


async def _lists(ctx: Ctx, groups: list[GroupConfig], day: date, xlsx: bool) -> list[PickList]:
    made = [await make(ctx.store, ctx.config, g, day, xlsx=xlsx) for g in groups]
    return [p for p in made if p.buildings]


@router.command("配菜单", "/picklist", where="private", role=Role.OWNER)
async def pick_list(ctx: Ctx) -> Reply | list[Reply]:
    """The day's pick list of each managed group with grocery errands, and its printable XLSX."""
    parsed = _parse(ctx, ctx.args.split(), "例如：配菜单、配菜单 明天、配菜单 幸福小区居民群 11-26")
    if isinstance(parsed, Reply):
        return parsed
    groups, day = parsed
    lists = await _lists(ctx, groups, day, xlsx=True)
    if not lists:
        return ctx.reply(_none(day, groups))
    # The printable XLSX goes with the text as a file (private chat only: it holds phones).
    return [_with_sheet(ctx.reply(p.text), p) for p in lists]


def _with_sheet(reply: Reply, p: PickList) -> Reply:
    """The chat version with the printable XLSX attached (written when the list was made)."""
    if p.path is None:
        return reply
    return replace(reply, text=f"{reply.text}\n打印版表格见附件：{p.path.name}",
                   attachment=Attachment(str(p.path), p.path.name, XLSX_MIME))


@router.command("配送完成", where="private", role=Role.OWNER)
async def delivered(ctx: Ctx) -> Reply | list[Reply]:
    """Complete every errand on the day's pick list for one building and tell each resident."""
    usage = "例如：配送完成 3栋（也可写 3号楼、三号楼、李家村3组；可加群名和日期）"
    words = ctx.args.split()
    label = picklist.building_of(words[0]) if words else None
    if label is None:
        head = f"「{one_line(words[0], 20)}」不是楼栋。" if words else "请写上送完的楼栋。"
        return ctx.reply(head + usage)
    parsed = _parse(ctx, words[1:], usage)
    if isinstance(parsed, Reply):
        return parsed
    groups, day = parsed
    lists = await _lists(ctx, groups, day, xlsx=False)
    if not lists:
        return ctx.reply(_none(day, groups))
    found = [(p, b) for p in lists for b in p.buildings if b.label == label]
    if not found:
        have = "、".join(b.label for p in lists for b in p.buildings)
        return ctx.reply(f"{day.isoformat()} 的配菜单里没有「{label}」，还没送的有：{have}。{usage}")
    if len(found) > 1:
        names = "、".join(p.group.name for p, _ in found)
        return ctx.reply(f"「{label}」在几个群的配菜单里都有：{names}。请加上群名，例如：配送完成 {label} {found[0][0].group.name}")
    plist, building = found[0]
    notices: list[Reply] = []
    codes: list[str] = []
    for code in (c for h in building.homes for c in h.tickets):
        t = await ctx.store.tickets.get(code)
        if t is None or t.is_final:
            continue
        replies = await move(ctx, t, action="done", to_status=DONE, note=DELIVERED, headline="")
        notices += replies[1:]  # replies[0] is the owner's card: one summary below instead
        codes.append(code)
    summary = (f"已办结「{plist.group.name}」{label} 的 {len(codes)} 单买菜代办（{'、'.join(codes)}），"
               f"已通知 {len(building.homes)} 户居民。")
    return [ctx.reply(summary), *notices]
