"""``[[grids]]`` (网格 and their grid workers) and ``[join]`` (real-name join)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.groups import group_lookup, telegram_ids
from bot.config.reader import Document, Table
from bot.config.small import whole_numbers


@dataclass(frozen=True, slots=True)
class GridConfig:
    """A grid (网格): some households of one group and the grid workers who answer for them."""

    key: str
    group: str
    name: str
    #: Platform ids of the grid workers, on the group's platform.
    workers: tuple[str, ...] = ()


def _grids(doc: Document) -> tuple[GridConfig, ...]:
    find_group = group_lookup(doc)
    out: dict[str, GridConfig] = {}
    for r in doc.root.items("grids", "网格"):
        r.only("grids")
        key = r.str("key")
        if key in out:
            raise r.fail("key", f"网格的 key {key!r} 重复了，每个网格的 key 要不同 (duplicate grid key)")
        written = r.str("group")
        group = find_group(written)
        if group is None:
            raise r.fail("group", f"没有这个群 {written!r}：写某个群的 key 或群名 (unknown group)")
        workers = r.strs("workers")
        if group.platform == "telegram":
            telegram_ids(r, "workers", workers)
        out[key] = GridConfig(key, group.key, r.str("name", key), workers)
    return tuple(out.values())


@dataclass(frozen=True, slots=True)
class JoinConfig:
    """Real-name join: when members who never registered are reminded (once)."""

    remind_after_minutes: int = 1440


def _join(doc: Document) -> JoinConfig:
    values = whole_numbers(doc, "join", {
        "remind_after_minutes": (1440, "入群后多久还没实名登记就提醒一次"),
    }, minimum=1, unit="（分钟）")
    return JoinConfig(**values)


GRIDS = Table("grids", ("key", "group", "name", "workers"), _grids, array=True)
JOIN = Table("join", ("remind_after_minutes",), _join)
