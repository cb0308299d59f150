"""``指派 E12 王小明``: the name read as a registered volunteer where it is one, who is then told."""

from __future__ import annotations

from bot import volunteers as vol
from bot.dispatcher import Ctx
from bot.message import ChatRef, Reply
from bot.store.volunteers import Volunteer
from bot.tickets import Ticket


async def resolve(ctx: Ctx, t: Ticket, written: str) -> Volunteer | Reply | None:
    """The approved volunteer ``written`` names (``王小明``, ``王小明 1111``, ``王小明 139…``),
    a question when several do, or None: a free-text name nobody will notify."""
    name, _, rest = written.partition(" ")
    rest = rest.strip()
    phone = vol.phone_of(rest) if rest else None
    if rest and phone is None and not (len(rest) == 4 and rest.isdigit()):
        return None  # "王小明 下午去": a note the owner wrote, kept as written
    found = [v for v in await ctx.store.volunteers.named(name, status="approved")
             if not rest or v.phone == phone or v.tail == rest]
    if len(found) <= 1:
        return found[0] if found else None
    options = "\n".join(f"· 指派 {t.code} {v.name} {v.tail}（{_team(ctx, v)}，尾号 {v.tail}）" for v in found)
    return ctx.reply(f"有 {len(found)} 位志愿者叫「{name}」，请带上手机尾号再发一次：\n{options}")


def _team(ctx: Ctx, v: Volunteer) -> str:
    team = vol.find_team(ctx.config, v.team_key)
    return team.name if team else v.team_key


def headline(t: Ticket, written: str, v: Volunteer | None) -> str:
    """The owner's confirmation: who was told, or that nobody was."""
    if v is not None:
        return f"已把 {t.code} 指派给志愿者 {v.name}（{v.phone}），已私信通知本人。"
    return (f"已把 {t.code} 指派给 {written}。「{written}」不是登记的志愿者，不会收到通知，"
            "请您自己联系对方。")


async def hand_over(ctx: Ctx, t: Ticket, v: Volunteer) -> list[Reply]:
    """Record the volunteer as the ticket's holder and brief them in private; one who held it
    before hears they need not go."""
    before = await ctx.store.volunteers.holder(t)
    await ctx.store.volunteers.assign(t, v, ctx.now)
    told = [] if before is None or before.id == v.id else [Reply(
        ChatRef.private(before.platform, before.user_id), f"{t.code} 已改派给其他志愿者，您不用再跑了，谢谢您！")]
    home = await ctx.store.households.get(t.household_id) if t.household_id else None
    phone = vol.resident_phone(t, home.phone if home else "")
    text = f"{ctx.msg.sender_name} 把 {t.code} 交给了您。\n{vol.briefing(t, phone)}"
    return [Reply(ChatRef.private(v.platform, v.user_id), text), *told]
