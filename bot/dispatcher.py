"""Routers of commands and fallbacks, role checks, and the one place a message is routed."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from bot.config import Config, GroupConfig
from bot.directory import MAY_USE, ROLE_LABEL, Directory, Role
from bot.kinds import OTHER_CODE_LETTERS, PREFIXES
from bot.message import Button, Incoming, Mention, Reply
from bot.services import Scheduling, Services
from bot.store import Store
from bot.text import chinese_punct, normalize, strip_mentions, strip_quote, verbatim_tail

log = logging.getLogger(__name__)

Where = Literal["group", "private", "any"]
Result = Reply | Sequence[Reply] | None
Handler = Callable[["Ctx"], Awaitable[Result]]
#: Slow, read-only work a handler hands over to run after its transaction (see Ctx.after_commit).
AfterCommit = Callable[[], Awaitable[list[Reply]]]
H = TypeVar("H", bound=Callable[..., Awaitable[Any]])


@dataclass
class Ctx:
    """Everything a handler needs about one message; handlers return replies.

    A handler sees the bot only through ``services``: the store, the directory, the config
    and the scheduler (the properties below), never the adapters or the run loop.
    """

    services: Services
    msg: Incoming
    text: str
    now: datetime
    group: GroupConfig | None
    role: Role
    command: str = ""
    args: str = ""
    #: Work handed over with :meth:`after_commit`, in order; the dispatcher's caller runs it.
    deferred: list[AfterCommit] = field(default_factory=list)

    @property
    def store(self) -> Store:
        """The database."""
        return self.services.store

    @property
    def directory(self) -> Directory:
        """Who is who: groups, owners, staff."""
        return self.services.directory

    @property
    def config(self) -> Config:
        """The loaded ``bot.toml``."""
        return self.services.config

    @property
    def scheduling(self) -> Scheduling | None:
        """The running scheduler, if one runs (``gridbot run``)."""
        return self.services.scheduling

    @property
    def platform(self) -> str:
        """The platform the message came from."""
        return self.msg.chat.platform

    def after_commit(self, work: AfterCommit) -> None:
        """Run ``work`` after this message's transaction commits, outside any transaction, and
        send the replies it returns after the handler's own.

        For slow work that only reads (drawing charts takes seconds at district scale): inside
        the transaction it held up every other write of the process. The message is marked
        handled only once the work is done, so a crash in between makes recovery run the
        handler again: a handler that defers work must therefore not write anything (its
        writes would be made twice). Its own replies are queued so that they go once anyway.
        """
        self.deferred.append(work)

    def verbatim(self, tail: str) -> str:
        """``tail`` (the end of ``args``) as the person typed it: line breaks, script, punctuation."""
        return verbatim_tail(self.msg.text, tail)

    def reply(
        self, text: str, *, mention: bool = False, buttons: Sequence[Button] = (),
        edit: bool = False,
    ) -> Reply:
        """A reply in the same chat; ``edit`` rewrites the message whose button was tapped."""
        mentions = (Mention(self.msg.sender_id, self.msg.sender_name),) if mention else ()
        edit_id = self.msg.tapped_message_id if edit else None
        return Reply(self.msg.chat, text, mentions, tuple(buttons), edit_id)


@dataclass(frozen=True)
class Route:
    """One command (or a fallback when ``names`` is empty).

    ``alone``: the command is the whole message (``帮助``, ``我的工单``), so that a resident
    writing "帮助 我家老人摔倒了 5栋304" is read as a request, not as a call for the card.
    """

    names: tuple[str, ...]
    handler: Handler
    where: Where
    role: Role
    priority: int
    alone: bool = False


@dataclass
class Router:
    """A capability's routes, declared with decorators; routers are listed by hand."""

    name: str
    routes: list[Route] = field(default_factory=list)

    def command(
        self, *names: str, where: Where = "any", role: Role = Role.RESIDENT, priority: int = 0,
        alone: bool = False,
    ) -> Callable[[H], H]:
        """Route messages that start with one of ``names``; a handler returning None passes."""

        def register(handler: H) -> H:
            self.routes.append(Route(tuple(names), handler, where, role, priority, alone))
            return handler

        return register

    def fallback(self, *, where: Where = "group", priority: int = 0) -> Callable[[H], H]:
        """Route what no command matched; the handler returns None to pass it on."""

        def register(handler: H) -> H:
            self.routes.append(Route((), handler, where, Role.RESIDENT, priority))
            return handler

        return register


def _fits(where: Where, is_group: bool) -> bool:
    return where == "any" or (where == "group") == is_group


#: What may follow a Chinese command name: a space, punctuation, or a code such as E12 / N3.
#: "进度怎么这么慢" and "我的妈妈发烧了" are sentences, not commands.
_ARGS_START = re.compile(r"[\s,.!?;:，。！？；：、~～]|[A-Za-z0-9]")
#: What may trail a command that stands alone: "我的工单呢？", "帮助！".
_TRAILING = re.compile(r"[\s呢吗啊呀吧了,.!?，。！？~～]*")
#: A ticket or notice code at the start of a command's arguments.
_LETTERS = PREFIXES + OTHER_CODE_LETTERS
_CODE_LEAD = re.compile(rf"^[{_LETTERS}{_LETTERS.lower()}]\s*\d{{1,7}}")


