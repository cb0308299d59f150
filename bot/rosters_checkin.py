"""``到岗``: which duty a check-in is for, or why it is none, and who a roster name is.

A person on the roster is matched to their chat account by the platform id the roster gave,
or once, at their first check-in: ``到岗 北门卡点`` matches the one unidentified person of the
current shift whose roster name is the sender's display name, and ``到岗 北门卡点 王小明`` names
them. The link is remembered for every later shift of that name (reminders then reach them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import rosters
from bot.config import Config
from bot.config.checkpoints import CheckpointConfig
from bot.store import Store
from bot.store.rosters import Duty


@dataclass(frozen=True, slots=True)
class Found:
    """The duty being checked in, and whether the person was identified by this check-in."""

    duty: Duty
    identified: bool


def _opens(config: Config, duty: Duty) -> datetime:
    """When a duty may be checked in: its checkpoint's reminder lead time before the start."""
    cp = rosters.checkpoint_named(config, duty.shift.checkpoint)
    before = cp.remind_before_minutes if cp else 30
    return duty.shift.start_at - timedelta(minutes=before)


def _ahead(config: Config) -> timedelta:
    return timedelta(minutes=max((cp.remind_before_minutes for cp in config.checkpoints), default=0))


async def find_duty(store: Store, config: Config, cp: CheckpointConfig, platform: str, user_id: str,
                    name: str, now: datetime) -> Found | str:
    """The duty ``到岗`` checks in at ``cp`` now, or the Chinese answer saying why there is none."""
    mine = await store.rosters.of_person(platform, user_id, now + _ahead(config), now)
    current = [d for d in mine if _opens(config, d) <= now]
    here = [d for d in current if d.shift.checkpoint == cp.key]
    if here:
        return Found(here[0], False)
    if current:
        d = current[0]
        other = rosters.checkpoint_named(config, d.shift.checkpoint)
        where = other.name if other else d.shift.checkpoint
        return (f"您现在的班在「{where}」（{d.shift.hours}），不是「{cp.name}」。"
                f"请到{where}后回复「到岗 {where}」。")
    linked_to = await store.rosters.person(platform, name) if name else ""
    if linked_to and linked_to != user_id:
        return (f"排班表上的「{name}」已由另一个账号确认过身份。如果弄错了，请联系卡点负责人。")
    # Someone the roster already knows is not the unidentified person of this shift.
    year = timedelta(days=366)
    known = bool(await store.rosters.of_person(platform, user_id, now + year, now - year))
    unlinked = [] if known else [
        d for d in await store.rosters.unlinked(cp.key, platform, now + _ahead(config), now)
        if _opens(config, d) <= now]
    wanted = [d for d in unlinked if d.name == name]
    if wanted:
        await store.rosters.link(platform, name, user_id)
        duty = await store.rosters.duty(wanted[0].id)
        assert duty is not None
        return Found(duty, True)
    day = rosters.local_day(now, config.tz).isoformat()
    later = [d for d in await store.rosters.on_day(day, [cp.key]) if d.user_id == user_id or d.name == name]
    if later:
        d = later[0]
        when = "已经结束" if now >= d.shift.end_at else \
            f"还不到上岗时间（开班前 {cp.remind_before_minutes} 分钟起可以到岗）"
        return f"您在「{cp.name}」今天的班是 {d.shift.name}（{d.shift.hours}），{when}。"
    if unlinked:
        return (f"第一次到岗请写上您在排班表上的姓名，例如：到岗 {cp.name} {unlinked[0].name}"
                "（确认一次后，以后会提前提醒您上岗）。")
    return (f"您现在不在「{cp.name}」的排班里。发送「排班 {cp.name}」查看今天的排班；"
            "替别人值班的，请让对方先发「换班 日期 班次 您的姓名」，您一键同意即可。")
