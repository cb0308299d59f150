"""Roll-call benchmark: 400 groups, 70,000 households, a campaign in every group, 50,000 answers.

Run:  .venv/bin/python benchmarks/rollcall.py [--townships 19] [--villages 20] [--households 70000]
                                             [--answers 50000]

1. Builds a district of 1 + ``townships`` + ``townships * villages`` groups (400 by default)
   on a real SQLite file, imports the households into the villages (sizes vary, so one group
   is clearly the largest), links one in ten households to a member of the group.
2. Each township owner starts ``接龙 <镇>群：核酸检测 选项 已做 未做`` through the dispatcher,
   which posts it in the township and all its villages; the district owner one for the
   district group alone: every group has a campaign. The floor (4.) starts from a copy of
   the database as it is now.
3. ``answers`` answers in a burst through ``App.handle`` (stored, dispatched, counted, progress
   lines queued), in the loose forms residents use: ``3-2-501 已做``, ``C3 3-2-501 已做``,
   ``3号楼2单元501 做了 3人``, Traditional ``3號樓2單元501 已做``, ``3栋2单元501 没做`` and ``已做``
   alone from a linked member. The clock moves 30 ms per message, so progress lines go out.
4. The floor: the same messages through the same ``App`` pipeline with a router that does
   nothing, on the copy of the database: what storing and dispatching alone cost.
5. The missing list (address, head, phone of every household not answered) for the largest
   village and for a whole township, and ``接龙进度`` for the township through the dispatcher.

Checks the counts (every answer counted once, no hint to anyone) and prints one JSON line last:
``households, answers, answers_per_s, floor_per_s, ratio_to_floor, missing_list_ms, ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.address import normalise_address  # noqa: E402
from bot.app import App  # noqa: E402
from bot.backup import backup  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dispatcher import Ctx, Router  # noqa: E402
from bot.message import ChatRef, Incoming  # noqa: E402
from bot.store.households import HouseholdData  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402
from bot.store.sqlite.base import to_db  # noqa: E402
from handlers import ROUTERS  # noqa: E402
from schedules import JOBS  # noqa: E402
from tests.harness import FakeAdapter  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 22, 8, 0, tzinfo=TZ)
STEP = timedelta(milliseconds=30)


class Clock:
    """Moves ``STEP`` every time it is read during the burst."""

    def __init__(self) -> None:
        self.now, self.ticking = START, False

    def __call__(self) -> datetime:
        if self.ticking:
            self.now += STEP
        return self.now


def write_config(folder: Path, townships: int, villages: int) -> Path:
    lines = ['[bot]\nplatforms = ["console"]\ntimezone = "Asia/Shanghai"\ndatabase = "rollcall.db"\n',
             '[[groups]]\nkey = "d"\nname = "区指挥部群"\nlevel = "district"\nowners = ["区长"]\n']
    for t in range(townships):
        lines.append(f'[[groups]]\nkey = "t{t}"\nname = "第{t}镇群"\nlevel = "township"\n'
                     f'parent = "d"\nowners = ["镇长{t}"]\n')
        for v in range(villages):
            lines.append(f'[[groups]]\nkey = "t{t}v{v}"\nname = "第{t}镇第{v}村群"\nparent = "t{t}"\n'
                         f'owners = ["村书记{t}-{v}"]\n')
    path = folder / "bot.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def sizes(groups: int, households: int) -> list[int]:
    """Households per village: uneven (weights 1..7), summing to ``households``."""
    weights = [1 + (i * 5) % 7 for i in range(groups)]
    out = [households * w // sum(weights) for w in weights]
    out[weights.index(max(weights))] += households - sum(out)
    return out


def flat(k: int) -> tuple[int, int, int]:
    """The k-th flat of a village: building, unit, room (6 floors, 2 doors, 2 units)."""
    return k // 24 + 1, (k // 12) % 2 + 1, ((k % 12) // 2 + 1) * 100 + k % 2 + 1


def answer_text(i: int, b: int, u: int, r: int, code: str) -> tuple[str, bool]:
    """The i-th answer's text in one of the loose forms, and whether it needs a linked member."""
    form = i % 10
    if form < 4:
        return f"{b}-{u}-{r} 已做", False
    if form < 5:
        return f"{code} {b}-{u}-{r} 已做", False
    if form < 7:
        return f"{b}号楼{u}单元{r} 做了 {1 + i % 4}人", False
    if form < 8:
        return f"{b}號樓{u}單元{r} 已做", False
    if form < 9:
        return f"{b}栋{u}单元{r} 没做", False
    return "已做", True