def _follows_command(name: str, rest: str, alone: bool) -> bool:
    """Whether ``rest`` can be the arguments of command ``name``."""
    if alone:
        return _TRAILING.fullmatch(rest) is not None
    if name.isascii():
        return not rest[:1].isalnum()  # "/my" must not match "/myself"
    return not rest or _ARGS_START.match(rest) is not None


class Dispatcher:
    """Finds the route for a message and runs it."""

    def __init__(self, routers: Sequence[Router]):
        self.routes = [r for router in routers for r in router.routes]
        # Every command name by its first letter, best first (the longest, then priority),
        # so a message is compared only with the names it can start with.
        ranked = sorted(((name, route) for route in self.routes for name in route.names),
                        key=lambda nr: (-len(nr[0]), -nr[1].priority))
        self._names: dict[str, list[tuple[str, str, Route]]] = {}
        for name, route in ranked:
            self._names.setdefault(name[:1].lower(), []).append((name.lower(), name, route))
        self._fallback_routes = sorted((r for r in self.routes if not r.names), key=lambda r: -r.priority)

    def match(self, text: str, is_group: bool) -> tuple[Route, str, str] | None:
        """The command route for a normalised text: the longest name wins, then priority."""
        lowered = text.lower()
        for lowered_name, name, route in self._names.get(lowered[:1], ()):
            if not lowered.startswith(lowered_name) or not _fits(route.where, is_group):
                continue
            rest = text[len(name):]
            if name.startswith("/") and rest.startswith("@"):
                # "/bind@GridBot 幸福小区": the @name is the boundary; what follows is args.
                rest = " " + rest.split(maxsplit=1)[1] if " " in rest else ""
            if _follows_command(name, rest, route.alone):
                break
        else:
            return None
        args = text[len(name):]
        if name.startswith("/") and args.startswith("@"):
            args = args.split(maxsplit=1)[1] if " " in args else ""  # /my@GridBot
        return route, name, chinese_punct(args.strip(" :,，："))

    async def dispatch(
        self, services: Services, msg: Incoming, now: datetime, *, after: list[AfterCommit] | None = None,
    ) -> list[Reply]:
        """Route one message and return the handler's replies.

        Work the handler deferred (:meth:`Ctx.after_commit`) is added to ``after`` for the caller
        to run once its transaction commits; without ``after`` it runs here, its replies last.
        """
        text = strip_quote(strip_mentions(normalize(msg.text)))
        directory = services.directory
        group = directory.group_for(msg.chat) if msg.is_group else None
        role = directory.role(msg.chat.platform, msg.sender_id, group)
        ctx = Ctx(services, msg, text, now, group, role)
        replies = await self._route(ctx)
        if after is not None:
            after.extend(ctx.deferred)
        else:
            for work in ctx.deferred:
                replies += await work()
        return replies

    async def _route(self, ctx: Ctx) -> list[Reply]:
        msg, text, role = ctx.msg, ctx.text, ctx.role
        if msg.kind != "text":
            return _as_list(await self._fallbacks(ctx))
        found = self.match(text, msg.is_group)
        if found is not None:
            route, ctx.command, ctx.args = found
            if role < route.role:
                return [ctx.reply(
                    f"「{ctx.command}」只有{MAY_USE[route.role]}可以使用，您是{ROLE_LABEL[role]}。"
                    "发送「帮助」查看您可用的指令。",
                    mention=msg.is_group,
                )]
            result = await route.handler(ctx)
            if result is not None:
                return _as_list(result)
            # The handler saw no command in it ("收到，求助：老伴胸口疼 5栋303"): read it as a resident.
            ctx.command, ctx.args = "", ""
            ctx.deferred.clear()  # a handler that passes leaves nothing behind
        elif msg.is_group and role >= Role.GRID:
            private = self.match(text, is_group=False)
            # Only a command naming a ticket or notice: an owner's "通知：…" in the group is chat.
            code = _CODE_LEAD.match(private[2]) if private is not None else None
            if private is not None and private[0].role >= Role.GRID and code:
                # Only the command and its code: the rest may be a note not meant for the group.
                more = " …" if private[2][code.end():].strip() else ""
                example = f"{private[1]} {code.group(0)}{more}"
                return [ctx.reply(f"管理指令请私聊我发送，例如「{example}」。", mention=True)]
        return _as_list(await self._fallbacks(ctx))

    async def _fallbacks(self, ctx: Ctx) -> Result:
        for route in self._fallback_routes:
            if not _fits(route.where, ctx.msg.is_group):
                continue
            result = await route.handler(ctx)
            if result is not None:
                return result
        return None


def _as_list(result: Result) -> list[Reply]:
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    return list(result)
