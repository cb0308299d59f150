"""Retention benchmark: the daily ``[privacy]`` run on a large database, against a plain-SQL floor.

Run:  .venv/bin/python benchmarks/retention.py [--messages 200000] [--tickets 20000]

Fills a real SQLite file (through the bot's migrations) with handled messages, a tenth of them
older than keep_messages_days, and tickets with three history lines each, a tenth of them closed
before anonymise_closed_after_days. Times the dry-run count, the real run (batches of 500, one
transaction each, audited) and a second run with nothing left to do, which must cost next to
nothing however large the tables are. The floor is the same rows changed by plain sqlite3
UPDATEs by id in one transaction, with the same PRAGMAs, on a copy of the same file.
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import retention  # noqa: E402
from bot.config import PrivacyConfig  # noqa: E402
from bot.store.audit import Actor  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402

NOW = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")
TEXT = "代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234 " + "麻烦了" * 20


def ts(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")


async def fill(path: Path, messages: int, tickets: int) -> None:
    """Create the schema with the bot's migrations, then bulk-insert plain rows."""
    await (await SqliteStore(path).open()).close()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            """INSERT INTO messages (platform, chat_id, sender_id, sender_name, platform_message_id,
                   text, is_group, sent_at, received_at, handled_at)
               VALUES ('telegram', ?, ?, '张阿姨', ?, ?, 1, ?, ?, ?)""",
            ((f"-{i % 78}", str(i % 5000), str(i), TEXT,
              ts(d := 40 if i % 10 == 0 else 5), ts(d), ts(d)) for i in range(messages)))
        conn.executemany(
            """INSERT INTO tickets (code, kind, category, priority, status, group_key, group_name,
                   platform, chat_id, requester_id, requester_name, text, address, created_at,
                   updated_at) VALUES (?, 'errand', 'medicine', 'normal', ?, 'g', '群', 'telegram',
                   '-1', '1', '张阿姨', ?, '5栋301', ?, ?)""",
            ((f"E{i}", "done" if i % 10 == 0 else "open", TEXT,
              ts(d := 200 if i % 10 == 0 else 3), ts(d)) for i in range(1, tickets + 1)))
        conn.execute("""INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                            to_status, note)
                        SELECT t.id, t.updated_at, '1', '李书记', 'note', t.status, ? FROM tickets t,
                            (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)""",
                     ("电话13812345678 送到5栋301",))
    with sqlite3.connect(path) as conn:  # fold the WAL in, so the copy for the floor is whole
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def floor(path: Path, cut_messages: str, cut_tickets: str) -> float:
    """The same rows changed by plain UPDATEs by id, ids looked up beforehand (not timed)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    mids = [r[0] for r in conn.execute("SELECT id FROM messages WHERE received_at < ?", (cut_messages,))]
    tids = [r[0] for r in conn.execute(
        "SELECT id FROM tickets WHERE status = 'done' AND updated_at < ?", (cut_tickets,))]
    eids = [r[0] for r in conn.execute(
        f"SELECT id FROM ticket_events WHERE ticket_id IN ({','.join(map(str, tids))})")] if tids else []
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("UPDATE messages SET text = '', sender_name = '', sender_id = '', chat_title = '', "
                     "purged_at = 'x' WHERE id = ?", ((i,) for i in mids))
    conn.executemany("UPDATE tickets SET text = 'x', assignee = '', address = '', anonymised_at = 'x' "
                     "WHERE id = ?", ((i,) for i in tids))
    conn.executemany("UPDATE ticket_events SET note = 'x' WHERE id = ?", ((i,) for i in eids))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


async def measure(path: Path) -> dict[str, float | int]:
    store = await SqliteStore(path).open()
    privacy = PrivacyConfig()
    actor = Actor("bench", "bench", "benchmark")
    try:
        start = time.perf_counter()
        plan = await retention.plan(store, privacy, NOW, tz=TZ)
        counted = time.perf_counter() - start
        start = time.perf_counter()
        done = await retention.purge(store, privacy, NOW, actor, tz=TZ)
        ran = time.perf_counter() - start
        assert (done.messages, done.tickets) == (plan.messages, plan.tickets)
        start = time.perf_counter()
        again = await retention.purge(store, privacy, NOW, actor, tz=TZ, record_empty=False)
        idle = time.perf_counter() - start
        assert (again.messages, again.tickets) == (0, 0)
    finally:
        await store.close()
    return {"messages_purged": done.messages, "tickets_anonymised": done.tickets,
            "dry_run_s": round(counted, 4), "run_s": round(ran, 3), "idle_run_s": round(idle, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, medians reported")
    args = parser.parse_args()
    cut = retention.cutoffs(PrivacyConfig(), NOW, TZ)
    assert cut.messages is not None and cut.tickets is not None
    runs, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "filled.db"
        asyncio.run(fill(filled, args.messages, args.tickets))
        for i in range(args.repeat):  # interleaved, so load on a shared machine hits both alike
            shutil.copy(filled, run_copy := Path(tmp) / f"run{i}.db")
            shutil.copy(filled, floor_copy := Path(tmp) / f"floor{i}.db")
            runs.append(asyncio.run(measure(run_copy)))
            floors.append(floor(floor_copy, cut.messages.isoformat(timespec="seconds"),
                                cut.tickets.isoformat(timespec="seconds")))
    result = {k: statistics.median(float(r[k]) for r in runs) for k in runs[0]}
    result["floor_s"] = round(statistics.median(floors), 3)
    result["ratio"] = round(result["run_s"] / result["floor_s"], 2)
    result |= {"messages": args.messages, "tickets": args.tickets, "repeat": args.repeat}
    print(f"{args.messages} messages, {args.tickets} tickets: purged {result['messages_purged']:.0f} "
          f"texts and anonymised {result['tickets_anonymised']:.0f} tickets in {result['run_s']} s "
          f"(floor {result['floor_s']} s, x{result['ratio']}; medians of {args.repeat}); "
          f"dry-run count {result['dry_run_s']} s; a run with nothing to do {result['idle_run_s']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
