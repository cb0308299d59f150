"""Staff jobs at district scale: digest, SLA scan, reminder scan, 待办 and export on 1M tickets.

Run:  .venv/bin/python benchmarks/digest.py [--tickets 1000000] [--rebuild]

Builds (once; cached under data/bench/, which git ignores) a one-year database of 521 groups
(a district, 20 townships, 500 villages), the tickets, their history lines and ratings, and
2,000 notices with their deliveries, by bulk SQL inserts into the schema the real migrations
made. Then times each staff-facing job as the bot runs it. The last line is JSON; ``targets``
holds what each figure should stay under.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Awaitable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import ChatRef, Incoming  # noqa: E402
from bot.notices import reminders  # noqa: E402
from bot.reports.period import last_complete  # noqa: E402
from bot.reports.ranking import ranking  # noqa: E402
from bot.store.sqlite.base import to_db  # noqa: E402
from schedules import digest, sla  # noqa: E402

TARGETS = {"daily_digest_s": 2.0, "monthly_ranking_s": 2.0, "sla_scan_ms": 100.0, "reminder_scan_ms": 100.0,
           "district_todo_ms": 200.0, "export_peak_rss_mb": 200.0}
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
KINDS = (("errand", "E", "groceries"), ("verification", "V", "report"), ("rumor", "R", "claim"))


def write_config(folder: Path, townships: int, villages: int) -> Path:
    """A district, its townships and each township's villages, one owner each, one staff."""
    lines = ['[bot]\nplatforms = ["console"]\ndatabase = "run.db"\n',
             '[staff]\nconsole = ["指挥部"]\n',
             '[[groups]]\nkey = "d"\nname = "全区"\nlevel = "district"\nowners = ["区长"]\n']
    for t in range(townships):
        lines.append(f'[[groups]]\nkey = "t{t}"\nname = "街道{t}"\nlevel = "township"\n'
                     f'parent = "d"\nowners = ["主任{t}"]\n')
        for v in range(villages):
            lines.append(f'[[groups]]\nkey = "v{t}_{v}"\nname = "村{t}_{v}"\nlevel = "village"\n'
                         f'parent = "t{t}"\nowners = ["网格员{t}_{v}"]\n')
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _tickets(n: int, groups: list[str], rng: random.Random) -> Iterator[tuple[object, ...]]:
    """One year of tickets, oldest first; about 2 % still open, more of them recent."""
    start = NOW - timedelta(days=365)
    step = 365 * 86400 / max(n, 1)
    for i in range(n):
        kind, letter, word = KINDS[i % 7 % 3]
        created = start + timedelta(seconds=i * step)
        age_days = (NOW - created).days
        still_open = rng.random() < (0.2 if age_days < 3 else 0.0005)
        status = rng.choice(("open", "open", "accepted", "assigned")) if still_open else (
            "done" if rng.random() < 0.9 else "rejected")
        updated = created + timedelta(hours=rng.uniform(0.2, 30)) if not still_open else created
        updated = min(updated, NOW)
        g = groups[i % len(groups)]
        yield (i + 1, f"{letter}{i + 1}", kind, word, "urgent" if i % 17 == 0 else "normal", status,
               g, g, "console", g, f"居民{i % 50_000}", f"居民{i % 50_000}", f"{word} 第{i}件 3栋{i % 900}",
               to_db(created), to_db(updated))


