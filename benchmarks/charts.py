"""图表 at district scale: the three charts' series and drawing on 1M tickets, against a floor.

Run:  .venv/bin/python benchmarks/charts.py [--tickets 1000000] [--rebuild]

Reuses the one-year, 521-group database ``benchmarks/digest.py`` builds (cached under
data/bench/). Times, warm (second run): the three series for staff over a month
(``series_ms``) and for one township owner (``township_series_ms``), drawing the three PNGs
(``render_ms``), and the whole command as staff send it, ``图表 月报`` through the dispatcher
(``command_s``: series, drawing, writing the files, queuing three replies). The floor is the
plainest aggregate over the same month: ``SELECT COUNT(*)`` of the tickets filed in it, on the
same connection (``floor_ms``); ``ratio`` = series / floor. The last line is JSON.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import chart_render, charts  # noqa: E402
from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import ChatRef, Incoming  # noqa: E402
from bot.store.sqlite.base import to_db  # noqa: E402
from tests.store_backends import sqlite_db  # noqa: E402

TARGETS = {"series_ms": 2000.0, "command_s": 5.0}


def _digest_bench() -> Any:
    """benchmarks/digest.py, which builds and caches the database (benchmarks are scripts)."""
    spec = importlib.util.spec_from_file_location("digest_bench", ROOT / "benchmarks" / "digest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def run(tickets: int, folder: Path, townships: int = 20, villages: int = 25,
              rebuild: bool = False) -> dict[str, object]:
    """Build or reuse the database, then time the charts on it."""
    digest = _digest_bench()
    toml = await digest.prepare(folder, tickets, townships, villages, rebuild)
    figures = await measure(toml, digest.NOW)
    figures["targets"] = TARGETS
    return figures


async def measure(toml: Path, now: datetime) -> dict[str, object]:
    """Each figure warm: every step runs twice and the second run counts."""
    app = await open_app(load_config(toml))
    figures: dict[str, object] = {}
    try:
        tz = app.config.tz
        month = charts.period("月报", now, tz)
        db = sqlite_db(app.store)
        for _ in range(2):
            t0 = time.perf_counter()
            row = await db.fetchone("SELECT COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ?",
                                    (to_db(month.start), to_db(month.end)))
            floor = time.perf_counter() - t0
        figures["month_tickets"] = row["n"] if row else 0
        for _ in range(2):
            t0 = time.perf_counter()
            data = await charts.gather(app.store.charts, app.directory, "全部群", None, month, tz)
            series = time.perf_counter() - t0
        township = app.directory.managed_groups("console", "主任0")  # a township owner's subtree
        for _ in range(2):
            t0 = time.perf_counter()
            await charts.gather(app.store.charts, app.directory, "街道0", township, month, tz)
            township_s = time.perf_counter() - t0
        for _ in range(2):
            t0 = time.perf_counter()
            images = await asyncio.to_thread(chart_render.render, data)
            render = time.perf_counter() - t0
        msg = Incoming(ChatRef.private("console", "指挥部"), "指挥部", "指挥部", "图表 月报", "c1", now,
                       is_group=False)
        for i in range(2):
            msg = Incoming(msg.chat, msg.sender_id, msg.sender_name, msg.text, f"c{i}", now, is_group=False)
            t0 = time.perf_counter()
            replies = await app.dispatcher.dispatch(app.services, msg, now + timedelta(seconds=i))
            command = time.perf_counter() - t0
    finally:
        await app.close()
    figures.update({
        "series_ms": round(series * 1000, 1), "township_series_ms": round(township_s * 1000, 1),
        "render_ms": round(render * 1000, 1), "command_s": round(command, 3),
        "floor_ms": round(floor * 1000, 2), "ratio": round(series / floor, 1) if floor else None,
        "png_kb": [round(len(png) / 1024, 1) for png in images], "replies": len(replies),
        "receipt_groups": len(data.receipts), "townships": len(data.townships)})
    return figures


def main() -> None:
    digest = _digest_bench()
    tickets, folder, rebuild = digest.district_args(__doc__ or "")
    figures = asyncio.run(run(tickets, folder, rebuild=rebuild))
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
