"""Crash benchmark: a burst of requests while ``gridbot run`` is killed with SIGKILL, counted.

Run:  PYTHONPATH=$PWD .venv/bin/python benchmarks/crash.py              (Telegram, ~3 min)
      PYTHONPATH=$PWD .venv/bin/python benchmarks/crash.py --platform wechat --messages 400

2,000 residents each post one ``代买`` request into village groups (10 per group) through
the local Bot API server (tests/peers/telegram_api.py) or the npm Wechaty gateway; the bot
is ``gridbot run`` as a real process on one SQLite file, killed with SIGKILL at points
spread over the burst and started again each time. Every request must end up stored and
handled exactly once (one ticket each); the platform's own record of the bot's sends gives
the duplicates. The floor is the time the platform's rate limit alone needs for every reply
(Telegram: 30 messages/s overall). The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.peers.crash_run import CrashResult, telegram_burst, wechat_burst  # noqa: E402

TELEGRAM_RATE = 30.0


async def run(platform: str, messages: int, kills: int, rate: float, keep: bool) -> CrashResult:
    folder = Path(tempfile.mkdtemp(prefix="gridbot-crash-"))
    burst = telegram_burst if platform == "telegram" else wechat_burst
    result = await burst(folder, messages, kills, rate=rate,
                         progress=lambda line: print("  " + line, flush=True))
    if keep:
        print(f"  database and logs kept in {folder}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--platform", choices=("telegram", "wechat"), default="telegram")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--rate", type=float, default=15.0, help="requests posted per second")
    parser.add_argument("--keep", action="store_true", help="print where the database is")
    args = parser.parse_args()
    print(f"crash benchmark: {args.messages} requests on {args.platform}, {args.kills} SIGKILLs")
    result = asyncio.run(run(args.platform, args.messages, args.kills, args.rate, args.keep))
    figures = result.figures()
    floor = result.sends / TELEGRAM_RATE if args.platform == "telegram" else result.messages / args.rate
    figures["floor_seconds"] = round(floor, 1)
    print(f"requests delivered       {result.messages}")
    print(f"SIGKILLs                 {result.kills} at {result.kill_at} s")
    print(f"lost / handled twice     {result.lost} / {result.handled_twice}")
    print(f"integrity_check          {result.integrity}")
    print(f"sends accepted           {result.sends} to {result.chats} chats")
    print(f"duplicate sends          {result.duplicates} ({figures['duplicate_rate']:.3%}), "
          f"in {result.duplicate_chats} chats, at most {result.max_duplicates_one_kill} per kill "
          f"(bound {result.per_kill} per kill)")
    print(f"run time                 {result.seconds:.1f} s (floor {floor:.1f} s)")
    print(json.dumps({"benchmark": "crash", **figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
