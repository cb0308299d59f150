"""Report figures in SQL: one statement per family of figures, every unit in one pass.

Units arrive as a JSON array of ``[group_key, unit]`` pairs (``json_each``), so a group counted
in its own line, its township's and the district's total is read once per statement. Each
statement walks one index range of the period (migration 023), never a table scan: a month of a
district's million tickets is ~80,000 rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.store.reports import PARTS, HeldTicket, LowRating, Spread, UnitRows, Units
from bot.store.sqlite.base import Database, from_db, to_db

_UNITS = """u(group_key, unit) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:units))"""
#: Replaced by CASE expressions over (kind, priority) from the limits given: a lookup per row
#: without a join (a joined table of six limits cost a fifth of the month's ranking).
ACCEPT_LIMIT, FINISH_LIMIT = "__ACCEPT_LIMIT__", "__FINISH_LIMIT__"
#: Nearest-rank median and 90th percentile of ``secs`` over rows numbered ``rn`` of ``n``.
_SPREAD = """MAX(CASE WHEN secs IS NOT NULL THEN n END) AS n,
             MAX(CASE WHEN rn = (n + 1) / 2 THEN secs END) AS p50,
             MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN secs END) AS p90"""
#: Rows numbered within their unit by ``secs`` (the rows without a duration apart), and how many
#: there are: one window, so one sort.
_RANKED = """ROW_NUMBER() OVER w AS rn,
             COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n"""
_WINDOW = "WINDOW w AS (PARTITION BY u.unit, g.secs IS NULL ORDER BY g.secs)"
# Each statement first reads the period's rows by group (``g``, MATERIALIZED: SQLite then gives
# it an automatic index on group_key), then fans them out to the units that count each group.
_BY_UNIT = "FROM u JOIN g ON g.group_key = u.group_key"

_FILED = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, kind, category, COUNT(*) AS n
      FROM tickets INDEXED BY tickets_created_cover WHERE created_at >= :start AND created_at < :end
      GROUP BY group_key, kind, category)
SELECT u.unit, g.kind, g.category, SUM(g.n) AS n {_BY_UNIT} GROUP BY u.unit, g.kind, g.category"""

#: The first move out of 待处理 by a person (the library's instant answer is no acceptance).
_FIRST_MOVE = """(SELECT unixepoch(MIN(e.at)) FROM ticket_events e WHERE e.ticket_id = t.id
           AND e.from_status = 'open' AND e.to_status IN ('accepted', 'assigned', 'done')
           AND e.actor_id != 'bot' AND e.at < :end)"""

_ACCEPT = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT t.group_key, {_FIRST_MOVE} - unixepoch(t.created_at) AS secs
      FROM tickets t INDEXED BY tickets_created_cover
      WHERE t.created_at >= :start AND t.created_at < :end),
r AS (SELECT u.unit, g.secs, {_RANKED} {_BY_UNIT} {_WINDOW})
SELECT unit, {_SPREAD} FROM r GROUP BY unit"""

# Late: accepted or finished after its limit, or still waiting past it when the period ended.
_LATE = f"""WITH {_UNITS},
f AS MATERIALIZED (SELECT t.group_key, t.kind, t.priority, unixepoch(t.created_at) AS filed,
        CASE WHEN t.status IN ('done', 'rejected') AND t.updated_at < :end
             THEN unixepoch(t.updated_at) END AS closed, {_FIRST_MOVE} AS accepted
      FROM tickets t INDEXED BY tickets_created_cover
      WHERE t.created_at >= :start AND t.created_at < :end),
g AS MATERIALIZED (SELECT group_key,
        SUM(COALESCE(COALESCE(accepted, CASE WHEN closed IS NULL THEN :end_s END) - filed > {ACCEPT_LIMIT}
                     OR COALESCE(closed, :end_s) - filed > {FINISH_LIMIT}, 0)) AS late
      FROM f GROUP BY group_key)
