"""``[[checkpoints]]``: checkpoints (卡点), their leads and their daily shifts (班次).

A shift's ``people`` stand it every day (a fixed roster); ``gridbot roster import`` adds dated
shifts, and for a checkpoint and day it covers, replaces the fixed ones. A person is written
``"王小明"`` or ``"王小明:12345"`` (name and platform id on the checkpoint group's platform); without
an id they are matched once when they check in with ``到岗 卡点 姓名``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.groups import group_lookup, telegram_ids
from bot.config.reader import Document, Reader, Table
from bot.config.small import hhmm


@dataclass(frozen=True, slots=True)
class ShiftConfig:
    """A shift repeated every day: its name, local start and end, and who stands it."""

    name: str
    start: str
    end: str
    #: (name, platform id or "") of each person.
    people: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CheckpointConfig:
    """One checkpoint: where its alerts go and its shifts."""

    key: str
    name: str
    group: str
    #: Platform ids of the checkpoint's leads (on the group's platform): told of missed check-ins.
    leads: tuple[str, ...] = ()
    shifts: tuple[ShiftConfig, ...] = ()
    #: Minutes before a shift its people are reminded (and may check in).
    remind_before_minutes: int = 30
    #: Minutes after a shift starts that a missing check-in is reported to the lead and the owners.
    late_after_minutes: int = 15


def split_person(text: str) -> tuple[str, str]:
    """``"王小明:12345"`` -> (``"王小明"``, ``"12345"``); a bare name has no id."""
    name, _, user_id = text.replace("：", ":").partition(":")
    return name.strip(), user_id.strip()


def _minutes(r: Reader, name: str, default: int) -> int:
    value = r.num(name, default)
    if not value.is_integer() or value < 1 or value > 24 * 60:
        raise r.fail(name, f"应是 1 到 1440 之间的整数（分钟），不是 {value!r} (whole minutes, 1-1440)")
    return int(value)


def _end(r: Reader) -> str:
    written = r.str("end")
    return "24:00" if written.strip() in ("24:00", "24:0") else hhmm(r, "end", written)


_SHIFT_KEYS = ("name", "start", "end", "people")


def _shifts(r: Reader, platform: str) -> tuple[ShiftConfig, ...]:
    out: dict[str, ShiftConfig] = {}
    for s in r.items("shifts", "班次"):
        for written in s.table:
            if written not in _SHIFT_KEYS:
                raise s.fail(written, f"班次里只能写 {'、'.join(_SHIFT_KEYS)} (unknown shift key)")
        name = s.str("name")
        if name in out:
            raise s.fail("name", f"班次名 {name!r} 重复了 (duplicate shift name)")
        start, end = hhmm(s, "start", s.str("start")), _end(s)
        if start == end:
            raise s.fail("end", f"结束时间不能等于开始时间 {start}；跨夜的班写 start = \"22:00\"、end = \"06:00\""
                                " (a shift cannot end when it starts)")
        people = tuple(split_person(p) for p in s.strs("people"))
        if any(not n for n, _ in people):
            raise s.fail("people", "每个人写 \"姓名\" 或 \"姓名:平台ID\"，姓名不能为空 (a name is required)")
        if platform == "telegram":
            telegram_ids(s, "people", tuple(i for _, i in people if i))
        out[name] = ShiftConfig(name, start, end, people)
    return tuple(out.values())


def _checkpoints(doc: Document) -> tuple[CheckpointConfig, ...]:
    find_group = group_lookup(doc)
    out: dict[str, CheckpointConfig] = {}
    for r in doc.root.items("checkpoints", "卡点"):
        r.only("checkpoints")
        key = r.str("key")
        if key in out:
            raise r.fail("key", f"卡点的 key {key!r} 重复了，每个卡点的 key 要不同 (duplicate checkpoint key)")
        written = r.str("group")
        group = find_group(written)
        if group is None:
            raise r.fail("group", f"没有这个群 {written!r}：写某个群的 key 或群名 (unknown group)")
        leads = r.strs("leads")
        if group.platform == "telegram":
            telegram_ids(r, "leads", leads)
        out[key] = CheckpointConfig(
            key, r.str("name", key), group.key, leads, _shifts(r, group.platform),
            _minutes(r, "remind_before_minutes", 30), _minutes(r, "late_after_minutes", 15))
    return tuple(out.values())


CHECKPOINTS = Table("checkpoints", ("key", "name", "group", "leads", "shifts", "remind_before_minutes",
                                    "late_after_minutes"), _checkpoints, array=True)
