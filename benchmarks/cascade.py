"""Cascade benchmark: notices from a district to 520 groups on two simulated platforms.

Run:  .venv/bin/python benchmarks/cascade.py        (about 2.5 minutes: a clean run, then a kill -9 run)

One district, 20 townships and 500 village groups; 10 villages are on WeChat (paced at the
shipped default of one send per second per account), everything else on Telegram behind
python-telegram-bot's own AIORateLimiter as the bot's Telegram adapter sets it up (30 messages/s
overall, 20/min per group, 3 retries on a 429). Township 1 is posting a flurry of 36 updates
to its 26 groups when the district's two notices go out to all 521: each of those groups gets
38 notices, and once a group's bucket of 20 is spent (after about 30 s) its 20-per-minute limit
holds each send 3 s, keeping one of the outbox's 32 Telegram slots, while the district's notices
go on around them.

The simulated platforms answer after 50–300 ms (half on the way there, half back; drawn at
random per send) and refuse one Telegram send in 200 with "429 Too Many Requests, retry after
1 s". They append every send they accept, and every 429, to a log file: the ground truth for
"lost" and "duplicates". The floor is computed from the same log: what the platforms allow for
the sends they accepted, the limiters' initial bursts included (Telegram: (sends - 30) / 30 s
overall; (sends to a group - 20) x 3 s per group; one send at a time per chat, so the sum of its
latencies; WeChat: (sends - 1) x 1 s). The 1 s pauses the 429s ask for are left out of the
floor, so their cost shows in the ratio. Times run from the moment the bot publishes.
The second run kills the bot with SIGKILL once half the sends are in, restarts it on the same
database, and counts again: a send the platform accepted whose answer had not come back
before the kill goes out twice (the exactly-once window). The restarted bot's limiter starts
with full buckets, but Telegram remembers each group's recent sends: the simulated platform
keeps the same 20-per-minute bucket per group, rebuilt from its log, and answers 429 (retry
after the seconds until room) to what exceeds it. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram.error import RetryAfter  # noqa: E402
from telegram.ext import AIORateLimiter  # noqa: E402

from bot import notices  # noqa: E402
from bot.adapter import SendError  # noqa: E402
from bot.adapters.telegram import TelegramAdapter  # noqa: E402
from bot.adapters.wechat import WechatAdapter  # noqa: E402
from bot.commands import open_app  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.message import Reply  # noqa: E402
from bot.pacing import Pacer  # noqa: E402

TOWNSHIPS, VILLAGES, WECHAT_VILLAGES = 20, 500, 10
#: Township 1's notices after the district's: its villages are v1, v21, ... (v1 on WeChat).
BURST_TOWNSHIP, BURST_NOTICES = "t1", 36
#: Then the district's, each to all 521 groups.
DISTRICT_NOTICES = 2
TELEGRAM_RATE, TELEGRAM_BURST = 30.0, 30  # AIORateLimiter: 30 per second, a full bucket first
GROUP_RATE, GROUP_BURST = 20 / 60, 20  # and 20 per minute in a group
WECHAT_INTERVAL = 1.0
LATENCY = (0.05, 0.3)
TOO_MANY, RETRY_AFTER = 1 / 200, 1
#: The Telegram adapter's default (``TelegramAdapter(max_retries=3)``).
RETRIES = 3
CODE = re.compile(r"【通知 (N\d+)】")
#: A line of the platforms' log: time, platform, chat, notice, ok|429|start, latency.
Row = tuple[float, str, str, str, str, float]


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
        lines.append(f'[[groups]]\nkey = "v{v}"\nname = "村{v}"\nplatform = "{_platform(v)}"\n'
                     f'chat_id = "{_village_chat(v)}"\nlevel = "village"\nparent = "t{v % TOWNSHIPS}"\n')
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _platform(village: int) -> str:
    return "wechat" if village < WECHAT_VILLAGES else "telegram"


def _village_chat(village: int) -> str:
    return f"room{village}@chatroom" if village < WECHAT_VILLAGES else f"-20{village}"


def expected(burst: int) -> Counter[tuple[str, str]]:
    """Every (chat, notice) the run must deliver once: the township's N1… to its groups, then
    the district's to every group."""
    township = int(BURST_TOWNSHIP[1:])
    everyone = ["-1", *(f"-10{t}" for t in range(TOWNSHIPS)), *(_village_chat(v) for v in range(VILLAGES))]
    below = [f"-10{township}", *(_village_chat(v) for v in range(VILLAGES) if v % TOWNSHIPS == township)]
    return Counter([(chat, f"N{1 + i}") for i in range(burst) for chat in below]
                   + [(chat, f"N{1 + burst + i}") for i in range(DISTRICT_NOTICES) for chat in everyone])


