"""Per-person flood limit on new tickets: past it, one polite word, then silence for a while.

A resident who sends request after request (a stuck phone, a child, an angry neighbour) must
not turn into hundreds of tickets, owner pings and group replies. Per person and group, at
most ``[limits] tickets_per_window`` tickets are filed in any ``window_minutes``. The first
request held back opens a *burst*: the resident gets one reply in the group and the group's
owners one private notice. Later ones are stored (every inbound message is) but get no reply,
until the person has been quiet for a whole window; then a new burst may warn again.

The same request sent again is pointed to its ticket ("您已登记过 E3"), and a keyword sent
alone gets its hint ("「代买」后面请写上…"), at most once per window: 500 copies of one message
are one ticket and one pointer, not 500 replies.

Held-back requests are not filed later: replaying a flood into the owners' queue would be the
flood again. The owners learn who, where and how many, and the resident is asked to resend.

The counts live in the database (tickets by requester, group and time, on an index; one
``flood_bursts`` row per person over the limit; one ``said_once`` row per reply given once per
window), so a restart or a second process sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from bot.message import ChatRef, Reply

if TYPE_CHECKING:
    from bot.config import GroupConfig, LimitsConfig
    from bot.dispatcher import Ctx


@dataclass(frozen=True, slots=True)
class Burst:
    """One person's run of requests held back in one group."""

    started_at: datetime
    last_held_at: datetime
    held: int

    def current(self, now: datetime, window: timedelta) -> bool:
        """Still going: something was held back less than one window ago."""
        return now - self.last_held_at < window


class Verdict(Enum):
    """What happens to one new request."""

    ACCEPT = "accept"
    WARN = "warn"  # the first held back in a burst: one reply, owners told
    SILENT = "silent"  # held back, said nothing


def decide(filed: int, burst: Burst | None, limit: LimitsConfig, now: datetime) -> Verdict:
    """The fate of one more request; ``filed``: this person's tickets here in the last window."""
    if filed < limit.tickets_per_window:
        return Verdict.ACCEPT
    if burst is not None and burst.current(now, limit.window):
        return Verdict.SILENT
    return Verdict.WARN


async def hold_back(ctx: Ctx, group: GroupConfig, filed: int) -> list[Reply] | None:
    """None when the request may become a ticket; else the replies (maybe none) instead of one.

    ``filed``: the person's tickets in this group in the last window (``tickets.intake``).
    """
    limit = ctx.config.limits
    if filed < limit.tickets_per_window:  # the common case reads nothing more
        return None
    repo = ctx.store.tickets
    who = (ctx.platform, ctx.msg.sender_id, group.key)
    verdict = decide(filed, await repo.flood_burst(*who), limit, ctx.now)
    burst = await repo.hold(*who, ctx.now, new_burst=verdict is Verdict.WARN)
    if verdict is Verdict.SILENT:
        return []
    return [ctx.reply(warning(limit), mention=ctx.msg.is_group),
            *(Reply(chat, owner_notice(ctx.msg.sender_name, group, filed, burst, limit))
              for chat in recipients(ctx, group))]


async def said_lately(ctx: Ctx, group: GroupConfig, topic: str) -> bool:
    """True when this person got the reply about ``topic`` within the window: say nothing now.

    Topics: ``repeat:E3`` (pointed to a ticket already filed), ``hint:代买`` (a keyword alone).
    """
    window_start = ctx.now - ctx.config.limits.window
    return not await ctx.store.tickets.say_once(
        ctx.platform, ctx.msg.sender_id, group.key, topic, ctx.now, window_start)


def warning(limit: LimitsConfig) -> str:
    """The one reply in the group when a resident goes over the limit."""
    m, n = limit.window_minutes, limit.tickets_per_window
    return (f"您在 {m} 分钟内已登记 {n} 张工单，请稍后再发，这期间的新请求先不受理；"
            "紧急情况请直接打电话给群主或拨打 120。")


def owner_notice(name: str, group: GroupConfig, filed: int, burst: Burst, limit: LimitsConfig) -> str:
    """The owners' one private notice per burst: who, which group, how many held back."""
    m = limit.window_minutes
    return (f"提醒：{name} 在「{group.name}」{m} 分钟内已登记 {filed} 张工单，之后发来的请求"
            f"暂不立单（已暂存 {burst.held} 条原文，不会自动补登）。TA 停下 {m} 分钟前不再提醒您。"
            "发送「待办」查看已登记的工单；如有急事请直接联系 TA。")


def recipients(ctx: Ctx, group: GroupConfig) -> list[ChatRef]:
    """The group's owners in private, or the staff when the group has none."""
    chats = ctx.directory.owner_chats(group)
    if chats:
        return list(chats)
    return [ChatRef.private(group.platform, s) for s in ctx.config.staff.get(group.platform, ())]
