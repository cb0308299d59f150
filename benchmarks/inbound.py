"""Inbound benchmark: 20,000 keyword messages from 500 groups through the whole bot, against a floor.

Run:  .venv/bin/python benchmarks/inbound.py [--messages 20000] [--groups 500]

1. A district, 20 townships and ``groups`` village groups (owners everywhere) on a real SQLite
   file, opened as ``gridbot run`` opens it (every router and job) with the harness's fake
   adapter for sends; the outbox's send worker runs alongside, as in ``gridbot run``.
2. ``messages`` keyword requests (代买 / 代办 / 跑腿 / 求助 / 报备 / 核实 / 举报 / 辟谣 / 求证, in
   Simplified and Traditional script), round robin over the villages, one resident each, go
   through ``App.handle`` one after another: stored, dispatched, parsed, filed as tickets,
   acknowledgement and owner push queued, then sent and marked sent by the worker. The rate
   counts until the last reply is marked sent; latency is each message's ``handle``.
3. The floor, in the same run: the same rows (message, ticket, outbox rows) written to a fresh
   database through the same migrations and PRAGMAs with plain aiosqlite, one transaction per
   message (BEGIN, one INSERT per row, COMMIT).

Transactions and calls into aiosqlite's worker thread are counted per message (a counting
wrapper around aiosqlite's queue), for the bot and for the floor. Prints figures; the last
line is JSON: ``messages_per_s, p50_ms, p99_ms, peak_rss_mb, floor_messages_per_s, ratio, ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.message import ChatRef, Incoming  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402
from bot.store.sqlite.base import Database  # noqa: E402
from tests.harness import TZ, FakeAdapter, open_app  # noqa: E402

START = datetime(2026, 11, 26, 8, 0, tzinfo=TZ)
STEP = timedelta(milliseconds=5)
TOWNSHIPS = 20

#: Requests as residents type them, both scripts, every keyword family.
REQUESTS = (
    "代买 大米一袋 {b}栋{u}单元{r}", "代買 胰島素兩盒 急 {b}棟{u}單元{r}", "代办 帮忙开居住证明 {b}栋{r}",
    "跑腿 去药店取药 {b}-{u}-{r}", "求助 老人发烧38度5 {b}栋{u}单元{r}", "求助：家里停电了，孩子害怕 {b}號樓{r}",
    "报备 {b}-{u}-{r} 一家三口从外地返回", "報備 {b}棟{u}單元{r} 今天從武漢返回兩人",
    "核实 {b}号楼有人发烧没上报", "核實 {b}棟門口有陌生車輛停了兩天", "举报 有人在{b}号楼楼道聚集打牌",
    "舉報 {b}棟有人半夜在群外倒賣物資", "辟谣 听说明天{b}号楼要封楼是真的吗", "闢謠 網傳{b}號樓確診三例",
    "求证 听说小区{b}号门明天不让出入", "求證 聽說明天全區停水{b}小時",
)


class Clock:
    """Moves ``STEP`` every time it is read, so times differ and schedules stay quiet."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += STEP
        return self.now


