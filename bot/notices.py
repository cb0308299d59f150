"""Notices down the group hierarchy: publish, review gates, receipts, reminders, reports.

A notice gets one delivery row per receiving group, written in the same transaction as the
group's outbox row (dedupe key ``notice:<id>:<group>``): the delivery is recorded before the
send, the outbox row records the send, and a restart sends only what is still pending.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.config import PLATFORMS, GroupConfig
from bot.message import Button, ChatRef, Reply
from bot.store.notices import Delivery, Notice

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

Author = tuple[str, str, str]  # platform, user id, display name

_CODE = re.compile(r"(?P<letter>[A-Za-z])?\s*(?P<num>\d{1,7})(?P<rest>.*)", re.S)
_AFTER_BARE = re.compile(r"$|[\s,.:;，。：；、!！?？]")


def parse_code(text: str, letter: str, *, bare: bool = True) -> tuple[str, str] | None:
    """``N3 …``, ``n3``, ``Ｎ３`` (and ``3 …`` when ``bare``) -> ``("N3", "…")``; None without a code.

    A bare number must stand alone: "1栋" or "1份" is not a code.
    """
    m = _CODE.match(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    if m["letter"] is None and (not bare or not _AFTER_BARE.match(m["rest"])):
        return None
    if m["letter"] is not None and m["letter"].upper() != letter.upper():
        return None
    return f"{letter.upper()}{int(m['num'])}", m["rest"].strip(" \t,.:;，。：；、")


def notice_text(notice: Notice, origin: GroupConfig, group: GroupConfig, below: int) -> str:
    """What a receiving group reads."""
    lines = [f"【通知 {notice.code}】{origin.name}发布：", notice.text,
             f"——请群主回复「收到 {notice.code}」确认收到。"]
    if group.review and below and group.key != origin.key:
        lines.append(f"本群为审核级：请群主审核后私聊我「同意 {notice.code}」，通知将继续下发到下级 {below} 个群。")
    return "\n".join(lines)


def _path_between(svc: Services, origin: GroupConfig, group: GroupConfig) -> list[GroupConfig]:
    """Groups strictly between ``origin`` and ``group`` (the levels a notice passes through)."""
    path: list[GroupConfig] = []
    node = svc.directory.group(group.parent) if group.parent else None
    while node is not None and node.key != origin.key:
        path.append(node)
        node = svc.directory.group(node.parent) if node.parent else None
    # Not below origin at all (or origin itself): nothing lies between, so nothing gates it.
    return path if node is not None else []


def gates(svc: Services, origin: GroupConfig, group: GroupConfig) -> list[GroupConfig]:
    """Reviewing levels a notice must be approved at before it reaches ``group``."""
    return [g for g in _path_between(svc, origin, group) if g.review]


async def publish(
    svc: Services, origin: GroupConfig, text: str, author: Author, now: datetime, *,
    subtree: bool = True, fire_key: str | None = None,
) -> Notice | None:
    """Publish a notice to ``origin`` and (by default) every group below it.

    Returns None when ``fire_key`` shows this scheduled occurrence was published already.
    """
    targets = svc.directory.subtree(origin.key) if subtree else [origin]
    async with svc.store.tx():
        notice = await svc.store.notices.create(origin.key, author, text, now, fire_key)
        if notice is None:
            return None
        for group in targets:
            depth = len(_path_between(svc, origin, group)) + (group.key != origin.key)
            held = bool(gates(svc, origin, group))
            key = await svc.store.notices.add_delivery(
                notice, group.key, group.name, group.platform, group.chat_id, depth, held)
            if not held:
                await _queue(svc, notice, origin, group, key, now)
        for group in targets:
            if group.review and group.key != origin.key and not gates(svc, origin, group):
                await _ask_review(svc, notice, origin, group, now)
    svc.wake({g.platform for g in targets})
    return notice


async def _queue(
    svc: Services, notice: Notice, origin: GroupConfig, group: GroupConfig, key: str, now: datetime
) -> None:
    below = len(svc.directory.subtree(group.key)) - 1
    reply = Reply(ChatRef(group.platform, group.chat_id), notice_text(notice, origin, group, below),
                  buttons=(Button("收到", f"收到 {notice.code}"),))
    await svc.store.outbox.enqueue(reply, now, key)
    await svc.store.notices.mark_queued(notice, group.key, now)


async def _ask_review(svc: Services, notice: Notice, origin: GroupConfig, group: GroupConfig,
                      now: datetime) -> None:
    below = len(svc.directory.subtree(group.key)) - 1
    text = (f"通知 {notice.code}（{origin.name}发布）需要您审核后才会下发到「{group.name}」以下的 {below} 个群：\n"
            f"{notice.text}\n回复「同意 {notice.code}」放行。")
    for chat in svc.directory.owner_chats(group):
        await svc.store.outbox.enqueue(
            Reply(chat, text, buttons=(Button("同意", f"同意 {notice.code}"),
                                       Button("回执", f"回执 {notice.code}"))),
            now, f"review:{notice.id}:{group.key}:{chat.chat_id}")


async def approve(svc: Services, notice: Notice, group: GroupConfig, who: str, now: datetime) -> int:
    """A reviewing level approves; returns how many held groups were released."""
    origin = svc.directory.group(notice.origin_key)
    if origin is None:
        return 0
    released = 0
    async with svc.store.tx():
        await svc.store.notices.approve(notice, group.key, who, now)
        approved = await svc.store.notices.approvals(notice)
        for d in await svc.store.notices.deliveries(notice):
            target = svc.directory.group(d.group_key)
            if d.state != "held" or target is None:
                continue
            if all(g.key in approved for g in gates(svc, origin, target)):
                await _queue(svc, notice, origin, target, d.outbox_key, now)
                released += 1
                if target.review and len(svc.directory.subtree(target.key)) > 1:
                    await _ask_review(svc, notice, origin, target, now)  # the next gate down
    svc.wake({g.platform for g in svc.directory.subtree(group.key)})
    return released


@dataclass(frozen=True)
class Report:
    """Where a notice stands."""

    notice: Notice
    deliveries: list[Delivery]

    @property
    def delivered(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.send_status == "sent"]

    @property
    def confirmed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.confirmed_at is not None]

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.send_status == "failed"]

    @property
    def held(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.state == "held"]

    @property
    def pending(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.state == "queued" and d.send_status == "pending"]

    @property
    def last_received(self) -> datetime | None:
        times = [d.sent_at for d in self.delivered if d.sent_at is not None]
        return max(times) if times else None


async def report(svc: Services, notice: Notice) -> Report:
    """The delivery and receipt state of every group of a notice."""
    return Report(notice, await svc.store.notices.deliveries(notice))


def may_see_all(svc: Services, platform: str, user_id: str, notice: Notice) -> bool:
    """Staff, the author, and owners of the origin group or a group above it see a whole report."""
    if svc.directory.is_staff(platform, user_id):
        return True
    if (notice.author_platform, notice.author_id) == (platform, user_id):
        return True
    return any(g.key == notice.origin_key for g in svc.directory.reachable_groups(platform, user_id))


def own_deliveries(svc: Services, platform: str, user_id: str, deliveries: Sequence[Delivery]) -> list[Delivery]:
    """Deliveries to the groups this person manages, or [] when the notice reached none of them.

    A group still held for review has not received the notice, so it alone grants no view of it.
    """
    mine = {g.key for g in svc.directory.reachable_groups(platform, user_id)}
    own = [d for d in deliveries if d.group_key in mine]
    return own if any(d.state != "held" for d in own) else []


async def visible_notices(svc: Services, platform: str, user_id: str, limit: int = 5) -> list[Notice]:
    """The newest notices this person may look up: all for staff; else their own, and those that
    started in or reached a group they manage (what :func:`may_see_all` and
    :func:`own_deliveries` allow)."""
    if svc.directory.is_staff(platform, user_id):
        return await svc.store.notices.recent(limit)
    mine = [g.key for g in svc.directory.reachable_groups(platform, user_id)]
    return await svc.store.notices.recent_for(platform, user_id, mine, limit)


def _heading(r: Report, svc: Services) -> str:
    origin = svc.directory.group(r.notice.origin_key)
    return (f"通知 {r.notice.code}（{origin.name if origin else r.notice.origin_key}·{r.notice.author_name}·"
            f"{r.notice.created_at.astimezone(svc.config.tz):%m-%d %H:%M}）：{r.notice.text[:30]}")


def render_own(r: Report, svc: Services, own: Sequence[Delivery], limit: int = 20) -> str:
    """Only the lines of the groups a person manages, for owners who received someone else's notice."""
    tz = svc.config.tz
    lines = [_heading(r, svc), "您负责的群："]
    for d in own[:limit]:
        if d.state == "held":
            state = "待上级审核，还没有发出"
        elif d.send_status == "failed":
            state = "发送失败"
        elif d.send_status != "sent" or d.sent_at is None:
            state = "发送中"
        else:
            state = f"已送达 {d.sent_at.astimezone(tz):%m-%d %H:%M:%S}"
            state += (f"，已确认 {d.confirmed_at.astimezone(tz):%m-%d %H:%M}（{d.confirmed_by}）"
                      if d.confirmed_at else f"，未确认（群主回复「收到 {r.notice.code}」确认）")
        lines.append(f"{d.group_name}：{state}")
    if len(own) > limit:
        lines.append(f"……等 {len(own)} 个群")
    return "\n".join(lines)


