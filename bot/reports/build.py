"""Building reports: one store call per period for any number of scopes, derived figures."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Config
from bot.kinds import REGISTRY
from bot.reports.period import Kind, Period
from bot.reports.scope import Line, Scope
from bot.store import Store
from bot.store.reports import PARTS, UnitRows


@dataclass(frozen=True, slots=True)
class Report:
    """One audience's report: the total and each line, this period and the one before."""

    kind: Kind
    period: Period
    scope: Scope
    total: UnitRows
    before: UnitRows
    lines: tuple[tuple[Line, UnitRows, UnitRows], ...]
    #: When it was made: the overdue list is as of this time.
    made_at: datetime

    @property
    def empty(self) -> bool:
        """Nothing happened in the period and nothing is waiting: no report worth reading."""
        return not has_data(self.total)


def has_data(u: UnitRows) -> bool:
    """Whether a unit has anything to report for the period (what is overdue now does not count:
    it is the same in every period's report)."""
    return bool(u.filed or u.done or u.rejected or u.open or u.ratings or u.notices or u.campaign_asked)


def limits(config: Config) -> dict[tuple[str, str], tuple[timedelta, timedelta]]:
    """(kind, priority) -> (accept limit, finish limit), from ``[sla]``."""
    out = {}
    for kind in REGISTRY:
        for priority in ("urgent", "normal"):
            pair = config.sla.limit(kind.key, priority)
            out[(kind.key, priority)] = (pair.accept, pair.finish)
    return out


async def figures(store: Store, config: Config, sets: dict[frozenset[str], str], period: Period,
                  now: datetime, top: int = 5, parts: Collection[str] = PARTS) -> dict[str, UnitRows]:
    """The store's figures for each named set of groups over one period (overdue as of ``now``)."""
    units = {name: sorted(keys) for keys, name in sets.items()}
    return await store.reports.period(units, period.start, period.end, now, limits(config), top=top,
                                      parts=parts)


async def build(store: Store, config: Config, kind: Kind, scopes: Sequence[Scope],
                period: Period, now: datetime) -> list[Report]:
    """Every scope's report for ``period`` and the period before it: two store calls in all."""
    sets: dict[frozenset[str], str] = {}
    for s in scopes:
        for keys in (s.groups, *(line.groups for line in s.lines)):
            sets.setdefault(frozenset(keys), f"u{len(sets)}")
    rows = await figures(store, config, sets, period, now)
    before = await figures(store, config, sets, period.previous(), now, top=0)

    def pick(rows: dict[str, UnitRows], keys: Sequence[str]) -> UnitRows:
        return rows[sets[frozenset(keys)]]

    return [Report(kind, period, s, pick(rows, s.groups), pick(before, s.groups),
                   tuple((line, pick(rows, line.groups), pick(before, line.groups)) for line in s.lines), now)
            for s in scopes]


def average(u: UnitRows) -> float | None:
    """The average rating, if any."""
    return u.rating_sum / u.ratings if u.ratings else None


def rate(part: int, whole: int) -> float | None:
    """part / whole, None when there is no whole."""
    return part / whole if whole else None
