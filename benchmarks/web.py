"""The web dashboard on the district's year: server time of the overview, the first ticket page
and the reports page.

Run:  .venv/bin/python benchmarks/web.py [--tickets 1000000] [--rebuild]

Reuses the 1,000,000-ticket database of benchmarks/digest.py (its builder, imported, and its
cache under data/bench/digest-N/), logs a staff member in through a real login link and
requests each page over HTTP from the real aiohttp application. The figure is the page's
``Server-Timing`` (the whole server side: session, role, queries, template), the median of
five warm requests. The floor is the plain SQL each page cannot do without, on the same file
with the same PRAGMAs: the open-ticket aggregate by group, the newest 51 tickets, and for staff's
日报 (the page without its charts, which are separate requests) the day's tickets counted by
group and kind. The last line is JSON with ``overview_ms``, ``tickets_page_ms`` and
``reports_page_ms``; ``targets`` holds their limits.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import App  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.store.web import Person  # noqa: E402
from bot.web import login  # noqa: E402
from bot.web.app import make_app  # noqa: E402
from handlers import ROUTERS  # noqa: E402
from schedules import JOBS  # noqa: E402

_spec = importlib.util.spec_from_file_location("digest_bench", ROOT / "benchmarks" / "digest.py")
assert _spec is not None and _spec.loader is not None
digest: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(digest)

TARGETS = {"overview_ms": 300.0, "tickets_page_ms": 100.0, "reports_page_ms": 1000.0}
#: The 日报 the benchmark opens: the day before digest.NOW, local (Asia/Shanghai) midnight to midnight.
REPORT_DAY = ("2026-10-30T16:00:00+00:00", "2026-10-31T16:00:00+00:00")
RUNS = 5
FLOORS = {
    "overview_ms": "SELECT group_key, priority, COUNT(*) FROM tickets "
                   "WHERE status NOT IN ('done', 'rejected') GROUP BY group_key, priority",
    "tickets_page_ms": "SELECT * FROM tickets ORDER BY id DESC LIMIT 51",
    "reports_page_ms": f"SELECT group_key, kind, COUNT(*) FROM tickets WHERE created_at >= '{REPORT_DAY[0]}' "
                       f"AND created_at < '{REPORT_DAY[1]}' GROUP BY group_key, kind",
}


def _floor(db: Path, sql: str) -> float:
    """The median time of the plain query, in ms, on a fresh connection with the bot's PRAGMAs."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=NORMAL")
    times = []
    for _ in range(RUNS + 1):
        t0 = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    con.close()
    return statistics.median(times[1:])


async def measure(toml: Path) -> dict[str, object]:
    """Serve the dashboard over the database and time each page as staff opens it."""
    config = load_config(toml)
    app = await App.open(config, routers=ROUTERS, jobs=JOBS, clock=lambda: digest.NOW)
    figures: dict[str, object] = {}
    client = TestClient(TestServer(make_app(app.services, app.dispatcher)))
    await client.start_server()
    try:
        staff = Person("console", "指挥部", "指挥部")
        url = await login.issue_link(app.services, staff, digest.NOW)
        assert url is not None
        opened = await client.post(url.split(config.web.url, 1)[1], allow_redirects=False)
        assert opened.status == 303
        pages = (("overview_ms", "/"), ("tickets_page_ms", "/tickets"),
                 # Informational, no target: a narrowed list and a text search (a scan).
                 ("open_in_one_group_ms", "/tickets?group=v3_4&status=open"),
                 ("search_ms", "/tickets?q=" + "第999件"),
                 ("reports_page_ms", "/reports?kind=daily&at=2026-10-31"),
                 # Informational, no target: the month's report.
                 ("reports_monthly_ms", "/reports?kind=monthly&at=2026-10"))
        for key, path in pages:
            times = []
            for _ in range(RUNS + 1):
                response = await client.get(path)
                assert response.status == 200, await response.text()
                await response.read()
                times.append(float(response.headers["Server-Timing"].split("dur=")[1]))
            figures[key] = round(statistics.median(times[1:]), 2)
        # Informational: the page's three charts, gathered and drawn once (the first picture's
        # request draws all three; the other two come from the chart cache).
        t0 = time.perf_counter()
        for n in (1, 2, 3):
            response = await client.get(f"/reports/chart/{n}.png?kind=daily&at=2026-10-31")
            assert response.status == 200, await response.text()
            await response.read()
        figures["reports_charts_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    finally:
        await client.close()
        await app.close()
    for key, sql in FLOORS.items():
        floor = _floor(config.database, sql)
        figures[key.replace("_ms", "_floor_ms")] = round(floor, 2)
        figures[key.replace("_ms", "_ratio")] = round(float(str(figures[key])) / max(floor, 0.01), 1)
    return figures


async def run(tickets: int, folder: Path, townships: int = 20, villages: int = 25,
              rebuild: bool = False) -> dict[str, object]:
    """Reuse (or build) the digest benchmark's database and time the pages."""
    toml = await digest.prepare(folder, tickets, townships, villages, rebuild)
    figures = await measure(toml)
    with sqlite3.connect(folder / "bench.db") as con:
        figures["tickets"] = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    figures["groups"] = 1 + townships + townships * villages
    figures["targets"] = TARGETS
    return figures


def main() -> None:
    tickets, folder, rebuild = digest.district_args(__doc__ or "")
    figures = asyncio.run(run(tickets, folder, rebuild=rebuild))
    for key in TARGETS:
        print(f"{key}: {figures[key]} (floor {figures[key.replace('_ms', '_floor_ms')]} ms, "
              f"target {TARGETS[key]:.0f} ms)")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
