"""The overview: the group tree with open / urgent / overdue tickets, join rate and the latest
notice's receipt rate, coloured by how far behind each group is; the five most behind.

Everything is counted in SQL (the digest's open counts, the join-rate aggregate, one notice's
deliveries): the page costs the same on a year of tickets as on a day's.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot import notices, sla_rules
from bot.config import GroupConfig
from bot.services import Services
from bot.store.notices import Delivery, Notice
from bot.web.pages import render, services, viewer
from bot.web.viewer import Viewer

#: A join rate under this counts against a group; so does each overdue or urgent open ticket
#: and a latest notice not yet confirmed.
LOW_JOIN = 0.5
MOST_BEHIND = 5


@dataclass(frozen=True)
class Row:
    """One group's line of the tree."""

    group: GroupConfig
    depth: int
    open: int
    urgent: int
    overdue: int
    join_rate: float | None
    receipt: tuple[int, int] | None  # (confirmed, delivered) in its subtree for the latest notice

    @property
    def behind(self) -> int:
        """How far behind: overdue and urgent tickets, a low join rate, an unconfirmed notice."""
        low_join = self.join_rate is not None and self.join_rate < LOW_JOIN
        unconfirmed = self.receipt is not None and self.receipt[0] < self.receipt[1]
        return self.overdue * 2 + self.urgent + int(low_join) + int(unconfirmed)

    @property
    def colour(self) -> str:
        """ok / warn / bad, the CSS class of the line."""
        return "ok" if self.behind == 0 else "warn" if self.behind < 4 else "bad"


def _tree(groups: tuple[GroupConfig, ...]) -> list[tuple[GroupConfig, int]]:
    """The visible groups, parents before children, with their depth below the top shown.

    One map of children, built once: a district of 500 villages is walked in linear time.
    """
    keys = {g.key for g in groups}
    below: dict[str, list[GroupConfig]] = {}
    for g in groups:
        if g.parent in keys:
            below.setdefault(g.parent, []).append(g)
    out: list[tuple[GroupConfig, int]] = []
    stack = [(g, 0) for g in reversed(groups) if g.parent not in keys]
    while stack:
        group, depth = stack.pop()
        out.append((group, depth))
        stack.extend((child, depth + 1) for child in reversed(below.get(group.key, [])))
    return out


async def rows(svc: Services, who: Viewer) -> tuple[list[Row], Notice | None]:
    """Every visible group's line, and the latest notice the viewer may see."""
    tree = _tree(who.groups)
    keys = [g.key for g, _ in tree]
    now = svc.now()
    cutoffs = {key: now - limit for key, limit in sla_rules.limits(svc.config).items()}
    numbers: dict[str, list[int]] = {k: [0, 0, 0] for k in keys}
    for c in await svc.store.tickets.open_counts(cutoffs):
        if c.group_key in numbers:
            n = numbers[c.group_key]
            n[0] += c.open
            n[1] += c.open if c.priority == "urgent" else 0
            n[2] += c.overdue
    rates = {r.group_key: r.rate for r in await svc.store.households.join_rates(keys)}
    latest = await notices.visible_notices(svc, who.person.platform, who.person.user_id, 1)
    notice = latest[0] if latest else None
    receipts = _receipts(tree, await svc.store.notices.deliveries(notice) if notice else [])
    out = []
    for group, depth in tree:
        open_, urgent, overdue = numbers[group.key]
        out.append(Row(group, depth, open_, urgent, overdue, rates.get(group.key), receipts.get(group.key)))
    return out, notice


def _receipts(tree: list[tuple[GroupConfig, int]], deliveries: list[Delivery]) -> dict[str, tuple[int, int]]:
    """Confirmed / delivered of the notice in each group's subtree (groups it reached only):
    children's sums are added to their parents, deepest first."""
    sums: dict[str, list[int]] = {}
    for d in deliveries:
        if d.state != "held":
            sums[d.group_key] = [int(d.confirmed_at is not None), 1]
    for group, _ in reversed(tree):
        mine = sums.get(group.key)
        if mine is not None and group.parent is not None:
            parent = sums.setdefault(group.parent, [0, 0])
            parent[0] += mine[0]
            parent[1] += mine[1]
    return {key: (n[0], n[1]) for key, n in sums.items() if n[1]}


async def page(request: web.Request) -> web.StreamResponse:
    """``/``: the overview."""
    svc, who = services(request), viewer(request)
    lines, notice = await rows(svc, who)
    behind = sorted((r for r in lines if r.behind), key=lambda r: -r.behind)[:MOST_BEHIND]
    return render(request, "overview.html", rows=lines, behind=behind, notice=notice)
