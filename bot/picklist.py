"""Daily grocery pick lists (配菜单): one group's open grocery errands of a day, by building and unit.

The errands are those of category ``groceries`` (买菜/生活物资: 代买 大米、买菜 …, see
:mod:`bot.keywords`) filed on the local day and still open. Each is placed by the one address
normaliser (``3栋2单元501``, ``三號樓2單元302``, ``3号楼101`` all land in 3栋): the household's
registered address when the errand is linked to one, else the address in the errand. Errands
of one household are merged. The list carries names and phones: private chats and files only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.address import Address, find_address, normalise_address
from bot.store import Store
from bot.store.households import Household as Registered
from bot.text import normalize
from bot.tickets import Ticket

CATEGORY = "groceries"
UNKNOWN = "地址不详"
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
_PHONE_WORDS = re.compile(r"(?:联系)?(?:电话|手机|手机号|联系方式)[:：]?\s*$")
_ITEM_SPLIT = re.compile(r"[，,、；;。\s]+")


@dataclass
class Home:
    """One household's bag: where, who, how to reach them, what to pack and which errands."""

    address: str
    name: str
    phone: str
    unit: str
    order: tuple[int, int]
    items: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The household as ``gridbot picklist --format json`` prints it."""
        return {"address": self.address, "name": self.name, "phone": self.phone,
                "items": self.items, "tickets": self.tickets}


@dataclass
class Building:
    """One building's (or village group's) households, by unit and room."""

    label: str
    order: tuple[int, str]
    homes: list[Home] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The building as ``gridbot picklist --format json`` prints it."""
        return {"building": self.label, "households": [h.as_json() for h in self.homes]}


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def building_label(address: Address | None) -> str:
    """``3栋``, ``阳光花园3栋``, ``李家村3组``; :data:`UNKNOWN` for no address."""
    if address is None:
        return UNKNOWN
    mark = "栋" if address.kind == "building" else "组"
    return f"{address.place or ''}{address.building}{mark}"


def building_of(word: str) -> str | None:
    """The building label a person means by ``3栋``, ``3号楼``, ``三號樓``, ``3``, ``3组``; None if none."""
    written = normalize(word).strip()
    if written.isdigit():
        written += "栋"
    found = normalise_address(written + "101室") or normalise_address(written + "1号")
    return building_label(found) if found is not None else None


def _address(t: Ticket, home: Registered | None) -> Address | None:
    for text in (home.address if home else "", t.address):
        if text and (found := normalise_address(text)) is not None:
            return found
    inside = find_address(t.text)
    return inside[0] if inside else None


def items_of(t: Ticket) -> list[str]:
    """What the errand asks for: its text without the address and the phone, split into items."""
    text = t.text
    if t.address and t.address in text:  # the filing read it out of this text: no second search
        text = text.replace(t.address, " ")
    elif inside := find_address(text):
        text = text[:inside[1]] + " " + text[inside[2]:]
    for m in reversed(list(_PHONE.finditer(text))):
        text = _PHONE_WORDS.sub("", text[:m.start()]) + " " + text[m.end():]
    return [part for part in _ITEM_SPLIT.split(text) if part.strip("：:")]


def _phone(t: Ticket, home: Registered | None) -> str:
    if home is not None and home.phone:
        return home.phone
    m = _PHONE.search(t.text)
    return re.sub(r"[\s-]", "", m[1]) if m else ""


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends."""
    start = datetime.combine(day, time(0, 0), tz)
    return start, start + timedelta(days=1)


async def build(store: Store, group_key: str, day: date, tz: ZoneInfo) -> list[Building]:
    """The day's pick list of one group: buildings in number order, unknown addresses last."""
    since, until = day_bounds(day, tz)
    errands = await store.rosters.open_errands(group_key, CATEGORY, since, until)
    homes: dict[str, Home] = {}
    buildings: dict[str, Building] = {}
    for t in errands:
        registered = await store.households.get(t.household_id) if t.household_id else None
        address = _address(t, registered)
        label = building_label(address)
        key = address.qualified_key if address else f"?{t.requester_id}:{t.address}"
        home = homes.get(key)
        if home is None:
            order = (_int(address.unit), _int(address.room)) if address else (0, 0)
            home = homes[key] = Home(address.display if address else (t.address or UNKNOWN),
                                     registered.head if registered and registered.head else t.requester_name,
                                     _phone(t, registered), (address.unit or "") if address else "", order)
            building = buildings.get(label)
            if building is None:
                rank = _int(address.building) if address else 1 << 30
                building = buildings[label] = Building(label, (rank, label))
            building.homes.append(home)
        home.items += items_of(t)
        home.tickets.append(t.code)
        home.phone = home.phone or _phone(t, registered)
    out = sorted(buildings.values(), key=lambda b: b.order)
    for b in out:
        b.homes.sort(key=lambda h: h.order)
    return out


def counts(buildings: Sequence[Building]) -> tuple[int, int]:
    """(households, errands) on a pick list."""
    homes = [h for b in buildings for h in b.homes]
    return len(homes), sum(len(h.tickets) for h in homes)


def title(group_name: str, day: date, buildings: Sequence[Building]) -> str:
    """The heading of a pick list, in chat and on paper."""
    homes, errands = counts(buildings)
    return f"配菜单 {group_name} {day.isoformat()}（{len(buildings)} 栋/组，{homes} 户，{errands} 单）"


def text(group_name: str, day: date, buildings: Sequence[Building]) -> str:
    """The pick list as a private chat message: building, unit, then each household's bag."""
    lines = [f"【{title(group_name, day, buildings)}】"]
    for b in buildings:
        lines.append(f"■ {b.label}（{len(b.homes)} 户）")
        unit = None
        for h in b.homes:
            if h.unit and h.unit != unit:
                lines.append(f"  {h.unit}单元")
            unit = h.unit
            who = " ".join(p for p in (h.name, h.phone or "无电话") if p)
            lines.append(f"  · {h.address} {who}：{'、'.join(h.items) or '（见工单）'}（{'、'.join(h.tickets)}）")
    lines.append(f"送达后回复「配送完成 {buildings[0].label}」，该楼的代买单即办结并通知居民。")
    return "\n".join(lines)