SELECT u.unit, SUM(g.late) AS late {_BY_UNIT} GROUP BY u.unit"""

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
r AS (SELECT u.unit, g.secs, {_RANKED} {_BY_UNIT} {_WINDOW})
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

_OVERDUE = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT t.group_key, t.id, t.code, t.group_name, t.kind, t.status, t.created_at,
        CASE WHEN t.handler_name != '' THEN t.handler_name ELSE t.assignee END AS holder
      FROM tickets t INDEXED BY tickets_open_created
      WHERE t.status NOT IN ('done', 'rejected') AND t.created_at < :asof
        AND :asof_s - unixepoch(t.created_at) > CASE WHEN t.status = 'open' THEN {ACCEPT_LIMIT} ELSE {FINISH_LIMIT} END),
r AS (SELECT u.unit, g.*, ROW_NUMBER() OVER (PARTITION BY u.unit ORDER BY g.created_at, g.id) AS rn,
        COUNT(*) OVER (PARTITION BY u.unit) AS n {_BY_UNIT})
SELECT * FROM r WHERE rn <= MAX(:top, 1) ORDER BY unit, rn"""

_RATINGS = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT t.group_key, COUNT(*) AS n, SUM(r.score) AS total
      FROM ratings r INDEXED BY ratings_at JOIN tickets t ON t.id = r.ticket_id
      WHERE r.at >= :start AND r.at < :end GROUP BY t.group_key)
SELECT u.unit, SUM(g.n) AS n, SUM(g.total) AS total {_BY_UNIT} GROUP BY u.unit"""

_LOWEST = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT t.group_key, r.score, r.comment, r.at, t.code, t.group_name
      FROM ratings r INDEXED BY ratings_at JOIN tickets t ON t.id = r.ticket_id
      WHERE r.at >= :start AND r.at < :end AND r.score <= 3),
w AS (SELECT u.unit, g.*, ROW_NUMBER() OVER (PARTITION BY u.unit ORDER BY g.score, g.at, g.code) AS rn
      {_BY_UNIT})
SELECT * FROM w WHERE rn <= :top ORDER BY unit, rn"""

_NOTICES = f"""WITH {_UNITS},
g AS MATERIALIZED (SELECT group_key, CASE WHEN confirmed_at < :end
                     THEN unixepoch(confirmed_at) - unixepoch(queued_at) END AS secs
      FROM notice_deliveries INDEXED BY notice_deliveries_queued
      WHERE state = 'queued' AND queued_at >= :start AND queued_at < :end),
r AS (SELECT u.unit, g.secs, {_RANKED} {_BY_UNIT} {_WINDOW})
SELECT unit, COUNT(*) AS total, {_SPREAD} FROM r GROUP BY unit"""

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


def _limit_case(limits: Mapping[tuple[str, str], tuple[timedelta, timedelta]], which: int) -> str:
    """``CASE WHEN kind = 'errand' AND priority = 'urgent' THEN 600 … END``: seconds by kind."""
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    whens = " ".join(f"WHEN kind = {quoted(k)} AND priority = {quoted(p)} THEN {int(pair[which].total_seconds())}"
                     for (k, p), pair in limits.items())
    return f"(CASE {whens} END)" if whens else "NULL"


def _filed(unit: UnitRows, r: Any, top: int) -> None:
    unit.filed[(r["kind"], r["category"])] = r["n"]


def _accept(unit: UnitRows, r: Any, top: int) -> None:
    unit.accept = _spread(r)


def _late(unit: UnitRows, r: Any, top: int) -> None:
    unit.late = int(r["late"] or 0)


def _closed(unit: UnitRows, r: Any, top: int) -> None:
    (unit.done if r["status"] == "done" else unit.rejected)[(r["kind"], r["category"])] = r["n"]
    if r["kind"] == "rumor":
        unit.rumors_auto += r["auto"]
        unit.rumors_staff += r["n"] - r["auto"]


