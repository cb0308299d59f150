"""Crash runs: a burst of requests through a real peer while ``gridbot run`` is killed with SIGKILL.

Shared by ``tests/peers/test_crash_harness.py`` (a small burst) and ``benchmarks/crash.py``
(the full 2,000). Residents post ``代买`` requests into village groups; ``gridbot run`` is a
real subprocess on one SQLite file; at points spread over the burst it is killed with
SIGKILL and started again at once. At the end the store and the platform's own record are
compared:

- lost: a request the platform delivered that has no stored, handled message and ticket;
- handled twice: a stored message that made more than one ticket;
- duplicate sends: a (chat, text) the platform received more than once (every reply names
  its ticket, so no two distinct replies share a text).

A send can repeat only when a kill falls between the platform's answer and the commit that
marks the row sent. The outbox has at most one send under way per chat and at most the
adapter's ``max_in_flight`` in all, so one kill can repeat at most ``min(chats, max_in_flight)``
sends (Telegram 32, WeChat 1).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.telegram import TelegramAdapter
from tests.peers.telegram_client import Group, Person, TelegramApi

ROOT = Path(__file__).resolve().parents[2]
OWNER = Person(7001, "李书记")
#: A group gets at most this many requests, so its replies stay inside Telegram's 20/min.
PER_GROUP = 10


@dataclass
class CrashResult:
    """What one crash run measured."""

    platform: str
    messages: int  # requests the platform delivered to the bot
    kills: int
    chats: int  # chats the bot sent to
    sends: int  # sends the platform accepted
    duplicates: int  # sends beyond the first of an identical (chat, text)
    duplicate_chats: int  # chats that saw a duplicate
    max_duplicates_one_kill: int  # the most duplicates any one kill caused
    lost: int
    handled_twice: int
    integrity: str
    seconds: float
    in_flight: int  # the adapter's max_in_flight: sends under way at once, one per chat
    kill_at: list[float] = field(default_factory=list)  # seconds into the run

    @property
    def per_kill(self) -> int:
        """The most sends one kill can repeat: one per chat with a send under way."""
        return min(self.chats, self.in_flight)

    @property
    def bound(self) -> int:
        """The most duplicates the design allows in this run."""
        return self.kills * self.per_kill

    def figures(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {**asdict(self), "per_kill_bound": self.per_kill, "bound": self.bound,
                "duplicate_rate": round(self.duplicates / self.sends, 5) if self.sends else 0.0}


class BotProcess:
    """``gridbot run`` as an operator starts it, killed and restarted on demand."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder = folder
        self.env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        """Start a new process on the same config and database; its log goes to run-N.log."""
        self.starts += 1
        log = open(self.folder / f"run-{self.starts}.log", "wb")  # noqa: ASYNC230, SIM115
        with log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(self.folder / "bot.toml"),
                "--db", str(self.folder / "gridbot.db"), cwd=self.folder, env=self.env,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log)

    async def kill(self) -> None:
        """SIGKILL: nothing is flushed, confirmed or closed."""
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self) -> int:
        """A clean stop (Ctrl-C); returns the exit code."""
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return proc.returncode if proc and proc.returncode is not None else 0
        proc.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            return await proc.wait()

    def logs(self) -> str:
        """Every run's log, for failure messages."""
        return "\n".join((self.folder / f"run-{i}.log").read_text(errors="replace")
                         for i in range(1, self.starts + 1))


def request_text(i: int) -> str:
    """The i-th resident's request; the marker makes every ticket (and reply) distinct."""
    return f"代买 挂面第{i}份 {i % 30 + 1}栋"


#: What identifies a request inside a ticket's text.
MARKER = re.compile(r"挂面第(\d+)份")


