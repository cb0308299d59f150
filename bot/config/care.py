"""``[care]``: the daily check-in (每日平安问询) of vulnerable households, such as elderly people living alone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.reader import Document, Table
from bot.config.small import hhmm


@dataclass(frozen=True, slots=True)
class CareConfig:
    """Which households are asked every day, when, and when the unanswered ones are listed."""

    #: Households with any of these tags are checked on.
    tags: tuple[str, ...] = ("独居老人",)
    #: When linked members are asked in private (HH:MM, local time).
    ask_at: str = "09:00"
    #: When households that have not answered are listed to grid workers and owners.
    list_at: str = "11:00"


def minutes(hhmm_text: str) -> int:
    """``"09:30"`` -> 570: minutes since midnight."""
    hour, minute = hhmm_text.split(":")
    return int(hour) * 60 + int(minute)


def _care(doc: Document) -> CareConfig:
    r = doc.root.sub("care")
    r.only("care")
    default = CareConfig()
    tags = tuple(t.strip() for t in r.strs("tags")) if "tags" in r.table else default.tags
    if not tags or not all(tags):
        raise r.fail("tags", "至少写一个住户标签，例如 tags = [\"独居老人\"] (at least one non-empty tag)")
    ask_at = hhmm(r, "ask_at", r.str("ask_at", default.ask_at))
    list_at = hhmm(r, "list_at", r.str("list_at", default.list_at))
    if minutes(list_at) <= minutes(ask_at):
        raise r.fail("list_at", f"应晚于 ask_at（{ask_at}）：先问询，过一段时间再列出未回复的住户"
                                f"，不是 {list_at!r} (list_at must be later than ask_at)")
    return CareConfig(tags, ask_at, list_at)


CARE = Table("care", ("tags", "ask_at", "list_at"), _care)
