"""Cascade benchmark: one notice from a district to 520 groups on two simulated platforms.

Run:  .venv/bin/python benchmarks/cascade.py        (about 40 s: a clean run, then a kill -9 run)

One district, 20 townships and 500 village groups; 10 villages are on WeChat (paced at the
shipped default of one send per second per account), everything else on Telegram behind
python-telegram-bot's own AIORateLimiter (30 messages/s overall, 20/min per group). The
simulated platforms append every message they accept to a log file, which is the ground truth
for "lost" and "duplicates". The floor is the slowest platform's minimum: Telegram's group
count / 30 or WeChat's (count - 1) x interval. The second run kills the bot with SIGKILL once
half the groups have the notice, restarts it on the same database, and counts again.
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram.ext import AIORateLimiter  # noqa: E402

from bot import notices  # noqa: E402
from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import Reply  # noqa: E402
from bot.pacing import Pacer  # noqa: E402

TOWNSHIPS, VILLAGES, WECHAT_VILLAGES = 20, 500, 10
TELEGRAM_RATE = 30.0
WECHAT_INTERVAL = 1.0


def write_config(folder: Path) -> Path:
    """A district config with the benchmark's hierarchy."""
    lines = ['[bot]\nplatforms = ["telegram", "wechat"]\ndatabase = "cascade.db"\n',
             '[staff]\ntelegram = ["1"]\n',
             '[[groups]]\nkey = "d"\nname = "区指挥部"\nplatform = "telegram"\nchat_id = "-1"\n'
             'level = "district"\nowners = ["1"]\n']
    for t in range(TOWNSHIPS):
        lines.append(f'[[groups]]\nkey = "t{t}"\nname = "街道{t}"\nplatform = "telegram"\n'
                     f'chat_id = "-10{t}"\nlevel = "township"\nparent = "d"\n')
    for v in range(VILLAGES):
        wechat = v < WECHAT_VILLAGES
        lines.append(
            f'[[groups]]\nkey = "v{v}"\nname = "村{v}"\nplatform = "{"wechat" if wechat else "telegram"}"\n'
            f'chat_id = "{f"room{v}@chatroom" if wechat else f"-20{v}"}"\nlevel = "village"\n'
            f'parent = "t{v % TOWNSHIPS}"\n')
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class SimPlatform:
    """An adapter whose 'platform' accepts a message by appending it to a log file."""

    self_draining = False

    def __init__(self, platform: str, log: Path, max_in_flight: int):
        self.platform = platform
        self.max_in_flight = max_in_flight
        self.fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self.limiter = AIORateLimiter() if platform == "telegram" else None
        self.pacer = Pacer(WECHAT_INTERVAL) if platform == "wechat" else None

    async def _accept(self, reply: Reply) -> str:
        await asyncio.sleep(0.005)  # a loopback round trip
        os.write(self.fd, f"{time.time():.4f}\t{self.platform}\t{reply.chat.chat_id}\n".encode())
        return "ok"

    async def send(self, reply: Reply) -> str | None:
        if self.limiter is not None:
            data = {"chat_id": int(reply.chat.chat_id), "text": reply.text}
            sent = await self.limiter.process_request(
                self._accept, (reply,), {}, "sendMessage", data, None)  # type: ignore[arg-type]
            return str(sent)
        assert self.pacer is not None
        async with self.pacer.slot():
            return await self._accept(reply)

    async def run(self, dispatch: object) -> None:
        await asyncio.Event().wait()

    async def close(self) -> None:
        os.close(self.fd)


async def child(config_path: Path, log: Path, publish: bool) -> None:
    """The bot process: publish (first start), send until nothing is pending, exit."""
    config = load_config(config_path)
    app = await open_app(config)
    sims = [SimPlatform("telegram", log, 64), SimPlatform("wechat", log, 1)]
    for sim in sims:
        if sim.limiter is not None:
            await sim.limiter.initialize()
        app.attach(sim)
    if publish:
        origin = app.directory.group("d")
        assert origin is not None
        await notices.publish(app.services, origin, "明天8点起各小区分楼栋错峰领菜", ("telegram", "1", "区指挥部"),
                              app.now())
    workers = [asyncio.create_task(app.outbox.run(s.platform)) for s in sims]
    try:
        # A benchmark's end check, not a test: polling the database is what an operator would do.
        while await app.store.outbox.pending("telegram") or await app.store.outbox.pending("wechat"):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await app.close()


def count(log: Path) -> list[tuple[float, str]]:
    if not log.exists():
        return []
    rows = []
    for line in log.read_text().splitlines():
        ts, _, chat = line.split("\t")
        rows.append((float(ts), chat))
    return rows


def run_case(folder: Path, kill_at: float | None) -> dict[str, object]:
    config = write_config(folder)
    log = folder / "delivered.log"
    groups = 1 + TOWNSHIPS + VILLAGES
    cmd = [sys.executable, __file__, "--child", "--config", str(config), "--log", str(log)]
    started = time.time()
    proc = subprocess.Popen([*cmd, "--publish"])
    killed = False
    if kill_at is not None:
        while proc.poll() is None and len(count(log)) < groups * kill_at:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = True
        proc = subprocess.Popen(cmd)
    proc.wait()
    rows = count(log)
    per_chat = Counter(chat for _, chat in rows)
    tg = groups - WECHAT_VILLAGES
    floor = max(tg / TELEGRAM_RATE, (WECHAT_VILLAGES - 1) * WECHAT_INTERVAL)
    seconds = (max(ts for ts, _ in rows) - started) if rows else float("nan")
    return {
        "case": "kill -9 at half, restart" if killed else "clean",
        "groups": groups,
        "seconds": round(seconds, 2),
        "floor_seconds": round(floor, 2),
        "ratio_to_floor": round(seconds / floor, 3),
        "lost": groups - len(per_chat),
        "duplicates": sum(n - 1 for n in per_chat.values()),
        # Largest resident set of any bot process so far (Linux reports kilobytes).
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--skip-kill", action="store_true", help="only the clean run")
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args.config, args.log, args.publish))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean"
        clean.mkdir()
        results.append(run_case(clean, None))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        if not args.skip_kill:
            killed = Path(tmp) / "kill"
            killed.mkdir()
            results.append(run_case(killed, 0.5))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    worst = max(results, key=lambda r: float(r["ratio_to_floor"]))  # type: ignore[arg-type]
    summary = {k: worst[k] for k in ("groups", "seconds", "floor_seconds", "ratio_to_floor")}
    summary["lost"] = sum(int(r["lost"]) for r in results)  # type: ignore[call-overload]
    summary["duplicates"] = sum(int(r["duplicates"]) for r in results)  # type: ignore[call-overload]
    summary["peak_rss_mb"] = max(float(r["peak_rss_mb"]) for r in results)  # type: ignore[arg-type]
    summary["runs"] = [r["case"] for r in results]
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
