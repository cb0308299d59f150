"""Owners' view of real-name registrations: the approval card and the waiting list."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.config import GroupConfig
from bot.message import ChatRef
from bot.store import Store
from bot.store.households import Household, Member

#: At most this many names per list in one message; the rest is counted.
LIST_LIMIT = 30


def request_chat(member: Member, platform: str) -> ChatRef | None:
    """Where a pending join request may be written to (stored whole: ``@`` + the chat's id)."""
    return ChatRef(platform, member.reply_chat) if member.reply_chat else None


async def card(store: Store, member: Member, group: GroupConfig, home: Household | None) -> str:
    """The private card an owner approves from: who, which address, what the register says."""
    nick = f"（昵称 {member.name}）" if member.name and member.name != member.real_name else ""
    lines = [f"【实名登记 {member.code}】{group.name}：{member.real_name}{nick} 登记为 {member.address}。"]
    if home is None:
        lines.append("住户册中没有这个地址：确认无误可「批准并新建住户」，地址有误请拒绝并说明。")
    else:
        linked = await store.members.linked([home.id])
        head = f"户主 {home.head}" if home.head else "户主未登记"
        lines.append(f"住户册：{head}，{home.members} 人，已有 {len(linked)} 人实名入群。")
    approve = f"批准 {member.code}" + (" 新建" if home is None else "")  # 新建: no household yet
    lines.append(f"回复「{approve}」或「拒绝 {member.code} 原因」。")
    return "\n".join(lines)


async def waiting(store: Store, groups: Sequence[GroupConfig], tz: ZoneInfo) -> str:
    """Registrations waiting for a decision, then members who never registered, per group."""
    keys = [g.key for g in groups]
    names = {g.key: g.name for g in groups}
    pending = await store.members.in_groups(keys, ["pending"], LIST_LIMIT + 1)
    silent = await store.members.in_groups(keys, ["joined"], LIST_LIMIT + 1)
    if not pending and not silent:
        return "没有待审核的实名登记，也没有未登记的群成员。"
    lines = []
    if pending:
        lines.append("【待审核】")
        lines += [f"{m.code} {names.get(m.group_key, m.group_key)}：{m.real_name} {m.address}"
                  for m in pending[:LIST_LIMIT]]
        if len(pending) > LIST_LIMIT:
            lines.append(f"……还有更多，请先处理以上 {LIST_LIMIT} 条。")
        lines.append("回复「批准 J编号」或「拒绝 J编号 原因」。")
    if silent:
        lines.append("【入群未登记】")
        lines += [f"{names.get(m.group_key, m.group_key)}：{m.name or m.user_id}（入群 {m.joined_at.astimezone(tz):%m-%d}）"
                  for m in silent[:LIST_LIMIT]]
        if len(silent) > LIST_LIMIT:
            lines.append(f"……还有更多（只列出最早的 {LIST_LIMIT} 位）。")
    return "\n".join(lines)
