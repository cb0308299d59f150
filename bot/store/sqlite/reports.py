"""Report figures in SQL: one statement per family of figures, every unit in one pass.

Units arrive as a JSON array of ``[group_key, unit]`` pairs (``json_each``), so a group counted
in its own line, its township's and the district's total is read once per statement. Each
statement walks one index range of the period (migration 019), never a table scan: a month of a
district's million tickets is ~80,000 rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.store.reports import HeldTicket, LowRating, Spread, UnitRows, Units
from bot.store.sqlite.base import Database, from_db, to_db

_UNITS = """u(group_key, unit) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:units))"""
_LIMITS = """lim(kind, priority, accept_s, finish_s) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]') FROM json_each(:limits))"""
#: Nearest-rank median and 90th percentile of ``secs`` over rows numbered ``rn`` of ``n``.
_SPREAD = """MAX(n) AS n, MAX(CASE WHEN rn = (n + 1) / 2 THEN secs END) AS p50,
             MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN secs END) AS p90"""
_RANKED = """ROW_NUMBER() OVER (PARTITION BY unit, secs IS NULL ORDER BY secs) AS rn,
             SUM(secs IS NOT NULL) OVER (PARTITION BY unit) AS n"""
# Each statement first reads the period's rows by group (``g``, MATERIALIZED: SQLite then gives
# it an automatic index on group_key), then fans them out to the units that count each group.
_BY_UNIT = "FROM u JOIN g ON g.group_key = u.group_key"

_FILED = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, kind, category, COUNT(*) AS n
      FROM tickets INDEXED BY tickets_created_cover WHERE created_at >= :start AND created_at < :end
      GROUP BY group_key, kind, category)
SELECT u.unit, g.kind, g.category, SUM(g.n) AS n {_BY_UNIT} GROUP BY u.unit, g.kind, g.category"""

# The first move out of 待处理 by a person (the library's instant answer is no acceptance);
# late: accepted or finished after its limit, or still waiting past it when the period ended.
# late: accepted or finished after its limit, or still waiting past it at ``asof``.
_ACCEPT = f"""WITH {_UNITS}, {_LIMITS},
f AS (SELECT t.group_key, t.kind, t.priority, unixepoch(t.created_at) AS filed,
        CASE WHEN t.status IN ('done', 'rejected') AND t.updated_at <= :end
             THEN unixepoch(t.updated_at) END AS closed,
        (SELECT unixepoch(MIN(e.at)) FROM ticket_events e WHERE e.ticket_id = t.id
           AND e.from_status = 'open' AND e.to_status IN ('accepted', 'assigned', 'done')
           AND e.actor_id != 'bot' AND e.at <= :end) AS accepted
      FROM tickets t INDEXED BY tickets_created_cover
      WHERE t.created_at >= :start AND t.created_at < :end),
g AS MATERIALIZED (SELECT f.group_key, f.accepted - f.filed AS secs,
        COALESCE(COALESCE(f.accepted, CASE WHEN f.closed IS NULL THEN :end_s END) - f.filed > lim.accept_s
                 OR COALESCE(f.closed, :end_s) - f.filed > lim.finish_s, 0) AS late
      FROM f LEFT JOIN lim ON lim.kind = f.kind AND lim.priority = f.priority),
r AS (SELECT u.unit, g.secs, g.late, {_RANKED} {_BY_UNIT})
SELECT unit, SUM(late) AS late, {_SPREAD} FROM r GROUP BY unit"""

_CLOSED = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, kind, category, status, COUNT(*) AS n,
        SUM(kind = 'rumor' AND status = 'done' AND handler_id = '') AS auto
      FROM tickets INDEXED BY tickets_closed_at
      WHERE status IN ('done', 'rejected') AND updated_at >= :start AND updated_at < :end
      GROUP BY group_key, kind, category, status)
SELECT u.unit, g.kind, g.category, g.status, SUM(g.n) AS n, SUM(g.auto) AS auto {_BY_UNIT}
GROUP BY u.unit, g.kind, g.category, g.status"""

# Filing to 已完成, without the rumour reports the library answered the moment they came.
_FINISH = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, unixepoch(updated_at) - unixepoch(created_at) AS secs
      FROM tickets INDEXED BY tickets_closed_at
      WHERE status IN ('done', 'rejected') AND status = 'done'
        AND updated_at >= :start AND updated_at < :end AND NOT (kind = 'rumor' AND handler_id = '')),
