"""A bot on a real SQLite file with a fake adapter: ``await bot.say(...)`` returns the replies.

Modelled on errbot's ``testbot``: one line sends a message as someone in some chat and hands
back what the bot said, through the same store, dispatcher and outbox as production.
"""

from __future__ import annotations

import itertools
import os
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.adapter import Dispatch, SendError
from bot.adapters.console import render
from bot.app import App
from bot.config import Config, parse_config
from bot.dispatcher import Router
from bot.message import ChatRef, Incoming, Reply
from handlers import ROUTERS
from schedules import JOBS

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 22, 9, 0, tzinfo=TZ)

BASE_TOML = """
[bot]
name = "网格助手"
platforms = ["console"]
timezone = "Asia/Shanghai"

[staff]
console = ["区指挥部小王"]

[[groups]]
key = "hexi"
name = "河西区指挥部"
level = "district"
owners = ["区指挥部小王"]

[[groups]]
key = "dongcheng"
name = "东城街道群"
level = "township"
parent = "hexi"
owners = ["刘主任"]

[[groups]]
key = "xingfu"
name = "幸福小区居民群"
parent = "dongcheng"
owners = ["李书记"]

[[groups]]
key = "yangguang"
name = "阳光花园居民群"
parent = "dongcheng"
owners = ["陈网格员"]
"""


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class FakeAdapter:
    """Records every send; can be told to fail the next sends."""

    platform: str = "console"
    max_in_flight: int = 4
    self_draining: bool = True
    #: As Telegram (the platform resends until handled): messages are stored in the handling
    #: transaction. GRIDBOT_TEST_REDELIVERS=1 runs every test that way.
    redelivers: bool = field(default_factory=lambda: os.environ.get("GRIDBOT_TEST_REDELIVERS") == "1")
    sent: list[Reply] = field(default_factory=list)
    fail_next: list[SendError] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def run(self, dispatch: Dispatch) -> None:
        raise NotImplementedError("tests drive the bot with Bot.say")

    async def send(self, reply: Reply) -> str | None:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(reply)
        return f"m{next(self._ids)}"

    async def close(self) -> None:
        pass


def make_config(tmp_path: Path, toml: str = BASE_TOML) -> Config:
    """A config from TOML text with its database under ``tmp_path``."""
    path = tmp_path / "bot.toml"
    path.write_text(toml, encoding="utf-8")
    return parse_config(tomllib.loads(toml), path, database=tmp_path / "gridbot.db")


async def open_app(
    config: Config, *, clock: Callable[[], datetime] | None = None,
    routers: Sequence[Router] = ROUTERS,
) -> App:
    """The bot with every job and (unless a test narrows them) every router, as ``gridbot run``."""
    return await App.open(config, routers=routers, jobs=JOBS, clock=clock)


class Bot:
    """The bot under test."""

    def __init__(self, app: App, adapter: FakeAdapter, clock: Clock):
        self.app, self.adapter, self.clock = app, adapter, clock
        self._ids = itertools.count(1)

    @classmethod
    async def start(cls, tmp_path: Path, toml: str = BASE_TOML, clock: Clock | None = None) -> Bot:
        clock = clock or Clock()
        app = await open_app(make_config(tmp_path, toml), clock=clock)
        adapter = FakeAdapter()
        app.attach(adapter)
        return cls(app, adapter, clock)

    def message(self, chat: str, user: str, text: str, **extra: object) -> Incoming:
        """A message as ``user`` in group ``chat`` (by name), or in private when chat is ``@``."""
        if chat == "@":
            ref, is_group = ChatRef.private("console", user), False
        else:
            group = self.app.directory.find(chat)
            assert group is not None, f"no group {chat!r} in the test config"
            ref, is_group = ChatRef(group.platform, group.chat_id), True
        return Incoming(chat=ref, sender_id=user, sender_name=user, text=text,
                        message_id=f"t{next(self._ids)}", sent_at=self.clock(), is_group=is_group,
                        **extra)  # type: ignore[arg-type]

    async def send(self, msg: Incoming) -> list[Reply]:
        """Handle one message and return everything the bot sent because of it."""
        before = len(self.adapter.sent)
        await self.app.handle(msg)
        await self.app.outbox.drain("console")
        return self.adapter.sent[before:]

    async def say(self, chat: str, user: str, text: str) -> list[Reply]:
        """``await bot.say("幸福小区居民群", "张阿姨", "代买 …")`` -> the replies."""
        return await self.send(self.message(chat, user, text))

    async def text(self, chat: str, user: str, text: str) -> list[str]:
        """Like :meth:`say`, as ``<chat>|<text>`` lines the way the console prints them."""
        return [f"{label(r.chat)}|{render(r)}" for r in await self.say(chat, user, text)]

    async def close(self) -> None:
        await self.app.close()


def label(chat: ChatRef) -> str:
    """``@user`` for private chats, the chat id (the group name on the console) otherwise."""
    return chat.chat_id


def to(replies: list[Reply], chat: str) -> list[Reply]:
    """The replies that went to one chat (a group name or ``@user``)."""
    return [r for r in replies if r.chat.chat_id == chat]
