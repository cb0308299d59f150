"""The monthly assessment ranking (考核排名): a score per residents' group, the same order every time.

Each criterion is scored 0–100 from the month's figures (:mod:`bot.store.reports`):

- 入群率 join_rate: households with a member in the group / registered households × 100;
- 办理速度 speed: 100 × (1 − median time to finish / ``speed_hours``), at least 0;
- 按时办结 overdue: 100 × (1 − tickets filed that month and handled late / tickets filed);
- 通知回执 activity: notices confirmed (收到) / notices delivered × 100;
- 满意度 satisfaction: (average rating − 1) / 4 × 100.

The score is the weighted mean of the criteria a group has data for (``[ranking]`` weights): a
group without a household register is not marked down for it. A group with no data at all is
listed last, without a place. Ties keep the order of the groups in bot.toml; equal scores (to
one decimal) share a place. Only group-level figures are used: publishing names no resident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Config, GroupConfig
from bot.config.ranking import CRITERIA
from bot.directory import Directory
from bot.reports.build import average, figures, rate
from bot.reports.period import Period
from bot.store import Store
from bot.store.reports import UnitRows

NAMES = {key: name for key, name, _ in CRITERIA}
#: The families of figures the score reads (see :data:`bot.store.reports.PARTS`).
USED = ("filed", "finish", "late", "ratings", "notices", "households")


@dataclass(frozen=True, slots=True)
class Standing:
    """One group's place (None without data), score and criteria."""

    place: int | None
    group: GroupConfig
    score: float | None
    parts: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every ranked group of one month, best first."""

    period: Period
    standings: tuple[Standing, ...]

    @property
    def ranked(self) -> int:
        """How many groups have a place."""
        return sum(1 for s in self.standings if s.place is not None)


def parts(u: UnitRows, speed_hours: float) -> dict[str, float | None]:
    """Each criterion's 0–100 score, None where the group has no data for it."""
    finish = u.finish.p50
    avg = average(u)
    filed = sum(u.filed.values())
    join = rate(u.joined, u.households)
    receipt = rate(u.confirmed, u.notices)
    return {
        "join_rate": None if join is None else 100 * join,
        "speed": None if finish is None else 100 * max(0.0, 1 - finish / (speed_hours * 3600)),
        "overdue": 100 * (1 - u.late / filed) if filed else None,
        "activity": None if receipt is None else 100 * receipt,
        "satisfaction": None if avg is None else (avg - 1) / 4 * 100,
    }


def score(scored: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """The weighted mean over the criteria with data (and weight); None when there is none."""
    used = [(weights[k], v) for k, v in scored.items() if v is not None and weights.get(k)]
    total = sum(w for w, _ in used)
    return round(sum(w * v for w, v in used) / total, 1) if total else None


def ranked_groups(directory: Directory) -> list[GroupConfig]:
    """The groups the ranking compares: those whose residents file tickets."""
    return [g for g in directory.groups if g.tickets]


async def ranking(store: Store, config: Config, directory: Directory, period: Period,
                  now: datetime) -> Ranking:
    """The month's ranking, computed from one store call over every ranked group."""
    groups = ranked_groups(directory)
    rows = await figures(store, config, {frozenset((g.key,)): g.key for g in groups}, period, now, top=0,
                         parts=USED)
    weights = dict(config.ranking.weights)
    scored = []
    for order, g in enumerate(groups):
        p = parts(rows[g.key], config.ranking.speed_hours)
        scored.append((score(p, weights), order, g, p))
    # Best first; ties (and groups without data, last) in bot.toml order: the same every time.
    scored.sort(key=lambda x: (x[0] is None, -(x[0] or 0.0), x[1]))
    out: list[Standing] = []
    for i, (s, _, g, p) in enumerate(scored):
        place = None if s is None else (out[-1].place if out and out[-1].score == s else i + 1)
        out.append(Standing(place, g, s, p))
    return Ranking(period, tuple(out))