def check_store(db: Path, delivered: list[int]) -> tuple[int, int, str]:
    """(lost, handled twice, integrity_check) from the database after the run."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        handled = Counter(row[0] for row in conn.execute(
            "SELECT text FROM messages WHERE handled_at IS NOT NULL"))
        per_message = Counter(row[0] for row in conn.execute(
            "SELECT message_id FROM tickets WHERE message_id IS NOT NULL"))
        per_request = Counter(int(m.group(1)) for (text,) in conn.execute("SELECT text FROM tickets")
                              if (m := MARKER.search(text)))
    lost = sum(1 for i in delivered if not handled[request_text(i)] or not per_request[i])
    twice = sum(n - 1 for n in [*per_message.values(), *per_request.values()] if n > 1)
    return lost, twice, integrity


def count_duplicates(sends: list[tuple[str, str, float]], kill_times: list[float]) -> tuple[int, int, int]:
    """(duplicates, chats with one, the most any one kill caused) from (chat, text, at) sends."""
    seen: dict[tuple[str, str], float] = {}
    per_kill: Counter[int] = Counter()
    chats: set[str] = set()
    duplicates = 0
    for chat, text, at in sends:
        if (chat, text) in seen:
            duplicates += 1
            chats.add(chat)
            # The kill that caused it is the last one before the repeat.
            per_kill[sum(1 for k in kill_times if k <= at)] += 1
        else:
            seen[(chat, text)] = at
    return duplicates, len(chats), max(per_kill.values(), default=0)


def telegram_config(folder: Path, base_url: str, groups: list[Group]) -> None:
    """bot.toml for the burst: one village group per ``PER_GROUP`` requests, one owner."""
    lines = ['[bot]\nplatforms = ["telegram"]\ntimezone = "Asia/Shanghai"\n',
             f'[telegram]\nbase_url = "{base_url}"\npoll_timeout = 5\n']
    for n, group in enumerate(groups):
        lines.append(f'[[groups]]\nkey = "g{n}"\nname = "{group.title}"\nplatform = "telegram"\n'
                     f'chat_id = "{group.id}"\nowners = ["{OWNER.id}"]\n')
    (folder / "bot.toml").write_text("\n".join(lines), encoding="utf-8")


async def telegram_burst(folder: Path, messages: int, kills: int, *, rate: float = 15.0,
                         progress: Callable[[str], None] = lambda _: None) -> CrashResult:
    """``messages`` requests at ``rate`` per second through the Telegram peer, ``kills`` SIGKILLs."""
    groups = [Group(-1005000000 - n, f"第{n}网格居民群") for n in range(-(-messages // PER_GROUP))]
    async with TelegramApi() as api:
        for group in groups:
            await api.add_group(group)
        await api.open_private(OWNER)
        telegram_config(folder, api.base_url, groups)
        bot = BotProcess(folder, {"GRIDBOT_TELEGRAM_TOKEN": api.token})

        async def post(i: int) -> bool:
            person = Person(200000 + i, f"居民{i}")
            await api.say(person, request_text(i), groups[i // PER_GROUP])
            return True

        def sends() -> list[tuple[str, str, float]]:
            return [(str(s.chat_id), s.text, s.at) for s in api.sends()]

        async def sending_since(mark: int) -> bool:
            await api.fetch(wait=0.2)
            return any(e["method"] == "sendMessage" for e in api.log[mark:])

        return await _burst("telegram", folder, bot, messages, kills, rate,
                            TelegramAdapter.max_in_flight, post, sends,
                            sending_since, api.mark, progress)


async def wechat_burst(folder: Path, messages: int, kills: int, *, rate: float = 15.0,
                       progress: Callable[[str], None] = lambda _: None) -> CrashResult:
    """The same burst through the npm Wechaty gateway (tests/peers/wechat/gateway.mjs).

    The gateway keeps no events for a client that is not connected (as the real service),
    so requests are posted only while the bot's event stream is open; one that reached a
    stream the kill then cut off is lost on the platform's side and counted as lost.
    """
    from bot.adapters.wechat import WechatAdapter
    from tests.peers.wechat_gateway import WechatGateway

    async with WechatGateway.running_gateway() as gw:
        bot_id = await gw.create_bot("网格助手")
        owner = await gw.create_contact("李书记")
        rooms: list[str] = []
        residents: list[str] = []
        for n in range(-(-messages // PER_GROUP)):
            people = [await gw.create_contact(f"居民{i}")
                      for i in range(n * PER_GROUP, min(messages, (n + 1) * PER_GROUP))]
            residents += people
            rooms.append(await gw.create_room(f"第{n}网格居民群", [bot_id, owner, *people],
                                              owner_id=owner))
        lines = ['[bot]\nplatforms = ["wechat"]\ntimezone = "Asia/Shanghai"\n',
                 "[wechat]\nsend_interval = 0.01\n"]
        lines += [f'[[groups]]\nkey = "g{n}"\nname = "第{n}网格居民群"\nplatform = "wechat"\n'
                  f'chat_id = "{room}"\nowners = ["{owner}"]\n' for n, room in enumerate(rooms)]
        (folder / "bot.toml").write_text("\n".join(lines), encoding="utf-8")
        bot = BotProcess(folder, {"WECHATY_PUPPET_SERVICE_ENDPOINT": gw.endpoint,
                                  "WECHATY_PUPPET_SERVICE_TOKEN": gw.token})

        async def post(i: int) -> bool:
            await gw.wait_client(timeout=60)
            reply = await gw.command("say", contactId=residents[i], text=request_text(i),
                                     roomId=rooms[i // PER_GROUP])
            return bool(reply.get("delivered"))

        def sends() -> list[tuple[str, str, float]]:
            return [(s.conversation_id, s.text or "", float(s.raw["at"])) for s in gw.sent]

        async def sending_since(mark: int) -> bool:
            await asyncio.sleep(0.05)
            return len(gw.sent) > mark

        async def mark() -> int:
            return len(gw.sent)

        return await _burst("wechat", folder, bot, messages, kills, rate,
                            WechatAdapter.max_in_flight, post, sends,
                            sending_since, mark, progress)


async def _burst(
    platform: str, folder: Path, bot: BotProcess, messages: int, kills: int, rate: float,
    in_flight: int, post: Callable[[int], Awaitable[bool]], sends: Callable[[], list[tuple[str, str, float]]],
    working_since: Callable[[int], Awaitable[bool]], mark: Callable[[], Awaitable[int]],
    progress: Callable[[str], None],
) -> CrashResult:
    """Post at ``rate``; kill at evenly spread points once the bot is working; finish cleanly."""
    t0 = time.monotonic()
    wall0 = time.time()
    kill_at = [messages * (k + 1) / (kills + 1) for k in range(kills)]
    kill_times: list[float] = []
    delivered: list[int] = []
    await bot.start()
    started_mark = await mark()
    try:
        for i in range(messages):
            # Paced: the burst outlasts the restarts, so kills land in intake and in sending.
            await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
            if await post(i):
                delivered.append(i)
            if len(kill_times) < kills and i + 1 >= kill_at[len(kill_times)]:
                # Into the work, not into start-up: once the new process sends again.
                patience = time.monotonic() + 30
                while not await working_since(started_mark) and time.monotonic() < patience:  # noqa: ASYNC110 - the peer record has no event here
                    await asyncio.sleep(0.05)
                await bot.kill()
                kill_times.append(time.time() - wall0)
                progress(f"kill {len(kill_times)} after {i + 1} requests, {len(sends())} sends")
                await bot.start()
                started_mark = await mark()
        await _replies_done(2 * len(delivered), sends, mark)  # the group's and the owner's
        progress(f"{len(sends())} sends seen; stopping cleanly")
    finally:
        code = await bot.stop()
    if code not in (0, 130, -signal.SIGINT):
        raise RuntimeError(f"gridbot run exited {code}:\n{bot.logs()[-3000:]}")
    sent = [(c, t, at - wall0) for c, t, at in sends()]
    duplicates, dup_chats, worst = count_duplicates(sent, kill_times)
    lost, twice, integrity = check_store(folder / "gridbot.db", delivered)
    return CrashResult(
        platform=platform, messages=len(delivered), kills=len(kill_times),
        chats=len({c for c, _, _ in sent}), sends=len(sent), duplicates=duplicates,
        duplicate_chats=dup_chats, max_duplicates_one_kill=worst, lost=lost, handled_twice=twice,
        integrity=integrity, seconds=round(time.monotonic() - t0, 1), in_flight=in_flight,
        kill_at=[round(k, 2) for k in kill_times])


async def _replies_done(expected: int, sends: Callable[[], list[tuple[str, str, float]]],
                        mark: Callable[[], Awaitable[int]], quiet: float = 15.0) -> None:
    """Until every expected reply was seen, or nothing new came for ``quiet`` seconds."""
    last, since = -1, time.monotonic()
    while True:
        await mark()
        seen = len({(c, t) for c, t, _ in sends()})
        if seen >= expected:
            return
        if seen != last:
            last, since = seen, time.monotonic()
        elif time.monotonic() - since > quiet:
            return  # what is missing shows up as lost in the store check
        await asyncio.sleep(0.2)