def build(db: Path, n: int, groups: list[str], seed: int = 7) -> None:
    """Bulk-insert the tickets, history, ratings and notices into the migrated database."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        con.execute("DELETE FROM ticket_seq")
        con.executemany(
            """INSERT INTO tickets (id, code, kind, category, priority, status, group_key,
               group_name, platform, chat_id, requester_id, requester_name, text, created_at,
               updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", _tickets(n, groups, rng))
        con.execute("""INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                       from_status, to_status) SELECT id, created_at, requester_id, requester_name,
                       'create', NULL, 'open' FROM tickets""")
        con.execute("""INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                       from_status, to_status) SELECT id, updated_at, 'owner', '群主', 'close',
                       'open', status FROM tickets WHERE status IN ('done', 'rejected')""")
        con.execute("""INSERT INTO ratings (ticket_id, score, rater_id, comment, at)
                       SELECT id, 1 + id % 5, requester_id, '', updated_at FROM tickets
                       WHERE status = 'done' AND id % 4 = 0""")
        for kind, _, _ in KINDS:
            con.execute("INSERT INTO ticket_seq (kind, last) VALUES (?, ?)", (kind, n))
        _notices(con, groups, rng)
    con.execute("ANALYZE")
    con.close()


def _notices(con: sqlite3.Connection, groups: list[str], rng: random.Random, count: int = 2000) -> None:
    """2,000 notices over the year to 26 groups each, sent; the last day's partly unconfirmed."""
    for i in range(count):
        created = NOW - timedelta(minutes=(count - i) * 260)
        con.execute("""INSERT INTO notices (id, code, origin_key, author_platform, author_id,
                       author_name, text, created_at) VALUES (?,?,?,?,?,?,?,?)""",
                    (i + 1, f"N{i + 1}", "d", "console", "区长", "区长", f"通知{i}", to_db(created)))
        recent = NOW - created < timedelta(days=1)
        for j in range(min(26, len(groups))):
            g = groups[(i * 26 + j) % len(groups)]
            key = f"notice:{i + 1}:{g}"
            sent = to_db(created + timedelta(seconds=5))
            confirmed = None if recent and rng.random() < 0.5 else to_db(created + timedelta(minutes=20))
            con.execute("""INSERT INTO outbox (platform, chat_id, text, dedupe_key, status,
                           next_attempt_at, created_at, sent_at) VALUES (?,?,?,?,?,?,?,?)""",
                        ("console", g, f"通知{i}", key, "sent", sent, sent, sent))
            con.execute("""INSERT INTO notice_deliveries (notice_id, group_key, group_name,
                           platform, chat_id, depth, state, outbox_key, queued_at, confirmed_at,
                           confirmed_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                        (i + 1, g, g, "console", g, 1, "queued", key, sent, confirmed,
                         "网格员" if confirmed else ""))


def _clear(folder: Path, pattern: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(pattern):
        old.unlink()
    return True


def _pristine(folder: Path, db: Path) -> None:
    """The jobs write (reminded, escalated): each run starts from the same pristine copy."""
    _clear(folder, "run.db*")
    shutil.copyfile(db, folder / "run.db")
    (folder / "run.db").chmod(0o600)  # residents' tickets: the bot refuses a readable database


async def prepare(folder: Path, tickets: int, townships: int, villages: int, rebuild: bool) -> Path:
    """The cached database for these numbers, built through the real migrations if missing."""
    ready = folder / "ready"
    if rebuild or not await asyncio.to_thread(ready.exists):
        await asyncio.to_thread(_clear, folder, "*.db*")
        toml = write_config(folder, townships, villages)
        app = await open_app(load_config(toml))  # runs every migration
        await app.close()
        groups = [f"v{t}_{v}" for t in range(townships) for v in range(villages)]
        await asyncio.to_thread(lambda: (folder / "run.db").rename(folder / "bench.db"))
        build(folder / "bench.db", tickets, groups)
        await asyncio.to_thread(ready.write_text, str(tickets), encoding="utf-8")
    toml = write_config(folder, townships, villages)
    _pristine(folder, folder / "bench.db")
    return toml


T = TypeVar("T")


async def _timed(job: Awaitable[T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    result = await job
    return time.perf_counter() - t0, result


async def measure(toml: Path) -> dict[str, object]:
    """Time each job as the running bot runs it: digest, ranking and 待办 warm (second run)."""
    app = await open_app(load_config(toml))
    secs: dict[str, float] = {}
    figures: dict[str, object] = {}
    try:
        svc = app.services
        for _ in range(2):
            secs["daily_digest_s"], out = await _timed(digest.digests(svc, NOW))
        figures["digest_replies"] = len(out)
        # Last month's 考核排名 of every village group, as staff ask for it (warm, second run).
        month = last_complete("monthly", NOW, svc.config.tz)
        for _ in range(2):
            secs["monthly_ranking_s"], ranked = await _timed(ranking(svc.store, svc.config, svc.directory, month, NOW))
        figures["ranked_groups"] = ranked.ranked
        # Its floor: one plain SQL aggregate over the same month's tickets and ratings by group.
        secs["monthly_ranking_floor_s"], _ = await _timed(_ranking_floor(svc.store, month.start, month.end))
        secs["reminder_scan_ms"], out = await _timed(reminders(svc, NOW))  # each reminded once
        figures["reminders"] = len(out)
        msg = Incoming(ChatRef.private("console", "区长"), "区长", "区长", "待办", "b1", NOW, is_group=False)
        for _ in range(2):
            secs["district_todo_ms"], reply = await _timed(app.dispatcher.dispatch(svc, msg, NOW))
        figures["todo_first_line"] = reply[0].text.splitlines()[0] if reply else ""
        secs["sla_first_scan_ms"], out = await _timed(sla.job(svc, NOW))
        figures["escalations"] = len(out)
        # Five minutes later: only what came due since is read (each ticket's planned moment).
        secs["sla_scan_ms"], later = await _timed(sla.job(svc, NOW + timedelta(minutes=5)))
        figures["sla_scan_replies"] = len(later)  # what came due in those five minutes
    finally:
        await app.close()
    with sqlite3.connect(toml.parent / "bench.db") as con:
        figures["tickets"] = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    secs["export_csv_s"], figures["export_peak_rss_mb"] = export(toml)
    for key, value in secs.items():
        figures[key] = round(value, 3) if key.endswith("_s") else round(value * 1000, 2)
    figures["monthly_ranking_ratio"] = round(secs["monthly_ranking_s"] / secs["monthly_ranking_floor_s"], 1)
    return figures


async def _ranking_floor(store: Any, start: datetime, end: datetime) -> None:
    """Tickets filed and ratings given in the month, counted by group: what any ranking reads."""
    for sql in ("""SELECT group_key, COUNT(*) FROM tickets WHERE created_at >= ? AND created_at < ?
                   GROUP BY group_key""",
                """SELECT t.group_key, COUNT(*), SUM(r.score) FROM ratings r JOIN tickets t
                   ON t.id = r.ticket_id WHERE r.at >= ? AND r.at < ? GROUP BY t.group_key"""):
        await store.db.fetchall(sql, (to_db(start), to_db(end)))


def export(toml: Path) -> tuple[float, float]:
    """``gridbot tickets export --format csv`` in a child process: seconds and its peak RSS."""
    out = toml.parent / "export.csv"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "tickets", "export", "--config", str(toml),
                    "--format", "csv", "--out", str(out)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    out.unlink()
    return elapsed, round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


async def run(tickets: int, folder: Path, townships: int = 20, villages: int = 25,
              rebuild: bool = False) -> dict[str, object]:
    """Build or reuse the database, time every job; the figures with the targets."""
    t0 = time.perf_counter()
    toml = await prepare(folder, tickets, townships, villages, rebuild)
    build_s = round(time.perf_counter() - t0, 1)
    figures = await measure(toml)
    figures["groups"] = 1 + townships + townships * villages
    figures["build_s"] = build_s
    figures["targets"] = TARGETS
    return figures


def district_args(doc: str) -> tuple[int, Path, bool]:
    """The command line of every benchmark on this database (``--tickets``, ``--rebuild``):
    the ticket count, its cache folder and whether to build it again."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()
    return args.tickets, ROOT / "data" / "bench" / f"digest-{args.tickets}", args.rebuild


def main() -> None:
    tickets, folder, rebuild = district_args(__doc__ or "")
    print(json.dumps(asyncio.run(run(tickets, folder, rebuild=rebuild)), ensure_ascii=False))


if __name__ == "__main__":
    main()
