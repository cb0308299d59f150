"""Ticket-loop benchmark: residents' messages through the whole bot on a real SQLite file.

Run:  .venv/bin/python benchmarks/tickets.py [--messages 5000] [--groups 78]

Each message goes the way a real one does: stored, parsed, a ticket created with its history,
replies queued in the persisted outbox, and the outbox drained through an adapter that only
counts. A quarter of the messages are ordinary chat (stored, no ticket); every tenth ticket
is closed by its owner in private chat. Prints messages per second, per-message latency
percentiles, the database size and peak memory; the last line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import ChatRef, Incoming, Reply  # noqa: E402

REQUESTS = (
    "代买 大米一袋 {b}栋{r}", "代買胰島素兩盒 急 {b}棟{r}", "求助 老人发烧 {b}栋{r}", "跑腿 倒垃圾 {b}栋",
    "报备 {b}-2-{r} 一家三口从外地返回", "举报 有陌生车辆进村 李家村{b}组", "求证 听说明天{b}号楼停水是真的吗",
    "我家老伴降压药吃完了能不能帮忙代买一下 {b}号楼2单元{r}",
)
CODE = re.compile(r"[EVR]\d+")
CHAT = ("谢谢大家", "收到", "今天几点发菜？", "辛苦了 👍")


class CountingAdapter:
    """Accepts every send at once; the benchmark measures the bot, not a network."""

    platform = "console"
    max_in_flight = 64
    self_draining = True
    redelivers = False

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, reply: Reply) -> str | None:
        self.sent += 1
        return str(self.sent)

    async def run(self, dispatch: object) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        pass


def write_config(folder: Path, groups: int) -> Path:
    lines = ['[bot]\nplatforms = ["console"]\ndatabase = "tickets.db"\n',
             '[[groups]]\nkey = "s"\nname = "街道"\nlevel = "township"\nowners = ["主任"]\n']
    lines += [f'[[groups]]\nkey = "g{i}"\nname = "小区{i}"\nparent = "s"\nowners = ["网格员{i}"]\n'
              for i in range(groups)]
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


async def run(messages: int, groups: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(write_config(Path(tmp), groups))
        app = await open_app(config)
        adapter = CountingAdapter()
        app.attach(adapter)
        latencies: list[float] = []
        start = time.perf_counter()
        for i in range(messages):
            g = i % groups
            if i % 4 == 3:
                text = CHAT[i % len(CHAT)]
            else:
                # Each resident asks once, so the repeat guard does not merge the load away.
                text = REQUESTS[i % len(REQUESTS)].format(b=1 + i % 30, r=101 + i % 900)
            msg = Incoming(ChatRef("console", f"小区{g}"), f"居民{i}", f"居民{i}", text, f"m{i}",
                           app.now())
            t0 = time.perf_counter()
            replies = await app.handle(msg)
            found = CODE.search(replies[0].text) if replies and i % 10 == 0 else None
            if found:
                owner = f"网格员{g}"
                await app.handle(Incoming(ChatRef.private("console", owner), owner, owner,
                                          f"完成 {found.group(0)}", f"c{i}", app.now(), is_group=False))
            await app.outbox.drain("console")
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
        tickets = len(await app.store.tickets.list())
        db_bytes = sum(f.stat().st_size for f in Path(tmp).glob("tickets.db*"))  # noqa: ASYNC240 - after timing
        await app.close()
    latencies.sort()
    return {
        "messages": messages,
        "groups": groups,
        "tickets": tickets,
        "sends": adapter.sent,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(messages / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "db_mb": round(db_bytes / 1e6, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=78)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.messages, args.groups)), ensure_ascii=False))


if __name__ == "__main__":
    main()
