"""Flood benchmark: one sender's long messages and one resident's 500 requests, through the App.

Run:  .venv/bin/python benchmarks/flood.py [--long 300] [--chars 4000] [--flood 500]

1. ``--long`` requests of ``--chars`` characters from one sender, each a different request, with
   the flood limit raised out of the way so every one becomes a ticket: the repeat check's worst
   case (before it was bounded, 300 took 61 s and the 300th alone 396 ms). Prints p50/p99/max
   milliseconds per message (stored, parsed, repeat check, ticket, replies queued, outbox
   drained) against a floor measured in the same run: the same number of rows of the same size
   inserted plainly, one transaction each, through aiosqlite with the bot's PRAGMAs.
2. ``--flood`` requests from one resident with the shipped limit (5 per 10 minutes): counts the
   tickets, the owners' private messages and the group replies (5 acknowledgements + 1 warning).
3. ``--flood`` copies of one request: 1 ticket, 1 acknowledgement, 1 "您已登记过" pointer.

The last line is JSON with the figures of both runs and the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiosqlite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import ChatRef, Incoming, Reply  # noqa: E402

GROUP, OWNER = "幸福小区居民群", "李书记"
#: Common characters, so the long texts look like Chinese to the parser and normaliser.
HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你对能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"


class Recorder:
    """Accepts every send at once and remembers where it went; measures the bot, not a network."""

    platform = "console"
    max_in_flight = 64
    self_draining = True
    redelivers = False

    def __init__(self) -> None:
        self.sent: list[Reply] = []

    async def send(self, reply: Reply) -> str | None:
        self.sent.append(reply)
        return str(len(self.sent))

    async def run(self, dispatch: object) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        pass


def write_config(folder: Path, limits: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "bot.toml"
    path.write_text(f"""[bot]
platforms = ["console"]
database = "flood.db"

[[groups]]
key = "xingfu"
name = "{GROUP}"
owners = ["{OWNER}"]
{limits}""", encoding="utf-8")
    return path


def long_texts(n: int, chars: int) -> list[str]:
    rng = random.Random(9)
    return [f"代买 第{i}件 " + "".join(rng.choices(HANZI, k=chars - 8)) for i in range(n)]


def ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


async def through_app(folder: Path, limits: str, texts: list[str]) -> tuple[list[float], Recorder, int]:
    """Each text from one sender through the whole bot; per-message seconds, sends, tickets."""
    app = await open_app(load_config(write_config(folder, limits)))
    adapter = Recorder()
    app.attach(adapter)
    latencies = []
    for i, text in enumerate(texts):
        msg = Incoming(ChatRef("console", GROUP), "张阿姨", "张阿姨", text, f"m{i}", app.now())
        t0 = time.perf_counter()
        await app.handle(msg)
        await app.outbox.drain("console")
        latencies.append(time.perf_counter() - t0)
    tickets = len(await app.store.tickets.list())
    await app.close()
    return latencies, adapter, tickets


async def plain_inserts(path: Path, texts: list[str]) -> list[float]:
    """The floor: one row of each text, one transaction each, with the bot's PRAGMAs."""
    async with aiosqlite.connect(path, isolation_level=None) as db:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
            await db.execute(f"PRAGMA {pragma}")
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, sender TEXT, text TEXT, at TEXT)")
        out = []
        for text in texts:
            t0 = time.perf_counter()
            await db.execute("BEGIN IMMEDIATE")
            await db.execute("INSERT INTO t (sender, text, at) VALUES (?, ?, ?)", ("张阿姨", text, "now"))
            await db.execute("COMMIT")
            out.append(time.perf_counter() - t0)
        return out


async def run(long: int, chars: int, flood: int) -> dict[str, Any]:
    texts = long_texts(long, chars)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = await plain_inserts(folder / "floor.db", texts)
        lat, _, tickets = await through_app(folder / "long", "[limits]\ntickets_per_window = 1000000\n", texts)
    with tempfile.TemporaryDirectory() as tmp:
        requests = [f"代买 第{i}样东西 5栋{i % 30}01" for i in range(flood)]
        flat, adapter, flood_tickets = await through_app(Path(tmp), "", requests)
    with tempfile.TemporaryDirectory() as tmp:
        _, copies, copy_tickets = await through_app(Path(tmp), "", ["代买 胰岛素两盒 5栋301"] * flood)
    group = [r for r in adapter.sent if r.chat.chat_id == GROUP]
    owner = [r for r in adapter.sent if r.chat.chat_id == f"@{OWNER}"]
    long_figures = {"messages": long, "chars": chars, "tickets": tickets, **ms(lat),
                    "last_ms": round(lat[-1] * 1000, 2)}
    floor_figures = ms(floor)
    return {
        "long": long_figures,
        "floor": floor_figures,
        "p50_ratio_to_floor": round(long_figures["p50_ms"] / max(floor_figures["p50_ms"], 1e-3), 1),
        "flood": {
            "requests": flood, "tickets": flood_tickets,
            "group_replies": len(group),
            "group_warnings": sum("请稍后再发" in r.text for r in group),
            "owner_pushes": sum(r.text.startswith("新工单") for r in owner),
            "owner_notices": sum(r.text.startswith("提醒：") for r in owner),
            **ms(flat),
        },
        "copies": {
            "requests": flood, "tickets": copy_tickets,
            "group_replies": sum(r.chat.chat_id == GROUP for r in copies.sent),
            "owner_messages": sum(r.chat.chat_id == f"@{OWNER}" for r in copies.sent),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=int, default=300)
    parser.add_argument("--chars", type=int, default=4000)
    parser.add_argument("--flood", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(run(args.long, args.chars, args.flood))
    lg, fl, fd, cp = result["long"], result["floor"], result["flood"], result["copies"]
    print(f"{lg['messages']} messages of {lg['chars']} chars from one sender, {lg['tickets']} tickets: "
          f"p50 {lg['p50_ms']} ms, p99 {lg['p99_ms']} ms, max {lg['max_ms']} ms, last {lg['last_ms']} ms "
          f"(floor: plain insert p50 {fl['p50_ms']} ms, p99 {fl['p99_ms']} ms)")
    print(f"{fd['requests']} requests from one resident: {fd['tickets']} tickets, "
          f"{fd['group_replies']} group replies ({fd['group_warnings']} warning), "
          f"{fd['owner_pushes']} owner pushes + {fd['owner_notices']} flood notice; "
          f"p50 {fd['p50_ms']} ms, p99 {fd['p99_ms']} ms")
    print(f"{cp['requests']} copies of one request: {cp['tickets']} ticket, {cp['group_replies']} group "
          f"replies, {cp['owner_messages']} owner message")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