async def setup(folder: Path, townships: int, villages: int, households: int,
                ) -> tuple[App, FakeAdapter, list[tuple[str, int]], Clock]:
    """The bot, its groups, households and members; returns the village keys with their sizes."""
    clock = Clock()
    app = await App.open(load_config(write_config(folder, townships, villages)), routers=ROUTERS,
                         jobs=JOBS, clock=clock)
    recorder = FakeAdapter(max_in_flight=64)  # accepts every send at once: measures the bot
    app.attach(recorder)
    keys = [f"t{t}v{v}" for t in range(townships) for v in range(villages)]
    counts = sizes(len(keys), households)
    rows = []
    for key, n in zip(keys, counts, strict=True):
        for k in range(n):
            b, u, r = flat(k)
            address = normalise_address(f"{b}-{u}-{r}")
            assert address is not None
            rows.append(HouseholdData(key, address.key, address.display, f"户主{k}", f"139{k:08d}"))
    await app.store.households.save_many(rows, START)
    assert isinstance(app.store, SqliteStore)
    async with app.store.tx():  # one in ten households has a member linked (the 已做-alone answers)
        await app.store.db.execute(
            """INSERT INTO members (platform, user_id, group_key, name, real_name, address_key,
                                    address, household_id, status, joined_at)
               SELECT 'console', 'h' || id, group_key, '住户' || id, '住户' || id, address_key,
                      address, id, 'approved', ? FROM households""", (to_db(START),))
    return app, recorder, list(zip(keys, counts, strict=True)), clock


async def start_campaigns(app: App, townships: int) -> dict[str, str]:
    """Every township owner starts one for their subtree, the district one for itself; group -> code."""
    said = [("区长", "接龙 区指挥部群：核酸检测 仅本群 选项 已做 未做")]
    said += [(f"镇长{t}", f"接龙 第{t}镇群：核酸检测 选项 已做 未做") for t in range(townships)]
    for i, (owner, text) in enumerate(said):
        await app.handle(Incoming(ChatRef.private("console", owner), owner, owner, text, f"s{i}",
                                  app.now(), is_group=False))
    codes = {}
    for c in await app.store.campaigns.recent(len(said) + 1):
        for key in c.group_keys:
            codes[key] = c.code
    return codes


def plan(villages: list[tuple[str, int]], answers: int) -> list[tuple[str, int]]:
    """(village, flat index) of each answer: round robin over the villages, one per household."""
    out: list[tuple[str, int]] = []
    k = 0
    while len(out) < answers:
        out += [(key, k) for key, n in villages if k < n][: answers - len(out)]
        k += 1
    return out


async def messages(app: App, planned: list[tuple[str, int]], codes: dict[str, str]) -> list[Incoming]:
    """The answers as messages; an 已做 alone comes from the household's linked member."""
    out: list[Incoming] = []
    for i, (key, k) in enumerate(planned):
        group = app.directory.group(key)
        assert group is not None
        b, u, r = flat(k)
        text, linked = answer_text(i, b, u, r, codes[key])
        sender = f"{key}:{k}"
        if linked:
            address = normalise_address(f"{b}-{u}-{r}")
            assert address is not None
            home = await app.store.households.find(key, address.key)
            assert home is not None
            sender = f"h{home.id}"
        out.append(Incoming(ChatRef("console", group.chat_id), sender, sender, text, f"a{i}", START))
    return out


async def burst(app: App, msgs: list[Incoming], clock: Clock) -> float:
    """Seconds to handle every message, one after another, as fast as they come."""
    clock.ticking = True
    t0 = time.perf_counter()
    for m in msgs:
        await app.handle(m)
    elapsed = time.perf_counter() - t0
    clock.ticking = False
    return elapsed


async def floor(folder: Path, townships: int, villages: int, msgs: list[Incoming]) -> float:
    """The same messages through the same pipeline with a router that does nothing, on a copy of
    the same database (households, members, campaigns) taken before the burst."""
    noop = Router("noop")

    @noop.fallback(where="group")
    async def nothing(ctx: Ctx) -> None:
        return None

    app = await App.open(load_config(write_config(folder, townships, villages)), routers=(noop,),
                         jobs=JOBS, clock=Clock())
    try:
        t0 = time.perf_counter()
        for m in msgs:
            await app.handle(m)
        return time.perf_counter() - t0
    finally:
        await app.close()