def render_report(r: Report, svc: Services, limit: int = 20) -> str:
    """A report as people read it (private chat and CLI)."""
    tz = svc.config.tz
    total = len(r.deliveries)
    lines = [
        _heading(r, svc),
        f"共 {total} 个群：已送达 {len(r.delivered)}，已确认 {len(r.confirmed)}，"
        f"发送中 {len(r.pending)}，失败 {len(r.failed)}，待审核 {len(r.held)}",
    ]
    if r.last_received:
        done = "全部送达" if len(r.delivered) == total else "最近一个群收到"
        lines.append(f"{done}时间：{r.last_received.astimezone(tz):%m-%d %H:%M:%S}")

    def names(ds: list[Delivery]) -> str:
        shown = "、".join(d.group_name for d in ds[:limit])
        return shown + (f" 等 {len(ds)} 个群" if len(ds) > limit else "")

    unconfirmed = [d for d in r.delivered if d.confirmed_at is None]
    if unconfirmed:
        lines.append(f"未确认：{names(unconfirmed)}")
    if r.failed:
        lines.append(f"发送失败：{names(r.failed)}（{r.failed[0].last_error[:60]}）")
    if r.held:
        lines.append(f"待审核：{names(r.held)}")
    return "\n".join(lines)


async def confirm_for(
    svc: Services, notice: Notice, groups: Sequence[GroupConfig], who: str, now: datetime
) -> list[str]:
    """Confirm receipt for these groups (those that received the notice); returns their names."""
    keys = {g.key for g in groups}
    done = []
    for d in await svc.store.notices.deliveries(notice):
        if d.group_key in keys and d.state == "queued":
            if await svc.store.notices.confirm(notice, d.group_key, who, now):
                done.append(d.group_name)
    return done