class GroupLimits:
    """Telegram's own count of each group's sends, which a restarted bot's fresh limiter does not
    know: a bucket per group like PTB's (20, draining one per 3 s), charged when a send left the
    bot (network jitter is not the bot's doing), rebuilt from the log when the bot restarts."""

    def __init__(self, rows: list[Row]):
        self.level: dict[str, tuple[float, float]] = {}
        for r in sorted((r for r in rows if r[1] == "telegram" and r[4] == "ok"), key=lambda r: r[0] - r[5] / 2):
            self.refuse(r[2], r[0] - r[5] / 2)

    def refuse(self, chat: str, left: float) -> int:
        """0 if the group takes a send that left at ``left`` (counted), else seconds to wait."""
        level, last = self.level.get(chat, (0.0, left))
        level = max(0.0, level - max(0.0, left - last) * GROUP_RATE)
        if level + 1 > GROUP_BURST + 1e-6:
            self.level[chat] = (level, max(last, left))
            return max(1, math.ceil((level + 1 - GROUP_BURST) / GROUP_RATE))
        self.level[chat] = (level + 1, max(last, left))
        return 0


class SimPlatform:
    """An adapter whose 'platform' answers after a latency, accepting by appending to a log."""

    self_draining = False
    redelivers = False

    def __init__(self, platform: str, log: Path, limits: GroupLimits | None = None):
        self.platform = platform
        self.limits = limits
        telegram = platform == "telegram"
        self.max_in_flight = (TelegramAdapter if telegram else WechatAdapter).max_in_flight
        self.fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self.rng = random.Random(f"{platform}:{os.getpid()}")
        self.limiter = AIORateLimiter(max_retries=RETRIES) if telegram else None
        self.pacer = None if telegram else Pacer(WECHAT_INTERVAL)

    def _log(self, reply: Reply, status: str, latency: float) -> None:
        found = CODE.search(reply.text)
        os.write(self.fd, f"{time.time():.4f}\t{self.platform}\t{reply.chat.chat_id}\t"
                          f"{found.group(1) if found else '-'}\t{status}\t{latency:.4f}\n".encode())

    async def _platform(self, reply: Reply) -> str:
        latency, left = self.rng.uniform(*LATENCY), time.time()
        await asyncio.sleep(latency / 2)  # the request on its way
        wait = self.limits.refuse(reply.chat.chat_id, left) if self.limits is not None else 0
        if wait or (self.limiter is not None and self.rng.random() < TOO_MANY):
            self._log(reply, "429", latency)
            await asyncio.sleep(latency / 2)
            raise RetryAfter(wait or RETRY_AFTER)
        self._log(reply, "ok", latency)
        await asyncio.sleep(latency / 2)  # the answer on its way back: a kill here sends it twice
        return "ok"

    async def send(self, reply: Reply) -> str | None:
        try:
            if self.limiter is not None:
                data = {"chat_id": int(reply.chat.chat_id), "text": reply.text}
                sent = await self.limiter.process_request(
                    self._platform, (reply,), {}, "sendMessage", data, None)  # type: ignore[arg-type]
                return str(sent)
            assert self.pacer is not None
            async with self.pacer.slot():
                return await self._platform(reply)
        except RetryAfter as exc:  # PTB's retries spent: what the Telegram adapter tells the outbox
            after = exc.retry_after
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            raise SendError(f"flood control: {exc.message}", retry_after=seconds) from exc

    async def run(self, dispatch: object) -> None:
        await asyncio.Event().wait()

    async def close(self) -> None:
        os.close(self.fd)


async def child(config_path: Path, log: Path, burst: int | None) -> None:
    """The bot process: publish (first start), send until nothing is pending, exit."""
    config = load_config(config_path)
    app = await open_app(config)
    sims = [SimPlatform("telegram", log, GroupLimits(read_log(log))), SimPlatform("wechat", log)]
    for sim in sims:
        if sim.limiter is not None:
            await sim.limiter.initialize()
        app.attach(sim)
    if burst is not None:
        with log.open("a") as f:
            f.write(f"{time.time():.4f}\tpublish\t-\t-\tstart\t0\n")
        origin, township = app.directory.group("d"), app.directory.group(BURST_TOWNSHIP)
        assert origin is not None and township is not None
        for i in range(burst):  # the township's flurry is queued first: its groups hit 20/min
            await notices.publish(app.services, township, f"第{i + 1}批物资到达，请按楼栋领取",
                                  ("telegram", "9", township.name), app.now())
        for i in range(DISTRICT_NOTICES):
            await notices.publish(app.services, origin, f"明天{8 + i}点起各小区分楼栋错峰领菜",
                                  ("telegram", "1", "区指挥部"), app.now())
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


