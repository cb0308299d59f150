"""The household register as owners read and edit it: field values, cards, join-rate reports.

Routing lives in ``handlers/households.py``; this module only turns text into values and
records into text, so it is testable alone. Everything here is for private chats: cards carry
phone numbers and tags, which never go to a group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.config import GridConfig, GroupConfig
from bot.household_file import normalise_phone
from bot.store.households import TAG_SEPARATOR, Household, HouseholdData, JoinRate, Member
from bot.text import one_line

#: The fields ``住户 修改`` changes, by the word owners write.
FIELDS = {"电话": "phone", "手机": "phone", "户主": "head", "姓名": "head", "人数": "members",
          "人口": "members", "标签": "tags", "网格": "grid_key"}
FIELD_WORDS = "电话|户主|人数|标签|网格"
#: A value that empties a field (tags, grid).
CLEAR = frozenset({"无", "空", "清空", "没有", "-"})
MAX_MEMBERS = 99
MAX_HEAD = 20
MAX_TAGS, MAX_TAG, MAX_GRID = 10, 10, 20
#: Lines and township sections of one 入群率 reply.
MAX_LINES, MAX_SECTIONS = 80, 40
_TAG_SPLIT = re.compile(r"[、,，;；\s]+")
_COUNT = re.compile(r"(\d{1,3})\s*(?:人|口|位)?")


class BadValue(ValueError):
    """A field value that cannot be used; the message says why and how to write it, in Chinese."""


def clean_phone(text: str) -> str:
    """Digits of a mobile or landline number, as imports store them; raises :class:`BadValue`."""
    phone = normalise_phone(text)
    if not phone:
        raise BadValue(f"「{one_line(text, 20)}」不是电话号码：手机写 11 位（如 13812345678），"
                       "座机带区号（如 010-62345678）")
    return phone


def clean_members(text: str) -> int:
    """A number of people from ``3``, ``3人``, ``３口``; raises :class:`BadValue`."""
    m = _COUNT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m is None or not 1 <= int(m.group(1)) <= MAX_MEMBERS:
        raise BadValue(f"「{one_line(text, 20)}」不是人数：请写 1 到 {MAX_MEMBERS} 之间的整数，例如 3")
    return int(m.group(1))


def clean_head(text: str) -> str:
    """A head of household's name; raises :class:`BadValue`."""
    name = text.strip()
    if not name or len(name) > MAX_HEAD:
        raise BadValue(f"户主姓名应为 1 到 {MAX_HEAD} 个字")
    return name


def split_tags(text: str) -> tuple[str, ...]:
    """Tags separated by 、 , ; or spaces, in order, without repeats; 无/清空 means none.

    Raises :class:`BadValue` for more or longer tags than a card can show.
    """
    if text.strip() in CLEAR:
        return ()
    tags = tuple(dict.fromkeys(t for t in _TAG_SPLIT.split(text.strip()) if t))
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG for t in tags):
        raise BadValue(f"标签最多 {MAX_TAGS} 个、每个最多 {MAX_TAG} 个字，用「、」隔开，例如 独居老人、慢病")
    return tags


def clean_grid(text: str) -> str:
    """A grid key, or '' for 无/清空; raises :class:`BadValue` on spaces."""
    value = text.strip()
    if value in CLEAR:
        return ""
    if not value or re.search(r"\s", value) or len(value) > MAX_GRID:
        raise BadValue(f"网格写一个编号（如 g1），最多 {MAX_GRID} 个字符、不能有空格；写「无」取消网格。收到的是「{one_line(text, 20)}」")
    return value


def changed(data: HouseholdData, field: str, text: str) -> HouseholdData:
    """``data`` with one field (a value of :data:`FIELDS`) set from what an owner wrote."""
    if field == "phone":
        return replace(data, phone=clean_phone(text))
    if field == "head":
        return replace(data, head=clean_head(text))
    if field == "members":
        return replace(data, members=clean_members(text))
    if field == "tags":
        return replace(data, tags=split_tags(text))
    return replace(data, grid_key=clean_grid(text))


