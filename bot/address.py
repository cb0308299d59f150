"""The one address normaliser: every way a resident or a spreadsheet writes a flat gives one key.

Buildings: ``3-2-501``, ``3栋2单元501``, ``3号楼2单元501室``, ``３－２－５０１``, ``3棟2單元501``,
``3幢2门501``, ``3#2-501``, ``三号楼二单元501`` all give the key ``3-2-501``; a lettered
building (``A座1单元302``, ``a栋1-302``, ``B1栋502``) keeps its letter in capitals
(``A-1-302``, ``B1-502``); without a unit
``5栋301``, ``5-301``, ``5号楼301室``, ``5栋3层301`` give ``5-301`` (the floor is dropped: the room
number already carries it). Villages: ``李家村3组12号``, ``李家村三组 12号``, ``3组12号`` give
``3组-12``.

Decision on estate and village names: a group chat serves one estate or one village, so the
name is NOT part of :attr:`Address.key`; it is kept in :attr:`Address.place`, and
:attr:`Address.qualified_key` (``阳光花园-3-2-501``, ``李家村-3组-12``) is there for a group that
covers several. So ``阳光花园3-2-501`` and ``3-2-501`` match within one group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.text import normalize

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,4}|[一二两三四五六七八九十〇零]{1,3})"
_S = " ?"  # find_address sees single spaces between parts ("3栋 2单元 501")
# Every quantifier is bounded and the parts are told apart by their markers, so a search over
# 5,000 characters of junk stays linear (no nested unbounded repeats).
_CORE = (
    rf"(?:(?:(?P<b>{_NUM}){_S}(?P<bm>号楼|号栋|号幢|栋|幢|楼|座|号|#|-)"
    # A building named by a letter ("A座", "B栋", "A1栋", "12A栋") takes a word for building:
    # "A-2-501" and "E12号" are codes and counts more often than flats.
    rf"|(?P<lb>[A-Za-z]\d{{0,2}}|\d{{1,3}}[A-Za-z]){_S}(?:号楼|栋|幢|楼|座)){_S}"
    rf"(?:(?P<u>{_NUM}){_S}(?P<um>单元|门|-){_S})?"
    rf"(?:(?P<f>\d{{1,2}}){_S}(?:层|楼){_S})?"
    rf"(?P<r>\d{{1,5}})(?P<rm>{_S}(?:室|号|户))?"
    rf"|(?P<g>{_NUM}){_S}(?:组|队|社){_S}(?P<h>\d{{1,4}})(?P<hm>{_S}(?:号|户))?)"
    r"(?![0-9#-]|[A-Za-z])"
)
_PLACE_END = "小区|花园|家园|新村|公寓|大厦|社区|苑|园|府|城|庭|居|里|村|庄|院|坊|阁|湾|区|期"
_FIND = re.compile(
    rf"(?:(?P<p>[\u4e00-\u9fff]{{1,10}}?(?:{_PLACE_END})){_S})?(?<![0-9A-Za-z#.-]){_CORE}"
)
# An estate name may hold letters ("SOHO公寓") but not end in one ("A3-2-501" is no address)
# nor in a numeral ("十一号楼" is building 11, not building 1 of an estate called 十).
_FULL = re.compile(
    rf"(?P<p>(?:[\u4e00-\u9fffA-Za-z]{{0,29}}?(?![一二两三四五六七八九十〇零])[\u4e00-\u9fff])??){_CORE}"
)
# Words in front of an address that are not part of the estate name ("我家住阳光花园").
_LEAD = re.compile(r"^(?:我们|我家|家住|住在|地址是|地址|送到|送至|我|住|在|是|到)+")
_TRAIL = " \t。.,，!！;；:：)）"


@dataclass(frozen=True)
class Address:
    """One flat or village household, with a canonical comparable key."""

    kind: Literal["building", "village"]
    key: str  #: ``3-2-501``, ``5-301`` or ``3组-12``: compare addresses with this
    display: str  #: a tidy human form: ``3栋2单元501``, ``5栋301``, ``李家村3组12号``
    place: str | None  #: the estate or village name when one was written
    building: str | None  #: building number (or the village group number for villages)
    unit: str | None
    room: str  #: room number (or house number for villages)

    @property
    def qualified_key(self) -> str:
        """The key with the estate or village name in front, for groups covering several."""
        return f"{self.place}-{self.key}" if self.place else self.key


def _number(text: str) -> int | None:
    """``12`` or ``十二`` as an int; None for nonsense like ``二二十``."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        if len(text) != 1:
            return None  # "二二" is not a way to write 22 on a building
        return _CN_DIGITS.get(text)
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    high = _CN_DIGITS.get(tens, -1) if tens else 1
    low = _CN_DIGITS.get(ones, -1) if ones else 0
    return None if high < 1 or low < 0 else high * 10 + low