def read_log(log: Path) -> list[Row]:
    """(time, platform, chat, notice, ok|429|start, latency) per line of the log."""
    if not log.exists():
        return []
    rows = []
    for line in log.read_text().splitlines():
        ts, platform, chat, code, status, latency = line.split("\t")
        rows.append((float(ts), platform, chat, code, status, float(latency)))
    return rows


def floor(rows: list[Row]) -> float:
    """The least time the platforms allow for the sends they accepted (what refusals cost, the
    tokens and pauses of the bot's limiter, shows in the ratio)."""
    sends = [r for r in rows if r[4] == "ok"]
    telegram = [r for r in sends if r[1] == "telegram"]
    per_group = Counter(r[2] for r in telegram)
    chats: dict[str, list[float]] = {}
    for r in sends:
        chats.setdefault(r[2], []).append(r[5])
    wechat = sum(r[1] == "wechat" for r in sends)
    arrive = LATENCY[0] / 2  # the last send still has to reach the platform
    return max(
        max(0, len(telegram) - TELEGRAM_BURST) / TELEGRAM_RATE + arrive,
        max((max(0, n - GROUP_BURST) / GROUP_RATE for n in per_group.values()), default=0.0) + arrive,
        # One send at a time per chat: every answer awaited but the last one's.
        max((sum(lat) - max(lat) / 2 for lat in chats.values()), default=0.0),
        max(0, wechat - 1) * WECHAT_INTERVAL + arrive,
    )


def run_case(folder: Path, kill_at: float | None, burst: int) -> dict[str, object]:
    """One run of the child bot (killed and restarted if ``kill_at``), counted from its log."""
    config = write_config(folder)
    log = folder / "delivered.log"
    want = expected(burst)
    cmd = [sys.executable, __file__, "--child", "--config", str(config), "--log", str(log)]
    proc = subprocess.Popen([*cmd, "--publish", str(burst)])
    killed = False
    if kill_at is not None:
        while proc.poll() is None and sum(r[4] == "ok" for r in read_log(log)) < want.total() * kill_at:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = True
        proc = subprocess.Popen(cmd)
    proc.wait()
    rows = read_log(log)
    started = min(r[0] for r in rows if r[4] == "start")
    got = Counter((r[2], r[3]) for r in rows if r[4] == "ok")
    seconds = max((r[0] for r in rows if r[4] == "ok"), default=float("nan")) - started
    least = floor(rows)
    return {
        "case": "kill -9 at half, restart" if killed else "clean",
        "groups": len({chat for chat, _ in want}),
        "sends": want.total(),
        "seconds": round(seconds, 2),
        "floor_seconds": round(least, 2),
        "ratio_to_floor": round(seconds / least, 3),
        "lost": sum(1 for key in want if key not in got),
        "duplicates": sum(n - 1 for n in got.values()),
        "refused_429": sum(r[4] == "429" for r in rows),
        # Largest resident set of any bot process so far (Linux reports kilobytes).
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--publish", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--burst", type=int, default=BURST_NOTICES,
                        help=f"notices township {BURST_TOWNSHIP} adds (default {BURST_NOTICES})")
    parser.add_argument("--skip-kill", action="store_true", help="only the clean run")
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args.config, args.log, args.publish))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case, kill_at in (("clean", None), ("kill", 0.5))[:1 if args.skip_kill else 2]:
            (Path(tmp) / case).mkdir()
            results.append(run_case(Path(tmp) / case, kill_at, args.burst))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    clean = results[0]
    summary = {k: clean[k] for k in ("groups", "sends", "seconds", "floor_seconds", "ratio_to_floor")}
    summary["lost"] = sum(int(r["lost"]) for r in results)  # type: ignore[call-overload]
    summary["duplicates"] = int(clean["duplicates"])  # type: ignore[call-overload]
    if len(results) > 1:
        summary["kill_ratio_to_floor"] = results[1]["ratio_to_floor"]
        summary["kill_duplicates"] = results[1]["duplicates"]
    summary["refused_429"] = sum(int(r["refused_429"]) for r in results)  # type: ignore[call-overload]
    summary["peak_rss_mb"] = max(float(r["peak_rss_mb"]) for r in results)  # type: ignore[arg-type]
    summary["runs"] = [r["case"] for r in results]
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
