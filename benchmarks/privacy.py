"""Privacy benchmark: the cost of masking group replies and of filing a request in private.

Run:  .venv/bin/python benchmarks/privacy.py [--messages 300000]     (about 5 s)

1. ``mask`` over typical group replies (acks with a phone and an ID, plain chat answers),
   against a floor measured in the same run: one pass of ``str.isdigit`` over the same texts.
2. A request sent in private by a resident of a database holding N stored messages: the whole
   handling (store, find their groups, file, queue the answers), against a floor of one plain
   indexed insert and lookup on the same database.
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.privacy import mask  # noqa: E402
from tests.harness import Bot  # noqa: E402
from tests.store_backends import sqlite_db  # noqa: E402

REPLIES = [
    "@张阿姨 已登记代办工单 E12（紧急·买药/就医）：胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234，"
    "地址 5栋301。工作人员会尽快联系您，发送「进度 E12」可查看进展。",
    "您的工单 E12 已由李书记接单，正在处理。",
    "【通知 N3】东城街道群发布：\n明早8点全员核酸，地点小区南门，咨询电话 0755-12345678\n——请群主回复「收到 N3」确认收到。",
    "已收到您的核实/举报 V3，工作人员会私下核实处理，内容不在群里公开。",
]


def bench_mask(rounds: int = 20_000) -> tuple[float, float]:
    """Microseconds per reply: mask, and the floor (one isdigit scan)."""
    texts = REPLIES * (rounds // len(REPLIES))
    start = time.perf_counter()
    for t in texts:
        mask(t)
    took = time.perf_counter() - start
    start = time.perf_counter()
    for t in texts:
        any(c.isdigit() for c in t)
    floor = time.perf_counter() - start
    return took / len(texts) * 1e6, floor / len(texts) * 1e6


def fill(db: Path, messages: int) -> None:
    """``messages`` group messages from 2,000 residents, written plainly."""
    con = sqlite3.connect(db)
    ts = "2026-11-22T01:00:00+00:00"
    con.executemany(
        """INSERT INTO messages (platform, chat_id, sender_id, sender_name, platform_message_id,
               kind, text, is_group, sent_at, received_at, handled_at)
           VALUES ('console', ?, ?, 'x', ?, 'text', '早', 1, ?, ?, ?)""",
        ((("幸福小区居民群", "阳光花园居民群")[i % 2], f"u{i % 2000}", f"m{i}", ts, ts, ts)
         for i in range(messages)),
    )
    con.commit()
    con.close()


async def bench_filing(messages: int, runs: int = 50) -> tuple[float, float]:
    """Milliseconds per private request, and the floor on the same database."""
    folder = Path(tempfile.mkdtemp())
    bot = await Bot.start(folder)
    await bot.close()
    fill(folder / "gridbot.db", messages)
    bot = await Bot.start(folder)
    try:
        start = time.perf_counter()
        for i in range(runs):
            replies = await bot.say("@", f"u{i}", f"代买 米{i}袋 3栋")
            assert "已为您在" in replies[0].text, replies[0].text
        took = (time.perf_counter() - start) / runs
        db = sqlite_db(bot.app.store)
        start = time.perf_counter()
        for i in range(runs):
            async with db.tx():
                await db.execute(
                    """INSERT INTO messages (platform, chat_id, sender_id, sender_name,
                           platform_message_id, text, is_group, sent_at, received_at)
                       VALUES ('console', ?, ?, 'x', ?, '早', 0, '', '')""",
                    (f"@f{i}", f"f{i}", f"floor{i}"))
            await db.fetchone("SELECT id FROM messages WHERE platform = 'console' AND chat_id = ?",
                              (f"@f{i}",))
        floor = (time.perf_counter() - start) / runs
    finally:
        await bot.close()
    return took * 1000, floor * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300_000)
    args = parser.parse_args()
    mask_us, mask_floor = bench_mask()
    print(f"mask: {mask_us:.1f} µs per group reply (floor, one digit scan: {mask_floor:.1f} µs)")
    filing_ms, filing_floor = asyncio.run(bench_filing(args.messages))
    print(f"private filing with {args.messages} stored messages: {filing_ms:.1f} ms per request "
          f"(floor, one insert + indexed lookup: {filing_floor:.2f} ms)")
    print(json.dumps({
        "mask_us": round(mask_us, 1), "mask_floor_us": round(mask_floor, 1),
        "mask_ratio": round(mask_us / mask_floor, 1), "messages": args.messages,
        "filing_ms": round(filing_ms, 2), "filing_floor_ms": round(filing_floor, 2),
        "filing_ratio": round(filing_ms / filing_floor, 1),
    }))


if __name__ == "__main__":
    main()