def _finish(unit: UnitRows, r: Any, top: int) -> None:
    unit.finish = _spread(r)


def _open(unit: UnitRows, r: Any, top: int) -> None:
    unit.open[r["kind"]] = r["n"]


def _overdue(unit: UnitRows, r: Any, top: int) -> None:
    unit.overdue = r["n"]
    if r["rn"] <= top:
        unit.overdue_list.append(HeldTicket(r["code"], r["group_name"], r["kind"], r["status"],
                                            r["holder"], from_db(r["created_at"])))


def _ratings(unit: UnitRows, r: Any, top: int) -> None:
    unit.ratings, unit.rating_sum = r["n"], r["total"]


def _lowest(unit: UnitRows, r: Any, top: int) -> None:
    unit.lowest.append(LowRating(r["code"], r["group_name"], r["score"], r["comment"]))


def _notices(unit: UnitRows, r: Any, top: int) -> None:
    unit.notices, unit.confirm = r["total"], _spread(r)
    unit.confirmed = unit.confirm.n


def _households(unit: UnitRows, r: Any, top: int) -> None:
    unit.households, unit.joined = r["households"], r["joined"]


def _campaigns(unit: UnitRows, r: Any, top: int) -> None:
    unit.campaign_asked, unit.campaign_answered = r["asked"], r["answered"]


Apply = Callable[[UnitRows, Any, int], None]
#: Each family of figures (:data:`bot.store.reports.PARTS`): its statements and where rows go.
STATEMENTS: dict[str, tuple[tuple[str, Apply], ...]] = {
    "filed": ((_FILED, _filed),),
    "closed": ((_CLOSED, _closed),),
    "open": ((_OPEN, _open),),
    "accept": ((_ACCEPT, _accept),),
    "finish": ((_FINISH, _finish),),
    "late": ((_LATE, _late),),
    "overdue": ((_OVERDUE, _overdue),),
    "ratings": ((_RATINGS, _ratings), (_LOWEST, _lowest)),
    "notices": ((_NOTICES, _notices),),
    "households": ((_HOUSEHOLDS, _households),),
    "campaigns": ((_CAMPAIGNS, _campaigns),),
}


class SqliteReportRepo:
    """The aggregates of :class:`bot.store.reports.ReportRepo`."""

    def __init__(self, db: Database):
        self.db = db

    async def period(
        self, units: Units, start: datetime, end: datetime, asof: datetime,
        limits: Mapping[tuple[str, str], tuple[timedelta, timedelta]], *, top: int = 5,
        parts: Collection[str] = PARTS,
    ) -> dict[str, UnitRows]:
        """Every unit's figures for [start, end); the overdue list as it stands at ``asof``."""
        out = {name: UnitRows() for name in units}
        values = {
            "units": json.dumps([[g, name] for name, keys in units.items() for g in dict.fromkeys(keys)]),
            "start": to_db(start), "end": to_db(end), "end_s": int(end.timestamp()),
            "asof": to_db(asof), "asof_s": int(asof.timestamp()), "top": top,
        }
        cases = {ACCEPT_LIMIT: _limit_case(limits, 0), FINISH_LIMIT: _limit_case(limits, 1)}
        for part in PARTS:
            if part not in parts:
                continue
            for sql, apply in STATEMENTS[part]:
                if sql is _LOWEST and not top:
                    continue
                for token, case in cases.items():
                    sql = sql.replace(token, case)
                query, params = _bind(sql, values)
                for r in await self.db.fetchall(query, params):
                    apply(out[r["unit"]], r, top)
        return out

    async def first_activity(self) -> datetime | None:
        """When the first ticket or notice was recorded."""
        row = await self.db.fetchone(
            """SELECT MIN(at) AS at FROM (SELECT MIN(created_at) AS at FROM tickets
               UNION ALL SELECT MIN(created_at) FROM notices)""")
        return from_db(row["at"]) if row and row["at"] else None
