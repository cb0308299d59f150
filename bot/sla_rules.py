"""Time limits of a ticket: which deadline it is racing, when its holder is reminded, quiet hours.

Pure rules over :class:`~bot.config.SlaConfig`; :mod:`schedules.sla` picks the tickets and sends.
An open ticket races its accept limit; an accepted or assigned one its finish limit, both counted
from when it was filed (what the resident waits). A non-urgent ticket's reminders and escalations
wait out the quiet hours; an urgent one's go at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal

from bot.config import Config
from bot.directory import Directory
from bot.kinds import REGISTRY, kind_of
from bot.message import ChatRef
from bot.tickets import OPEN, Ticket

Phase = Literal["accept", "finish"]
#: A ticket's next moment once everything in its phase was said: only a change wakes it.
ENDLESS = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Deadline:
    """The limit a ticket is racing now."""

    phase: Phase
    start: datetime
    limit: timedelta
    #: When its holder is reminded: ``remind_before`` ahead, at most half the limit ahead.
    remind_at: datetime

    @property
    def due(self) -> datetime:
        """When the limit runs out."""
        return self.start + self.limit

    def levels(self, now: datetime) -> int:
        """How many levels up it has climbed: one at the deadline, one more per further period."""
        return int((now - self.start) / self.limit)

    def next_after(self, now: datetime) -> datetime:
        """When there is next something to say: the reminder, the deadline, or the next level."""
        if now < self.remind_at:
            return self.remind_at
        if now < self.due:
            return self.due
        return self.start + self.limit * (self.levels(now) + 1)


def deadline(config: Config, t: Ticket) -> Deadline | None:
    """The deadline an unfinished ticket is racing, or None for a finished one."""
    if t.is_final:
        return None
    limits = config.sla.limit(t.kind, t.priority)
    phase: Phase = "accept" if t.status == OPEN else "finish"
    limit = limits.accept if phase == "accept" else limits.finish
    due = t.created_at + limit
    return Deadline(phase, t.created_at, limit, due - min(config.sla.remind_before, limit / 2))


def limits(config: Config) -> dict[tuple[str, str, bool], timedelta]:
    """Every limit by (kind, priority, still to be accepted): what a query needs to select the
    overdue itself instead of reading every open ticket."""
    out: dict[tuple[str, str, bool], timedelta] = {}
    for kind in REGISTRY:
        for priority in ("urgent", "normal"):
            pair = config.sla.limit(kind.key, priority)
            out[(kind.key, priority, True)] = pair.accept
            out[(kind.key, priority, False)] = pair.finish
    return out


def rules(config: Config) -> str:
    """Everything that decides when a ticket's reminders and escalations fall, as one text: the
    scan plans each ticket's next moment with these, and plans again when they change."""
    every = sorted((k, p, a, str(v)) for (k, p, a), v in limits(config).items())
    return repr((every, str(config.sla.remind_before), config.sla.quiet_hours, str(config.tz)))


def overdue(config: Config, t: Ticket, now: datetime) -> bool:
    """Whether an unfinished ticket is past the deadline it is racing (digests count these)."""
    d = deadline(config, t)
    return d is not None and now > d.due


def finish_limit(config: Config, t: Ticket) -> timedelta:
    """How long a ticket may stay unfinished (what digests count as overdue)."""
    return config.sla.limit(t.kind, t.priority).finish


def quiet(config: Config, now: datetime) -> bool:
    """Whether ``now`` falls in the configured quiet hours (in the bot's time zone)."""
    if config.sla.quiet_hours is None:
        return False
    start, end = (time.fromisoformat(x) for x in config.sla.quiet_hours)
    local = now.astimezone(config.tz).time().replace(tzinfo=None)
    # 22:00-07:00 wraps past midnight; 12:00-14:00 does not.
    return start <= local < end if start < end else (local >= start or local < end)


def quiet_end(config: Config, now: datetime) -> datetime:
    """When the quiet hours ``now`` falls in end (the next time their end comes round)."""
    assert config.sla.quiet_hours is not None
    end = time.fromisoformat(config.sla.quiet_hours[1])
    local = now.astimezone(config.tz)
    at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def held(config: Config, t: Ticket, now: datetime) -> bool:
    """Whether a reminder about this ticket waits for the quiet hours to end (urgent never waits)."""
    return t.priority != "urgent" and quiet(config, now)


def holder_chats(directory: Directory, t: Ticket) -> list[ChatRef]:
    """Who holds a ticket: whoever accepted it, else its grid's workers and its group's owners."""
    if t.handler_id:
        return [ChatRef.private(t.platform, t.handler_id)]
    # The grid's workers first, as with the new ticket's push.
    chats = directory.grid_worker_chats(t.grid_key) if t.grid_key and kind_of(t.kind).to_grid else []
    group = directory.group(t.group_key)
    owners = directory.owner_chats(group) if group is not None else []
    return chats + [c for c in owners if c not in chats]


def span(d: timedelta) -> str:
    """A duration in Chinese: 10 分钟, 2 小时, 1.5 小时."""
    minutes = d.total_seconds() / 60
    return f"{minutes:g} 分钟" if minutes < 60 else f"{minutes / 60:g} 小时"


def reminder_text(config: Config, t: Ticket, d: Deadline, now: datetime) -> str:
    """The holder's reminder: what to do by when (or that the time is up, after quiet hours)."""
    verb = "接单" if d.phase == "accept" else "办结"
    due = d.due.astimezone(config.tz)
    when = f"{due:%H:%M}" if due.date() == now.astimezone(config.tz).date() else f"{due:%m-%d %H:%M}"
    state = f"须在 {when} 前{verb}" if now < d.due else f"已超过{verb}时限（{when}）"
    todo = "请尽快接单或指派" if d.phase == "accept" else "请尽快办理，办好后回复 完成 " + t.code
    return f"【{verb}提醒】{t.code} {state}（时限 {span(d.limit)}），{todo}。"


def escalation_text(t: Ticket, d: Deadline, now: datetime) -> str:
    """What the level above is told when a deadline has passed."""
    seconds = (now - d.start).total_seconds()
    waited = f"{seconds // 60:.0f} 分钟" if seconds < 3600 else f"{seconds / 3600:.0f} 小时"
    verb = "未接单" if d.phase == "accept" else "未办结"
    return f"【超时提醒】{t.code} 已 {waited}{verb}（时限 {span(d.limit)}），请督办："