async def reminders(svc: Services, now: datetime) -> list[Reply]:
    """Remind unconfirmed groups once, and tell each sender who is still missing."""
    after = timedelta(minutes=svc.config.notices.remind_after_minutes)
    due = await svc.store.notices.due_reminders(now - after)
    replies: list[Reply] = []
    missing: dict[str, tuple[Notice, list[str]]] = {}
    async with svc.store.tx():  # one commit for the minute's reminders, not one per group
        for notice, d in due:
            replies.append(Reply(ChatRef(d.platform, d.chat_id),
                                 f"【提醒】通知 {notice.code} 还没有确认收到，请群主回复「收到 {notice.code}」。",
                                 buttons=(Button("收到", f"收到 {notice.code}"),)))
            await svc.store.notices.mark_reminded(notice, d.group_key, now)
            missing.setdefault(notice.code, (notice, []))[1].append(d.group_name)
    for notice, groups in missing.values():
        if notice.author_platform not in PLATFORMS:  # published from the CLI: no chat to tell
            log.info("notice %s: %d groups have not confirmed", notice.code, len(groups))
            continue
        shown = "、".join(groups[:20]) + (f" 等 {len(groups)} 个群" if len(groups) > 20 else "")
        replies.append(Reply(ChatRef.private(notice.author_platform, notice.author_id),
                             f"通知 {notice.code} 还有 {len(groups)} 个群未确认收到：{shown}。已提醒一次。"))
    return replies