def timed(fn: Callable[[], Any]) -> Callable[[], Any]:
    async def run() -> tuple[Any, float]:
        t0 = time.perf_counter()
        result = await fn()
        return result, (time.perf_counter() - t0) * 1000
    return run


async def run(townships: int = 19, villages: int = 20, households: int = 70_000,
              answers: int = 50_000) -> dict[str, Any]:
    """Build, burst, measure; returns the figures (raises if an answer was lost or hinted)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bot").mkdir()
        (folder / "floor").mkdir()
        t0 = time.perf_counter()
        app, recorder, village_sizes, clock = await setup(folder / "bot", townships, villages, households)
        try:
            codes = await start_campaigns(app, townships)
            msgs = await messages(app, plan(village_sizes, answers), codes)
            # The floor starts from the very same rows: a copy of the database as it is now.
            await asyncio.to_thread(backup, folder / "bot" / "rollcall.db", folder / "floor" / "rollcall.db")
            setup_s = time.perf_counter() - t0
            sent_before = len(recorder.sent)
            seconds = await burst(app, msgs, clock)
            await app.outbox.drain("console")
            group_lines = [r for r in recorder.sent[sent_before:] if not r.chat.is_private]
            hints = [r for r in group_lines if r.mentions]
            answered = 0
            for code in set(codes.values()):
                c = await app.store.campaigns.get(int(code[1:]))
                assert c is not None
                answered += (await app.store.campaigns.tally(c.id, c.group_keys)).answered
            if answered != answers or hints:
                raise AssertionError(f"{answered} of {answers} answers counted, {len(hints)} hints: "
                                     f"{hints[:3]}")
            largest = max(village_sizes, key=lambda kv: kv[1])[0]
            code = codes[largest]
            c = await app.store.campaigns.get(int(code[1:]))
            assert c is not None
            one, group_ms = await timed(lambda: app.store.campaigns.missing(c.id, [largest]))()
            town, town_ms = await timed(lambda: app.store.campaigns.missing(c.id, c.group_keys))()
            owner = app.directory.group(c.origin_key)
            assert owner is not None
            progress = Incoming(ChatRef.private("console", owner.owners[0]), owner.owners[0],
                                owner.owners[0], f"接龙进度 {code}", "p1", START, is_group=False)
            [report], report_ms = await timed(lambda: app.handle(progress))()
            assert "未回复的住户" in report.text
        finally:
            await app.close()
        floor_s = await floor(folder / "floor", townships, villages, msgs)
    per_s = answers / seconds
    floor_per_s = answers / floor_s
    return {
        "groups": 1 + townships * (villages + 1), "households": households, "answers": answers,
        "answers_per_s": round(per_s), "floor_per_s": round(floor_per_s),
        "ratio_to_floor": round(per_s / floor_per_s, 2),
        "missing_list_ms": round(max(group_ms, town_ms), 1),
        "missing_largest_group": {"households": dict(village_sizes)[largest], "missing": len(one),
                                  "ms": round(group_ms, 1)},
        "missing_township": {"groups": len(c.group_keys), "missing": len(town), "ms": round(town_ms, 1)},
        "progress_command_ms": round(report_ms, 1),
        "progress_lines": len(group_lines), "setup_s": round(setup_s, 1), "burst_s": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--townships", type=int, default=19)
    parser.add_argument("--villages", type=int, default=20, help="villages per township")
    parser.add_argument("--households", type=int, default=70_000)
    parser.add_argument("--answers", type=int, default=50_000)
    args = parser.parse_args()
    r = asyncio.run(run(args.townships, args.villages, args.households, args.answers))
    print(f"{r['groups']} groups, {r['households']} households, {r['answers']} answers in "
          f"{r['burst_s']} s: {r['answers_per_s']}/s (floor, same messages through a no-op router: "
          f"{r['floor_per_s']}/s, ratio {r['ratio_to_floor']}); {r['progress_lines']} progress lines")
    print(f"missing list: largest group {r['missing_largest_group']['ms']} ms "
          f"({r['missing_largest_group']['missing']} households), township "
          f"{r['missing_township']['ms']} ms ({r['missing_township']['missing']} households); "
          f"接龙进度 {r['progress_command_ms']} ms")
    print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
