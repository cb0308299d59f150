"""``[reports]`` (when weekly and monthly reports go out) and ``[ranking]`` (考核排名 weights).

Daily reports keep following ``[digest] times``, so old files load unchanged. Schedules are
written like notice schedules (每周一 08:30, 每月1日 09:00) and checked at load; "" turns one off.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.config.platforms import BOT
from bot.config.reader import Document, Reader, Table
from bot.schedule_spec import HOW_TO, SpecError, trigger


@dataclass(frozen=True, slots=True)
class ReportsConfig:
    """When 周报 and 月报 reach owners and staff ("" = not scheduled)."""

    weekly: str = "每周一 08:30"
    monthly: str = "每月1日 08:30"


WEEKLY, MONTHLY = "每周一 08:30", "每月1日 08:30"


#: The ranking's criteria: key in bot.toml, name in Chinese, default weight.
CRITERIA: tuple[tuple[str, str, float], ...] = (
    ("join_rate", "入群率", 0.25),
    ("speed", "办理速度", 0.25),
    ("overdue", "按时办结", 0.2),
    ("activity", "通知回执", 0.1),
    ("satisfaction", "满意度", 0.2),
)


@dataclass(frozen=True, slots=True)
class RankingConfig:
    """The monthly assessment ranking: weights of each criterion, and its publishing."""

    weights: tuple[tuple[str, float], ...] = tuple((k, w) for k, _, w in CRITERIA)
    #: A median time to finish of this many hours or more scores 0 for speed.
    speed_hours: float = 24.0
    #: How many places the groups hear besides their own.
    top: int = 10
    #: When last month's ranking is published to the groups and sent to staff ("" = by hand).
    publish: str = ""

    def weight(self, key: str) -> float:
        """The weight of one criterion."""
        return dict(self.weights)[key]


def _spec(r: Reader, key: str, default: str, tz: ZoneInfo) -> str:
    value = r.str(key, default).strip()
    if value:
        try:
            trigger(value, tz)
        except SpecError as exc:
            why = str(exc)
            raise r.fail(key, why if HOW_TO in why else f"{why}{HOW_TO}") from None
    return value


def _reports(doc: Document) -> ReportsConfig:
    r = doc.root.sub("reports")
    r.only("reports")
    tz = ZoneInfo(doc[BOT].timezone)
    return ReportsConfig(weekly=_spec(r, "weekly", WEEKLY, tz),
                         monthly=_spec(r, "monthly", MONTHLY, tz))


def _weight(r: Reader, key: str, name: str, default: float) -> float:
    value = r.table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise r.fail(key, f"「{name}」的权重应是不小于 0 的数字，例如 {key} = {default}，不是 {value!r}"
                          f"（各项权重按比例计分，不必加起来等于 1）")
    return float(value)


def _ranking(doc: Document) -> RankingConfig:
    r = doc.root.sub("ranking")
    r.only("ranking")
    weights = tuple((key, _weight(r, key, name, default)) for key, name, default in CRITERIA)
    if not any(w for _, w in weights):
        raise r.fail("join_rate", "各项权重不能全是 0：至少给一项大于 0 的权重，例如 join_rate = 0.25")
    top = r.table.get("top", 10)
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 50:
        raise r.fail("top", f"应是 1 到 50 之间的整数（各群看到前几名），不是 {top!r}；例如 top = 10")
    speed = r.num("speed_hours", 24.0)
    if speed <= 0:
        raise r.fail("speed_hours", f"应是大于 0 的小时数，例如 speed_hours = 24，不是 {speed!r}")
    return RankingConfig(weights=weights, speed_hours=speed, top=top,
                         publish=_spec(r, "publish", "", ZoneInfo(doc[BOT].timezone)))


REPORTS = Table("reports", ("weekly", "monthly"), _reports)
RANKING = Table("ranking", (*(k for k, _, _ in CRITERIA), "speed_hours", "top", "publish"), _ranking)