r AS (SELECT u.unit, g.secs, {_RANKED} {_BY_UNIT})
SELECT unit, {_SPREAD} FROM r GROUP BY unit"""

# Unfinished at the end: still open now, or closed after it.
_OPEN = f"""WITH {_UNITS},
o AS (SELECT group_key, kind FROM tickets INDEXED BY tickets_open_created
      WHERE status NOT IN ('done', 'rejected') AND created_at < :end
      UNION ALL
      SELECT group_key, kind FROM tickets INDEXED BY tickets_closed_at
      WHERE status IN ('done', 'rejected') AND updated_at >= :end AND created_at < :end),
g AS MATERIALIZED (SELECT group_key, kind, COUNT(*) AS n FROM o GROUP BY group_key, kind)
SELECT u.unit, g.kind, SUM(g.n) AS n {_BY_UNIT} GROUP BY u.unit, g.kind"""

_OVERDUE = f"""WITH {_UNITS}, {_LIMITS},
g AS MATERIALIZED (SELECT t.group_key, t.id, t.code, t.group_name, t.kind, t.status, t.created_at,
        CASE WHEN t.handler_name != '' THEN t.handler_name ELSE t.assignee END AS holder
      FROM tickets t INDEXED BY tickets_open_created
      JOIN lim ON lim.kind = t.kind AND lim.priority = t.priority
      WHERE t.status NOT IN ('done', 'rejected') AND t.created_at < :asof
        AND :asof_s - unixepoch(t.created_at) > CASE WHEN t.status = 'open' THEN lim.accept_s ELSE lim.finish_s END),
r AS (SELECT u.unit, g.*, ROW_NUMBER() OVER (PARTITION BY u.unit ORDER BY g.created_at, g.id) AS rn,
        COUNT(*) OVER (PARTITION BY u.unit) AS n {_BY_UNIT})
SELECT * FROM r WHERE rn <= MAX(:top, 1) ORDER BY unit, rn"""

_RATINGS = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT t.group_key, r.score, r.comment, r.at, t.code, t.group_name
      FROM ratings r INDEXED BY ratings_at JOIN tickets t ON t.id = r.ticket_id
      WHERE r.at >= :start AND r.at < :end),
w AS (SELECT u.unit, g.*, ROW_NUMBER() OVER (PARTITION BY u.unit ORDER BY g.score, g.at, g.code) AS rn,
        COUNT(*) OVER (PARTITION BY u.unit) AS n, SUM(g.score) OVER (PARTITION BY u.unit) AS total {_BY_UNIT})
SELECT * FROM w WHERE rn = 1 OR (rn <= :top AND score <= 3) ORDER BY unit, rn"""

_NOTICES = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, CASE WHEN confirmed_at < :end
                     THEN unixepoch(confirmed_at) - unixepoch(queued_at) END AS secs
      FROM notice_deliveries INDEXED BY notice_deliveries_queued
      WHERE state = 'queued' AND queued_at >= :start AND queued_at < :end),
r AS (SELECT u.unit, g.secs, {_RANKED}, COUNT(*) OVER (PARTITION BY u.unit) AS total {_BY_UNIT})
SELECT unit, MAX(total) AS total, {_SPREAD} FROM r GROUP BY unit"""

_HOUSEHOLDS = f"""WITH {_UNITS}
SELECT u.unit, COUNT(*) AS households,
       SUM(EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND m.status = 'approved'
                   AND COALESCE(m.decided_at, m.joined_at) < :end)) AS joined
FROM u JOIN households h ON h.group_key = u.group_key WHERE h.created_at < :end GROUP BY u.unit"""

_CAMPAIGNS = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT cg.group_key,
         (SELECT COUNT(*) FROM households h WHERE h.group_key = cg.group_key) AS asked,
         (SELECT COUNT(DISTINCT a.household_id) FROM campaign_answers a
          WHERE a.campaign_id = cg.campaign_id AND a.group_key = cg.group_key
            AND a.household_id IS NOT NULL) AS answered
       FROM campaigns c JOIN campaign_groups cg ON cg.campaign_id = c.id
       WHERE c.created_at >= :start AND c.created_at < :end)
SELECT u.unit, SUM(g.asked) AS asked, SUM(g.answered) AS answered {_BY_UNIT} WHERE g.asked > 0
GROUP BY u.unit"""