def _build(m: re.Match[str], place: str | None) -> Address | None:
    """An Address from a core match, or None when the digits do not look like a flat."""
    if m["g"] is not None:
        group, house = _number(m["g"]), m["h"]
        if not group or (not m["hm"] and not place) or house.startswith("0"):
            return None  # "3组12" alone could be anything; "3组12号" or "李家村3组12" is a house
        where = place or ""
        return Address("village", f"{group}组-{int(house)}", f"{where}{group}组{int(house)}号",
                       place, str(group), None, str(int(house)))
    u, room = m["u"], m["r"]
    if m["lb"] is not None:
        b: int | str | None = m["lb"].upper()
        dashed = False
    else:
        b = _number(m["b"])
        dashed = m["bm"] in "#-"
    if not b or room.startswith("0") or (dashed and not m["b"].isdigit()):
        return None
    unit: int | None = None
    if u is not None:
        unit = _number(u)
        if not unit or (m["um"] == "-" and not u.isdigit()) or len(u) > 2:
            return None
    if not m["rm"] and len(room) < 3:
        return None  # "5-12" is a date or a score more often than a flat
    if len(m["b"] or m["lb"]) + len(u or "") + len(room) > 9:
        return None  # a phone number written 138-0013-8000
    if unit is None:
        return Address("building", f"{b}-{int(room)}", f"{place or ''}{b}栋{int(room)}",
                       place, str(b), None, str(int(room)))
    return Address("building", f"{b}-{unit}-{int(room)}", f"{place or ''}{b}栋{unit}单元{int(room)}",
                   place, str(b), str(unit), str(int(room)))


def _place(raw: str | None) -> str | None:
    return _LEAD.sub("", raw or "") or None


def normalise_address(text: str) -> Address | None:
    """The address that ``text`` is as a whole (a spreadsheet cell), or None if it is not one."""
    flat = "".join(normalize(text[:200]).split()).strip(_TRAIL)
    m = _FULL.fullmatch(flat)
    return _build(m, _place(m["p"])) if m else None


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One typed character as :func:`bot.text.normalize` sees it (whitespace stays one space)."""
    return normalize(ch) or " "


def _fold(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index of the typed one it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = ch if ch < "\x80" and not ch.isspace() else _fold_char(ch)
        out.append(piece)
        origin.extend([i] * len(piece))
    return "".join(out), origin


def find_address(text: str) -> tuple[Address, int, int] | None:
    """The first address inside a message, with its start and end in ``text`` as typed."""
    folded, origin = _fold(text)
    for m in _FIND.finditer(folded):
        raw_place = m["p"]
        place = _place(raw_place)
        address = _build(m, place)
        if address is None:
            continue
        if raw_place and place:  # the span starts at the estate name, after any "我住"
            start = m.start("p") + len(raw_place) - len(place)
        else:
            start = next(m.start(part) for part in ("b", "lb", "g") if m[part] is not None)
        return address, origin[start], origin[m.end() - 1] + 1
    return None
