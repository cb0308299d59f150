"""The local console: type as any user in any group or private chat, see every bot message.

Two modes share one adapter: an interactive prompt (``gridbot run``) and a scripted
transcript (``gridbot console --transcript FILE``), whose line format other tools rely on:
input ``<chat>|<user>|<text>`` and output ``<chat>|<text>``. The text ``:join`` stands for the
user joining the group (``幸福小区居民群|张三|:join``), as ``:join 张三`` does at the prompt; a
platform action prints as one line in brackets (``幸福小区居民群|[已批准 张三 入群]``), and so
does a file, after the text it came with: it is saved under ``data/reports/`` (beside the
database) and the line says where (``@张书记|[图片 工单走势.png：data/reports/charts/….png]``).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapter import Dispatch
from bot.directory import Directory
from bot.message import JOIN, Attachment, ChatRef, Incoming, JoinDecision, Reply
from bot.text import clean_text

if TYPE_CHECKING:
    from bot.services import Services

PLATFORM = "console"
PRIVATE = "@"
#: A transcript line's text that means "this user joins the group".
JOIN_LINE = ":join"


class LineError(ValueError):
    """A transcript or prompt line that cannot be understood; the message is in Chinese."""


def render_action(action: JoinDecision) -> str:
    """A platform action as one console line: ``[已批准 张三 入群]``."""
    return f"[{'已批准' if action.approve else '已拒绝'} {action.name or action.user_id} 入群]"


def render_file(file: Attachment, saved: Path) -> str:
    """A file as one console line: ``[图片 工单走势.png：data/reports/….png]``."""
    where = saved.resolve()
    try:
        where = where.relative_to(Path.cwd())
    except ValueError:
        pass  # outside the working directory: the full path
    return f"[{'图片' if file.is_image else '文件'} {file.name}：{where}]"


def save_file(file: Attachment, reports: Path) -> Path:
    """Where the console keeps a file: as it is when already under ``reports``, else copied there."""
    source = Path(file.path).resolve()
    if source.is_relative_to(reports.resolve()):
        return source
    reports.mkdir(parents=True, exist_ok=True)
    target = reports / Path(file.name).name
    shutil.copyfile(source, target)
    return target


def render(reply: Reply) -> str:
    """A reply's text as a person reads it on the console (mentions first, buttons last)."""
    text = reply.text
    if reply.mentions:
        text = " ".join(f"@{m.name}" for m in reply.mentions) + " " + text
    if reply.buttons:
        text += "\n（可回复：" + " ／ ".join(b.command for b in reply.buttons) + "）"
    if reply.edit_message_id:
        text = "（更新）" + text
    return text