class Hops:
    """Counts calls into aiosqlite's worker thread, and the statements and transactions SQLite
    runs (its trace callback, on that thread): a COMMIT or ROLLBACK, or a write on its own."""

    def __init__(self) -> None:
        self.calls = 0
        self.transactions = 0
        self.statements: Counter[str] = Counter()
        self._original: Any = None

    def install(self) -> None:
        original = aiosqlite.Connection._execute
        self._original = original
        hops = self

        async def counted(conn: aiosqlite.Connection, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
            hops.calls += 1
            raw = conn._connection
            if raw is None or getattr(conn, "_bench_traced", False):
                return await original(conn, fn, *args, **kw)  # type: ignore[no-untyped-call]
            conn._bench_traced = True  # type: ignore[attr-defined]

            def traced() -> Any:  # on the worker thread, where the connection may be used
                raw.set_trace_callback(lambda sql: hops._trace(raw, sql))
                return fn(*args, **kw)

            return await original(conn, traced)  # type: ignore[no-untyped-call]

        aiosqlite.Connection._execute = counted  # type: ignore[method-assign, assignment]

    def _trace(self, raw: Any, sql: str) -> None:
        if sql.startswith("--"):  # a trigger's statement, part of the one that fired it
            return
        self.statements[" ".join(sql.split())[:70]] += 1
        head = sql.lstrip().upper()
        if head.startswith(("COMMIT", "ROLLBACK")) or (_writes(head) and not raw.in_transaction):
            self.transactions += 1

    def reset(self) -> None:
        self.calls, self.transactions = 0, 0
        self.statements.clear()

    def uninstall(self) -> None:
        aiosqlite.Connection._execute = self._original  # type: ignore[method-assign]


def _writes(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"))


#: How each platform names a group's chat and a person (Telegram: numbers).
CHAT = {"telegram": lambda i: f"-100{1000 + i}", "console": lambda i: f"第{i}小区群"}
REDELIVERS = {"telegram": True, "console": False}
PERSON = {"telegram": lambda n: str(n), "console": lambda n: f"居民{n}"}


def write_config(folder: Path, groups: int, platform: str = "telegram") -> Path:
    """A district, its townships and ``groups`` village groups on ``platform``, owners everywhere."""
    def group(key: str, name: str, chat: str, owner: int, extra: str) -> str:
        chat_line = f'chat_id = "{chat}"\n' if platform != "console" else ""
        return (f'[[groups]]\nkey = "{key}"\nname = "{name}"\nplatform = "{platform}"\n{chat_line}{extra}'
                f'owners = ["{PERSON[platform](owner)}"]\n')
    lines = [f'[bot]\nplatforms = ["{platform}"]\ntimezone = "Asia/Shanghai"\ndatabase = "inbound.db"\n',
             f'[staff]\n{platform} = ["{PERSON[platform](9_000_000)}"]\n',
             group("d", "区指挥部群", "-1009", 9_000_001, 'level = "district"\n')]
    lines += [group(f"t{t}", f"第{t}街道群", f"-1008{t:03d}", 9_100_000 + t,
                    'level = "township"\nparent = "d"\n') for t in range(TOWNSHIPS)]
    lines += [group(f"v{i}", f"第{i}小区群", CHAT[platform](i), 9_200_000 + i, f'parent = "t{i % TOWNSHIPS}"\n')
              for i in range(groups)]
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_messages(count: int, groups: int, platform: str = "telegram") -> list[Incoming]:
    """``count`` requests, round robin over the village groups, each from its own resident."""
    out = []
    for i in range(count):
        text = REQUESTS[i % len(REQUESTS)].format(b=1 + i % 30, u=1 + i % 3, r=101 + (i // 7) % 900)
        chat = ChatRef(platform, CHAT[platform](i % groups))
        out.append(Incoming(chat, PERSON[platform](10_000 + i), f"居民{i}", text, f"{i}", START))
    return out


async def bot_run(folder: Path, msgs: list[Incoming], groups: int, hops: Hops,
                  platform: str = "telegram") -> dict[str, Any]:
    """Every message through ``App.handle`` with the send worker running; figures and rows.

    The adapter stands in for ``platform`` as the bot sees it: Telegram sends an update again
    until it is handled (messages are stored in the transaction that handles them), the
    console does not (each is committed first, then handled).
    """
    app = await open_app(load_config(write_config(folder, groups, platform)), clock=Clock())
    adapter = FakeAdapter(platform=platform, max_in_flight=32, self_draining=False,
                          redelivers=REDELIVERS[platform])
    app.attach(adapter)
    worker = asyncio.create_task(app.outbox.run(platform))
    latencies: list[float] = []
    replies_per_message: list[int] = []
    try:
        hops.reset()
        t0 = time.perf_counter()
        for m in msgs:
            t = time.perf_counter()
            replies = await app.handle(m)
            latencies.append(time.perf_counter() - t)
            replies_per_message.append(len(replies))
        handled_s = time.perf_counter() - t0
        expected = sum(replies_per_message)
        # Polling the adapter's count: the worker has no event for "all sent".
        while len(adapter.sent) < expected or await app.store.outbox.next_due_at(platform):  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        total_s = time.perf_counter() - t0
        # The bot's peak, before this script reads every row back for the floor.
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        calls, transactions, statements = hops.calls, hops.transactions, hops.statements.copy()
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        store = app.store
        assert isinstance(store, SqliteStore)
        unsent = await store.db.fetchall("SELECT id FROM outbox WHERE status != 'sent'")
        tickets = await store.db.fetchone("SELECT COUNT(*) AS n FROM tickets")
        if unsent or len(adapter.sent) != expected:
            raise AssertionError(f"{len(unsent)} rows unsent, {len(adapter.sent)} of {expected} sent")
        rows = await _rows(store.db, replies_per_message)
    finally:
        if not worker.done():
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
        await app.close()
    latencies.sort()
    return {
        "seconds": total_s, "handled_s": handled_s, "latencies": latencies, "sends": expected,
        "tickets": int(tickets["n"]) if tickets else 0, "calls": calls,
        "transactions": transactions, "statements": statements, "rows": rows, "peak_mb": peak_mb,
    }


async def _rows(db: Database, replies_per_message: list[int]) -> list[tuple[dict[str, Any], list[dict[str, Any]],
                                                                            list[dict[str, Any]]]]:
    """Each message's rows as the bot wrote them: the message, its tickets, its outbox rows."""
    messages = [dict(r) for r in await db.fetchall("SELECT * FROM messages ORDER BY id")]
    # Every message has a sender of its own: a ticket belongs to its requester's message.
    by_sender: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in await db.fetchall("SELECT * FROM tickets ORDER BY id"):
        by_sender.setdefault((t["platform"], t["requester_id"]), []).append(dict(t))
    senders = {(m["platform"], m["sender_id"]) for m in messages}
    if set(by_sender) - senders or any(len(v) > 1 for v in by_sender.values()):
        raise AssertionError("a ticket does not belong to exactly one message of the run")
    outbox = iter([dict(r) for r in await db.fetchall("SELECT * FROM outbox ORDER BY id")])
    # Rows are queued in message order by the only writer, so the n-th message's replies
    # are the next ``n`` outbox rows.
    return [(m, by_sender.get((m["platform"], m["sender_id"]), []), [next(outbox) for _ in range(n)])
            for m, n in zip(messages, replies_per_message, strict=True)]


def _insert(table: str, row: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    return (f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()))


async def floor_run(folder: Path, rows: list[Any], hops: Hops) -> dict[str, Any]:
    """The same rows into a fresh database (same migrations, same PRAGMAs), one transaction each."""
    db = Database(folder / "floor.db")
    await db.open()
    try:
        hops.reset()
        t0 = time.perf_counter()
        for message, tickets, outbox in rows:
            await db.conn.execute("BEGIN IMMEDIATE")
            await db.conn.execute(*_insert("messages", message))
            for t in tickets:
                await db.conn.execute(*_insert("tickets", t))
            for o in outbox:
                await db.conn.execute(*_insert("outbox", o))
            await db.conn.execute("COMMIT")
        seconds = time.perf_counter() - t0
    finally:
        await db.close()
    return {"seconds": seconds, "calls": hops.calls, "transactions": hops.transactions,
            "tickets": sum(len(tickets) for _, tickets, _ in rows)}


async def run(messages: int = 20_000, groups: int = 500, platform: str = "telegram") -> dict[str, Any]:
    """Both runs in one process; the figures (raises if a reply was lost)."""
    msgs = make_messages(messages, groups, platform)
    hops = Hops()
    hops.install()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            bot = await bot_run(folder, msgs, groups, hops, platform)
            floor = await floor_run(folder, bot["rows"], hops)
    finally:
        hops.uninstall()
    lat = bot["latencies"]
    per_s = messages / bot["seconds"]
    floor_per_s = messages / floor["seconds"]
    return {
        "messages": messages, "groups": groups, "platform": platform, "tickets": bot["tickets"], "sends": bot["sends"],
        "messages_per_s": round(per_s), "p50_ms": round(lat[len(lat) // 2] * 1000, 2),
        "p99_ms": round(lat[int(len(lat) * 0.99) - 1] * 1000, 2),
        "peak_rss_mb": round(bot["peak_mb"], 1),
        "floor_messages_per_s": round(floor_per_s), "ratio": round(per_s / floor_per_s, 2),
        "tx_per_message": round(bot["transactions"] / messages, 2),
        "thread_calls_per_message": round(bot["calls"] / messages, 2),
        "floor_tx_per_message": round(floor["transactions"] / messages, 2),
        "floor_thread_calls_per_message": round(floor["calls"] / messages, 2),
        "handled_s": round(bot["handled_s"], 2), "seconds": round(bot["seconds"], 2),
        "floor_seconds": round(floor["seconds"], 2), "floor_tickets": floor["tickets"],
        "top_statements": {k: round(v / messages, 2) for k, v in bot["statements"].most_common(30)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--platform", choices=sorted(CHAT), default="telegram",
                        help="telegram: stored and handled in one transaction (the platform resends); "
                             "console: stored, committed, then handled")
    parser.add_argument("--statements", action="store_true", help="print the calls per message by statement")
    args = parser.parse_args()
    r = asyncio.run(run(args.messages, args.groups, args.platform))
    top = r.pop("top_statements")
    if args.statements:
        for sql, n in top.items():
            print(f"{n:6.2f}  {sql}")
    print(f"{r['messages']} messages from {r['groups']} groups: {r['tickets']} tickets, {r['sends']} sends "
          f"in {r['seconds']} s: {r['messages_per_s']}/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
          f"peak RSS {r['peak_rss_mb']} MB")
    print(f"per message: {r['tx_per_message']} transactions, {r['thread_calls_per_message']} thread calls "
          f"(floor {r['floor_tx_per_message']} and {r['floor_thread_calls_per_message']})")
    print(f"floor (same rows, plain aiosqlite, one transaction per message): {r['floor_messages_per_s']}/s; "
          f"ratio {r['ratio']}")
    print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