_NAME = re.compile(r":([a-z_]+)")


def _bind(sql: str, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """``:name`` placeholders as ``?`` with their values in order (names may repeat)."""
    params: list[Any] = []

    def take(m: re.Match[str]) -> str:
        params.append(values[m.group(1)])
        return "?"

    return _NAME.sub(take, sql), params


def _spread(row: Any) -> Spread:
    n = int(row["n"] or 0)
    return Spread(n, row["p50"], row["p90"]) if n else Spread()


class SqliteReportRepo:
    """The aggregates of :class:`bot.store.reports.ReportRepo`."""

    def __init__(self, db: Database):
        self.db = db

    async def _rows(self, sql: str, values: Mapping[str, Any]) -> list[Any]:
        query, params = _bind(sql, values)
        return await self.db.fetchall(query, params)

    async def period(
        self, units: Units, start: datetime, end: datetime, asof: datetime,
        limits: Mapping[tuple[str, str], tuple[timedelta, timedelta]], *, top: int = 5,
    ) -> dict[str, UnitRows]:
        """Every unit's figures for [start, end); the overdue list as it stands at ``asof``."""
        out = {name: UnitRows() for name in units}
        values = {
            "units": json.dumps([[g, name] for name, keys in units.items() for g in dict.fromkeys(keys)]),
            "limits": json.dumps([[k, p, a.total_seconds(), f.total_seconds()]
                                  for (k, p), (a, f) in limits.items()]),
            "start": to_db(start), "end": to_db(end), "end_s": int(end.timestamp()),
            "asof": to_db(asof), "asof_s": int(asof.timestamp()), "top": top,
        }
        for r in await self._rows(_FILED, values):
            out[r["unit"]].filed[(r["kind"], r["category"])] = r["n"]
        for r in await self._rows(_ACCEPT, values):
            out[r["unit"]].late = int(r["late"] or 0)
            out[r["unit"]].accept = _spread(r)
        for r in await self._rows(_CLOSED, values):
            unit = out[r["unit"]]
            (unit.done if r["status"] == "done" else unit.rejected)[(r["kind"], r["category"])] = r["n"]
            if r["kind"] == "rumor":
                unit.rumors_auto += r["auto"]
                unit.rumors_staff += r["n"] - r["auto"]
        for r in await self._rows(_FINISH, values):
            out[r["unit"]].finish = _spread(r)
        for r in await self._rows(_OPEN, values):
            out[r["unit"]].open[r["kind"]] = r["n"]
        for r in await self._rows(_OVERDUE, values):
            unit = out[r["unit"]]
            unit.overdue = r["n"]
            if r["rn"] <= top:
                unit.overdue_list.append(HeldTicket(r["code"], r["group_name"], r["kind"], r["status"],
                                                    r["holder"], from_db(r["created_at"])))
        for r in await self._rows(_RATINGS, values):
            unit = out[r["unit"]]
            unit.ratings, unit.rating_sum = r["n"], r["total"]
            if r["score"] <= 3:
                unit.lowest.append(LowRating(r["code"], r["group_name"], r["score"], r["comment"]))
        for r in await self._rows(_NOTICES, values):
            unit = out[r["unit"]]
            unit.notices, unit.confirm = r["total"], _spread(r)
            unit.confirmed = unit.confirm.n
        for r in await self._rows(_HOUSEHOLDS, values):
            out[r["unit"]].households, out[r["unit"]].joined = r["households"], r["joined"]
        for r in await self._rows(_CAMPAIGNS, values):
            out[r["unit"]].campaign_asked, out[r["unit"]].campaign_answered = r["asked"], r["answered"]
        return out

    async def first_activity(self) -> datetime | None:
        """When the first ticket or notice was recorded."""
        row = await self.db.fetchone(
            """SELECT MIN(at) AS at FROM (SELECT MIN(created_at) AS at FROM tickets
               UNION ALL SELECT MIN(created_at) FROM notices)""")
        return from_db(row["at"]) if row and row["at"] else None
