"""The roster job's minute run and a day's pick list, on a year of history.

Run:  .venv/bin/python benchmarks/rosters.py [--checkpoints 100] [--days 365] [--errands 1000]

Builds a fresh database through the real migrations under data/bench/rosters/ (git-ignored):
``--checkpoints`` checkpoints of three daily shifts with three people each, for ``--days`` days
before today and tomorrow (a year of duties), plus 200,000 tickets over the year of which
``--errands`` are today's open grocery errands of one group. Then times, as the bot runs them:

- ``minute_run_ms``: the roster job once the day's shifts exist (every minute while the bot runs),
  against ``floor_minute_ms``: plain SQL reading the same rows (the shifts of today and tomorrow,
  the duties under way or due a reminder) with the same PRAGMAs;
- ``picklist_ms``: building one group's pick list, against ``floor_picklist_ms``: plain SQL
  reading the same errands.

Figures are medians of 5 runs; the machine is shared, so the ratios are what to track. The last
line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import picklist  # noqa: E402
from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.store.sqlite.base import to_db  # noqa: E402
from schedules import rosters as roster_job  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 7, 40, tzinfo=TZ)  # twenty minutes before the morning shifts
SHIFTS = (("早班", "08:00", "16:00"), ("中班", "16:00", "24:00"), ("夜班", "00:00", "08:00"))
TICKETS = 200_000


def write_config(folder: Path, checkpoints: int) -> Path:
    """One village group and its checkpoints, three daily shifts of three people each."""
    lines = ['[bot]\nplatforms = ["console"]\ndatabase = "run.db"\ntimezone = "Asia/Shanghai"\n',
             '[[groups]]\nkey = "v"\nname = "幸福小区居民群"\nowners = ["李书记"]\n']
    for c in range(checkpoints):
        shifts = ", ".join(
            f'{{ name = "{n}", start = "{s}", end = "{e}", people = '
            f'[{", ".join(f"{chr(34)}人{c}_{i}_{k}:u{c}_{i}_{k}{chr(34)}" for k in range(3))}] }}'
            for i, (n, s, e) in enumerate(SHIFTS))
        lines.append(f'[[checkpoints]]\nkey = "c{c}"\nname = "卡点{c}"\ngroup = "v"\n'
                     f'leads = ["组长{c}"]\nshifts = [{shifts}]\n')
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _history(db: Path, checkpoints: int, days: int, errands: int) -> None:
    """Past shifts (checked in), and a year of tickets ending with today's grocery errands."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    today = NOW.date()
    with con:
        for d in range(days, 0, -1):
            day = today - timedelta(days=d)
            for c in range(checkpoints):
                for i, (name, s, e) in enumerate(SHIFTS):
                    start = datetime.combine(day, datetime.strptime(s, "%H:%M").time(), TZ)
                    cur = con.execute(
                        """INSERT INTO roster_shifts (checkpoint, day, name, start_hm, end_hm, start_at,
                           end_at, source) VALUES (?,?,?,?,?,?,?, 'config')""",
                        (f"c{c}", day.isoformat(), name, s, e, to_db(start), to_db(start + timedelta(hours=8))))
                    con.executemany(
                        """INSERT INTO roster_duties (shift_id, name, platform, user_id, checked_in_at,
                           reminded_at) VALUES (?,?, 'console', ?, ?, ?)""",
                        [(cur.lastrowid, f"人{c}_{i}_{k}", f"u{c}_{i}_{k}", to_db(start), to_db(start))
                         for k in range(3)])
        start = NOW - timedelta(days=365)
        step = (NOW - start) / TICKETS
        rows = []
        for n in range(TICKETS):
            today_errand = n >= TICKETS - errands
            created = NOW - timedelta(hours=7) + timedelta(seconds=n % 3600) if today_errand else start + n * step
            status = "open" if today_errand else "done"
            text = f"代买 大米一袋 鸡蛋 {n % 30 + 1}栋{n % 4 + 1}单元{n % 900 + 101}"
            rows.append((f"E{n + 1}", "errand", "groceries", "normal", status, "v", "幸福小区居民群", "console",
                         "幸福小区居民群", f"居民{n}", f"居民{n}", text, f"{n % 30 + 1}栋{n % 4 + 1}单元{n % 900 + 101}",
                         to_db(created), to_db(created)))
        con.executemany("""INSERT INTO tickets (code, kind, category, priority, status, group_key, group_name,
                           platform, chat_id, requester_id, requester_name, text, address, created_at,
                           updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
    con.execute("ANALYZE")
    con.close()


async def _median(run: Callable[[], Awaitable[object]], times: int = 5) -> float:
    took = []
    for _ in range(times):
        t0 = time.perf_counter()
        await run()
        took.append(time.perf_counter() - t0)
    return statistics.median(took) * 1000


def _floor(db: Path, *queries: tuple[str, tuple[object, ...]], times: int = 5) -> float:
    """The same rows read with plain sqlite3 and the bot's PRAGMAs, one statement each."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    took = []
    for _ in range(times):
        t0 = time.perf_counter()
        for sql, params in queries:
            con.execute(sql, params).fetchall()
        took.append(time.perf_counter() - t0)
    con.close()
    return statistics.median(took) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--errands", type=int, default=1000)
    args = parser.parse_args()
    folder = ROOT / "data" / "bench" / "rosters"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    config = load_config(write_config(folder, args.checkpoints))
    app = await open_app(config)  # the real migrations
    await app.close()
    t0 = time.perf_counter()
    _history(folder / "run.db", args.checkpoints, args.days, args.errands)
    built = time.perf_counter() - t0
    app = await open_app(config)
    try:
        svc = app.services
        await roster_job.job(svc, NOW)  # makes today's and tomorrow's shifts, reminds
        minute = await _median(lambda: roster_job.job(svc, NOW + timedelta(minutes=1)))
        group = NOW.date()
        pick = await _median(lambda: picklist.build(app.store, "v", group, TZ))
        lists = await picklist.build(app.store, "v", group, TZ)
    finally:
        await app.close()
    db = folder / "run.db"
    today, tomorrow = NOW.date().isoformat(), (NOW.date() + timedelta(days=1)).isoformat()
    floor_minute = _floor(
        db, ("SELECT * FROM roster_shifts WHERE day IN (?, ?)", (today, tomorrow)),
        ("""SELECT * FROM roster_duties d JOIN roster_shifts s ON s.id = d.shift_id
            WHERE s.start_at > ? AND s.start_at <= ? AND s.end_at > ?""",
         (to_db(NOW - timedelta(days=1)), to_db(NOW + timedelta(minutes=30)), to_db(NOW))))
    since = datetime.combine(NOW.date(), datetime.min.time(), TZ)
    floor_pick = _floor(db, ("""SELECT * FROM tickets WHERE group_key = 'v' AND category = 'groceries'
                                AND created_at >= ? AND created_at < ? AND status NOT IN ('done', 'rejected')""",
                             (to_db(since), to_db(since + timedelta(days=1)))))
    with sqlite3.connect(db) as con:
        duties = con.execute("SELECT COUNT(*) FROM roster_duties").fetchone()[0]
    figures = {
        "checkpoints": args.checkpoints, "duties": duties, "tickets": TICKETS, "build_s": round(built, 1),
        "minute_run_ms": round(minute, 2), "floor_minute_ms": round(floor_minute, 2),
        "minute_ratio": round(minute / max(floor_minute, 1e-6), 1),
        "picklist_ms": round(pick, 2), "floor_picklist_ms": round(floor_pick, 2),
        "picklist_ratio": round(pick / max(floor_pick, 1e-6), 1),
        "picklist_households": picklist.counts(lists)[0],
    }
    for key, value in figures.items():
        print(f"{key:>22}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
