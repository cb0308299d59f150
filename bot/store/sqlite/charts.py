"""The charts' series in SQLite (the protocol: :mod:`bot.store.charts`).

A group filter is one JSON array parameter (``json_each``), so a district's 500 groups need
no bound-parameter juggling. Tickets per day reads ``tickets_created``, handling time the
partial ``tickets_done_at`` index, receipts the period's notices and their deliveries by key.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime

from bot.store.charts import DayCount, GroupHandling, GroupReceipts
from bot.store.sqlite.base import Database, to_db


def _in_groups(column: str, groups: Collection[str] | None) -> tuple[str, list[str]]:
    """A ``column IN (…)`` filter and its parameter, or nothing for every group."""
    if groups is None:
        return "", []
    return f" AND {column} IN (SELECT value FROM json_each(?))", [json.dumps(sorted(groups))]


class SqliteChartRepo:
    """Aggregates for the charts."""

    def __init__(self, db: Database):
        self.db = db

    async def tickets_per_day(
        self, start: datetime, end: datetime, utc_offset_minutes: int, groups: Collection[str] | None,
    ) -> list[DayCount]:
        """Tickets filed in ``[start, end)`` per local day and kind (days in UTC + the offset)."""
        where, extra = _in_groups("group_key", groups)
        rows = await self.db.fetchall(
            f"""SELECT date(created_at, ?) AS day, kind, COUNT(*) AS n FROM tickets
                WHERE created_at >= ? AND created_at < ?{where}
                GROUP BY day, kind ORDER BY day, kind""",
            [f"{utc_offset_minutes:+d} minutes", to_db(start), to_db(end), *extra],
        )
        return [DayCount(date.fromisoformat(r["day"]), r["kind"], int(r["n"])) for r in rows]

    async def handling_by_group(
        self, start: datetime, end: datetime, groups: Collection[str] | None,
    ) -> list[GroupHandling]:
        """Per group: tickets finished in ``[start, end)`` and their hours from filing to done."""
        where, extra = _in_groups("group_key", groups)
        rows = await self.db.fetchall(
            f"""SELECT group_key, COUNT(*) AS n,
                       SUM(MAX(strftime('%s', updated_at) - strftime('%s', created_at), 0)) / 3600.0 AS hours
                FROM tickets INDEXED BY tickets_done_at
                WHERE status = 'done' AND updated_at >= ? AND updated_at < ?{where}
                GROUP BY group_key ORDER BY group_key""",
            [to_db(start), to_db(end), *extra],
        )
        return [GroupHandling(r["group_key"], int(r["n"]), float(r["hours"] or 0)) for r in rows]

    async def receipts_by_group(
        self, start: datetime, end: datetime, groups: Collection[str] | None,
    ) -> list[GroupReceipts]:
        """Per group: deliveries of notices created in ``[start, end)`` and those confirmed."""
        where, extra = _in_groups("d.group_key", groups)
        rows = await self.db.fetchall(
            f"""SELECT d.group_key, COUNT(*) AS sent, COUNT(d.confirmed_at) AS confirmed
                FROM notices n JOIN notice_deliveries d ON d.notice_id = n.id
                WHERE n.created_at >= ? AND n.created_at < ? AND d.state = 'queued'{where}
                GROUP BY d.group_key ORDER BY d.group_key""",
            [to_db(start), to_db(end), *extra],
        )
        return [GroupReceipts(r["group_key"], int(r["sent"]), int(r["confirmed"])) for r in rows]