class ConsoleAdapter:
    """A console that prints every bot message with the chat it went to."""

    platform = PLATFORM
    max_in_flight = 1
    self_draining = True
    redelivers = False  # a line typed before a crash is not read again

    def __init__(
        self, directory: Directory, clock: Callable[[], datetime], *,
        out: TextIO = sys.stdout, transcript: bool = False,
        drain: Callable[[], Awaitable[int]] | None = None, reports: Path | None = None,
    ):
        self.directory = directory
        #: Where files the bot sends are saved: ``reports/`` beside the database.
        self.reports = reports or directory.config.database.parent / "reports"
        self.clock = clock
        self.out = out
        self.transcript = transcript
        self.drain = drain
        # Message ids must not repeat across runs against the same database.
        self._run = uuid.uuid4().hex[:8]
        self._ids = itertools.count(1)
        # Start where a resident's request is answered (a village group), as the README shows.
        mine = [g for g in directory.groups if g.platform == PLATFORM]
        self.chat = next((g.name for g in mine if g.tickets), mine[0].name if mine else PRIVATE)
        self.user = "居民"

    def chat_label(self, chat: ChatRef) -> str:
        """A group's name, or ``@user`` for a private chat."""
        if chat.is_private:
            return chat.chat_id
        group = self.directory.group_for(chat)
        return group.name if group else chat.chat_id

    def incoming(self, chat: str, user: str, text: str) -> Incoming:
        """Build the message a person typed as ``user`` in ``chat`` (a group name or ``@``)."""
        # A terminal in a non-UTF-8 locale hands undecodable bytes over as lone surrogates.
        user = clean_text(user).strip()
        ref = self._chat(clean_text(chat).strip(), user)
        return Incoming(
            chat=ref, sender_id=user, sender_name=user, text=clean_text(text),
            message_id=f"{self._run}-{next(self._ids)}", sent_at=self.clock(), is_group=not ref.is_private,
        )

    def joined(self, chat: str, user: str) -> Incoming:
        """``user`` joins the group ``chat``: a ``join`` event, as a platform reports one."""
        user = clean_text(user).strip()
        ref = self._chat(clean_text(chat).strip(), user)
        if ref.is_private:
            raise LineError("「:join」只能用在群里，例如：幸福小区居民群|张三|:join")
        return Incoming(
            chat=ref, sender_id=user, sender_name=user, text="", kind=JOIN,
            message_id=f"{self._run}-{next(self._ids)}", sent_at=self.clock(), is_group=True,
        )

    def _chat(self, chat: str, user: str) -> ChatRef:
        if not user:
            raise LineError("缺少用户名")
        if chat == PRIVATE:
            return ChatRef.private(PLATFORM, user)
        group = self.directory.find(chat)
        if group is None or group.platform != PLATFORM:
            names = "、".join(g.name for g in self.directory.groups if g.platform == PLATFORM)
            raise LineError(f"没有名为「{chat}」的群；可用的群：{names}，私聊写 @")
        return ChatRef(PLATFORM, group.chat_id)

    def _switch_chat(self, arg: str) -> None:
        """``:chat 幸福`` is enough when one console group's name starts with or contains it."""
        if arg == PRIVATE:
            self.chat = PRIVATE
            return
        mine = [g for g in self.directory.groups if g.platform == PLATFORM]
        exact = self.directory.find(arg)
        found = [exact] if exact is not None and exact in mine else self.directory.named(arg, mine)
        if len(found) == 1:
            self.chat = found[0].name
        elif found:
            names = "、".join(g.name for g in found)
            print(f"  ! 「{arg}」对应 {len(found)} 个群：{names}，请写得更完整些", file=self.out, flush=True)
        else:
            print(f"  ! 没有名为「{arg}」的群，:groups 查看全部", file=self.out, flush=True)

    def parse_line(self, line: str) -> Incoming:
        """``<chat>|<user>|<text>`` -> Incoming."""
        parts = line.split("|", 2)
        if len(parts) != 3:
            raise LineError("格式应为 <群名或@>|<用户>|<内容>")
        chat, user, text = parts
        if text.strip() == JOIN_LINE:
            return self.joined(chat, user)
        return self.incoming(chat, user, text)

    async def send(self, reply: Reply) -> str | None:
        """Print one bot message; an action (approving a newcomer) or a file prints as a line of its own."""
        label = self.chat_label(reply.chat)
        lines = [render_action(reply.action)] if reply.action is not None else []
        if reply.text or (reply.action is None and reply.attachment is None):
            lines.append(render(reply))
        if reply.attachment is not None:
            saved = await asyncio.to_thread(save_file, reply.attachment, self.reports)
            lines.append(render_file(reply.attachment, saved))
        for text in lines:
            if self.transcript:
                print(f"{label}|{text.replace(chr(10), chr(92) + 'n')}", file=self.out, flush=True)
            else:
                body = text.replace("\n", "\n      ")
                print(f"  → [{label}] {body}", file=self.out, flush=True)
        return f"console-{self._run}-{next(self._ids)}"

    async def close(self) -> None:
        """Nothing to release; the console has no connection."""

    async def run(self, dispatch: Dispatch) -> None:
        """The interactive prompt; returns at end of input or on ``:quit``."""
        print(HELP, file=self.out, flush=True)
        ticker = asyncio.create_task(self._tick())
        try:
            while True:
                try:
                    line = await asyncio.to_thread(input, f"[{self.chat} · {self.user}] > ")
                except EOFError:
                    return
                if not await self._interactive(line.strip(), dispatch):
                    return
        finally:
            ticker.cancel()

    async def _tick(self) -> None:
        """Print scheduled sends (notices, reminders) that arrive while the prompt waits."""
        while self.drain is not None:
            await asyncio.sleep(1.0)
            await self.drain()

    async def _interactive(self, line: str, dispatch: Dispatch) -> bool:
        if not line:
            return True
        if line.startswith(":"):
            name, _, arg = line[1:].strip().partition(" ")
            if name in ("j", "join"):
                await self._join(arg.strip(), dispatch)
                return True
            return self._meta(line[1:].strip())
        if line.count("|") == 1:
            # "张阿姨|代买 米": meant as a one-line send, but which chat? Say so instead of posting it.
            print("  ! 一行里写明聊天和用户要用两个「|」：群名|用户|内容（私聊写 @|用户|内容）；"
                  "只写内容则以当前用户在当前群发言。", file=self.out, flush=True)
            return True
        try:
            msg = self.parse_line(line) if line.count("|") >= 2 else self.incoming(self.chat, self.user, line)
        except LineError as exc:
            print(f"  ! {exc}", file=self.out, flush=True)
            return True
        await dispatch(msg)
        if self.drain is not None:
            await self.drain()
        return True

    async def _join(self, user: str, dispatch: Dispatch) -> None:
        """``:join 张三``: 张三 joins the current group."""
        if not user:
            print("  ! 用法：:join 名字（此人加入当前群）", file=self.out, flush=True)
            return
        if self.chat == PRIVATE:
            print("  ! 现在是私聊，入群要在群里：先 :chat 群名 切换到群", file=self.out, flush=True)
            return
        await dispatch(self.joined(self.chat, user))
        print(f"  （{user} 加入了「{self.chat}」）", file=self.out, flush=True)
        if self.drain is not None:
            await self.drain()

    def _meta(self, command: str) -> bool:
        name, _, arg = command.partition(" ")
        arg = arg.strip()
        if name in ("q", "quit", "exit"):
            return False
        if name in ("u", "user") and arg:
            self.user = arg
        elif name in ("c", "chat") and arg:
            self._switch_chat(arg)
        elif name in ("g", "groups"):
            for g in self.directory.groups:
                owners = "、".join(g.owners) or "（无）"
                print(f"  {g.name}（{g.platform}，{g.level}）群主：{owners}", file=self.out)
        else:
            print(HELP, file=self.out, flush=True)
        return True


HELP = """Gridbot 控制台：直接输入内容即以当前用户在当前群里发言。
  :user 名字    切换用户        :chat 群名    切换到群        :chat @    切换到与机器人的私聊
  :join 名字    此人加入当前群  :groups       列出群和群主    :help      显示本说明
  :quit         退出
  也可以一行写成 群名|用户|内容（私聊写 @|用户|内容）。"""


async def run_transcript(
    lines: Iterable[str], adapter: ConsoleAdapter, dispatch: Callable[[Incoming], Awaitable[object]],
    drain: Callable[[], Awaitable[int]], err: TextIO = sys.stderr,
) -> int:
    """Feed a transcript through the bot, printing replies in order; returns bad-line count."""
    bad = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            msg = adapter.parse_line(line)
        except LineError as exc:
            bad += 1
            print(f"第 {number} 行无法处理：{exc}。原文：{line}", file=err, flush=True)
            continue
        await dispatch(msg)
        await drain()
    return bad


def create(services: Services) -> ConsoleAdapter:
    """The console as ``gridbot run`` starts it: stdin and stdout, replies sent after each line."""
    return ConsoleAdapter(services.directory, services.now, out=sys.stdout,
                          drain=lambda: services.outbox.drain("console"))