def card(h: Household, group: GroupConfig | None, linked: Sequence[Member], tz: ZoneInfo,
         grid: GridConfig | None = None) -> str:
    """A household as its owner reads it in private: phone, tags and linked members included."""
    where = group.name if group else h.group_key
    lines = [f"【住户】{h.address}（{where}）",
             f"户主：{h.head or '未填'}　电话：{h.phone or '未填'}",
             f"人数：{h.members}　标签：{TAG_SEPARATOR.join(h.tags) or '无'}",
             f"网格：{_grid(h, grid)}"]
    if linked:
        names = "、".join(f"{m.name}（实名 {m.real_name}）" if m.real_name and m.real_name != m.name
                         else m.name for m in linked[:10])
        more = f" 等 {len(linked)} 人" if len(linked) > 10 else ""
        lines.append(f"已入群：{names}{more}")
    else:
        lines.append("已入群：还没有人（计入未入群）")
    lines.append(f"更新于 {h.updated_at.astimezone(tz):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def _grid(h: Household, grid: GridConfig | None) -> str:
    if not h.grid_key:
        return "未分网格"
    if grid is None:  # named by an import, no worker configured
        return h.grid_key
    workers = f" · 网格员 {'、'.join(grid.workers)}" if grid.workers else ""
    return f"{grid.name}（{grid.key}{workers}）"


def percent(rate: JoinRate) -> str:
    """``18/30 户（60%）``, or a note for a group without households."""
    if rate.rate is None:
        return "未登记住户"
    return f"{rate.joined}/{rate.households} 户（{rate.rate:.0%}）"


@dataclass(frozen=True, slots=True)
class Section:
    """Groups under one parent (a township) and their totals."""

    title: str
    rates: list[tuple[GroupConfig, JoinRate]]

    @property
    def total(self) -> JoinRate:
        """The section's households and joined households together."""
        return JoinRate(self.title, sum(r.households for _, r in self.rates),
                        sum(r.joined for _, r in self.rates))


def sections(rates: Sequence[tuple[GroupConfig, JoinRate]],
             parent_name: dict[str, str]) -> list[Section]:
    """Groups with households by parent (in first-seen order), the lowest rate first in each."""
    by_parent: dict[str, list[tuple[GroupConfig, JoinRate]]] = {}
    for group, rate in rates:
        if rate.households:
            title = parent_name.get(group.parent or "", "未挂上级的群")
            by_parent.setdefault(title, []).append((group, rate))
    return [Section(title, sorted(items, key=lambda x: (x[1].rate or 0.0, x[0].name)))
            for title, items in by_parent.items()]


def join_rate_report(rates: Sequence[tuple[GroupConfig, JoinRate]],
                     parent_name: dict[str, str]) -> str:
    """``入群率``: the total, then each township's total and its groups, lowest first."""
    parts = sections(rates, parent_name)
    empty = [g.name for g, r in rates if not r.households]
    if not parts:
        return ("您负责的群还没有登记住户，入群率无从算起。登记住户：私聊我发送「住户 新增 地址 户主 电话」，"
                "或由管理员用 gridbot households import 导入表格。")
    total = JoinRate("", sum(s.total.households for s in parts), sum(s.total.joined for s in parts))
    lines = [f"【入群率】合计 {percent(total)}（至少一人入群的户 / 登记户数）"]
    # One chat message (Telegram: 4,096 characters): a district of 400 villages shows each
    # township's total and its lowest groups, the ones to work on; 入群率 街道名 shows the rest.
    per = MAX_LINES if len(parts) == 1 else max(1, MAX_LINES // len(parts) - 2)
    for s in parts[:MAX_SECTIONS]:
        if len(parts) > 1:
            lines.append(f"\n{s.title}：{percent(s.total)}")
        lines += [f"· {g.name} {percent(r)}" for g, r in s.rates[:per]]
        if len(s.rates) > per:
            lines.append(f"…另有 {len(s.rates) - per} 个群入群率更高" +
                         (f"，全部：入群率 {s.title}" if s.title in parent_name.values() else ""))
    if len(parts) > MAX_SECTIONS:
        lines.append(f"\n…另有 {len(parts) - MAX_SECTIONS} 个上级群，请写群名查看：入群率 群名")
    if empty:
        shown = "、".join(empty[:5]) + (f" 等 {len(empty)} 个群" if len(empty) > 5 else "")
        lines.append(f"\n未登记住户的群：{shown}")
    lines.append("\n查看没有人入群的住户（含电话）：未入群 [群名]")
    return "\n".join(lines)


def unjoined_line(h: Household) -> str:
    """One household to call: address, head, phone."""
    return f"· {h.address} {h.head or '户主未填'} {h.phone or '无电话'}"
