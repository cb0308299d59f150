"""Run the local Bot API server (``tests/peers/telegram_api.py``) as a process and drive it.

::

    async with TelegramApi() as api:                  # or the ``telegram_api`` fixture
        adapter = TelegramAdapter(api.token, base_url=api.base_url, poll_timeout=1)
        ...                                           # run the bot
        await api.say(ZHANG, "代买 大米 3栋", XINGFU)   # a resident writes in the group
        ack = await api.wait_sent(lambda s: s.chat_id == XINGFU.id)
        assert "已登记" in ack.text

Everything is read from the server's event record, long-polled, so nothing here sleeps:
``wait_sent`` hands out each bot message once (sends that happened before the call count),
``wait_confirmed`` returns once the bot confirmed an update by polling past it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import aiohttp

from tests.peers.telegram_api import DEFAULT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
Json = dict[str, Any]
T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Person:
    """A Telegram user the tests play."""

    id: int
    first_name: str
    last_name: str = ""
    username: str = ""

    @property
    def full_name(self) -> str:
        """How PTB's ``User.full_name`` reads."""
        return f"{self.first_name} {self.last_name}".strip()

    def fields(self) -> Json:
        """The control API's ``user_*`` fields."""
        return {"user_id": self.id, "first_name": self.first_name, "last_name": self.last_name,
                "username": self.username}


@dataclass(frozen=True)
class Group:
    """A Telegram group chat (negative id)."""

    id: int
    title: str
    type: str = "supergroup"


@dataclass(frozen=True)
class Sent:
    """A message the bot sent or edited, as people see it (HTML already parsed)."""

    seq: int
    at: float
    method: str
    chat_id: int
    message_id: int
    text: str
    html: str
    entities: tuple[Json, ...]
    buttons: tuple[tuple[tuple[str, str], ...], ...]

    @classmethod
    def from_event(cls, ev: Json) -> Sent:
        msg = ev["result"]
        rows = msg.get("reply_markup", {}).get("inline_keyboard", [])
        return cls(seq=ev["seq"], at=ev["at"], method=ev["method"], chat_id=msg["chat"]["id"],
                   message_id=msg["message_id"], text=msg["text"], html=ev["params"].get("text", ""),
                   entities=tuple(msg.get("entities", [])),
                   buttons=tuple(tuple((b["text"], b.get("callback_data", "")) for b in row) for row in rows))

    @property
    def mentioned(self) -> list[int]:
        """Ids of the people a ``text_mention`` links to."""
        return [e["user"]["id"] for e in self.entities if e["type"] == "text_mention"]

    @property
    def labels(self) -> list[str]:
        """Button labels, row by row."""
        return [label for row in self.buttons for label, _ in row]

    def data(self, label: str) -> str:
        """The callback data of the button labelled ``label``."""
        return next(d for row in self.buttons for lbl, d in row if lbl == label)


@dataclass(frozen=True)
class SentFile:
    """A photo or document the bot uploaded, with the bytes the server received."""

    seq: int
    method: str
    chat_id: int
    message_id: int
    filename: str
    content_type: str
    data: bytes
    caption: str
    buttons: tuple[tuple[tuple[str, str], ...], ...]

    @classmethod
    def from_event(cls, ev: Json) -> SentFile:
        msg, params = ev["result"], ev["params"]
        upload = params["photo" if ev["method"] == "sendPhoto" else "document"]
        if isinstance(upload, str):  # attach://name: the file part has a name of its own
            upload = params[upload.removeprefix("attach://")]
        rows = msg.get("reply_markup", {}).get("inline_keyboard", [])
        return cls(seq=ev["seq"], method=ev["method"], chat_id=msg["chat"]["id"],
                   message_id=msg["message_id"], filename=upload["filename"],
                   content_type=upload["content_type"], data=base64.b64decode(upload["base64"]),
                   caption=msg.get("caption", ""),
                   buttons=tuple(tuple((b["text"], b.get("callback_data", "")) for b in row) for row in rows))


@dataclass(frozen=True)
class Injected:
    """What the server made of an injected message (``update_id`` 0: not delivered to the bot)."""

    update_id: int
    message_id: int

    @property
    def delivered(self) -> bool:
        """False when privacy mode or allowed_updates kept it from the bot."""
        return self.update_id > 0


#: The calls ``describe()`` lists when a wait times out.
SHOWN = ("sendMessage", "editMessageText", "answerCallbackQuery", "sendPhoto", "sendDocument")


class ControlError(RuntimeError):
    """The server refused a control call (a bug in the test, not in the bot)."""


class TelegramApi:
    """One server process on 127.0.0.1 and its control API."""

    def __init__(self, *, port: int | None = None, token: str = DEFAULT_TOKEN, privacy: bool = False):
        self.port = port or free_port()
        self.token = token
        self.privacy = privacy
        self.log: list[Json] = []
        self.stderr: deque[str] = deque(maxlen=200)
        self._claimed: set[int] = set()
        self._proc: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def base_url(self) -> str:
        """What ``TelegramAdapter(base_url=...)`` needs."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> TelegramApi:
        await self.start()
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    async def start(self, timeout: float = 15) -> None:  # noqa: ASYNC109
        """Spawn ``python -m tests.peers.telegram_api`` and wait for its ``listening`` line."""
        args = ["-m", "tests.peers.telegram_api", "--port", str(self.port), "--token", self.token]
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, *(["--privacy"] if self.privacy else []), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._drain = asyncio.create_task(self._read_stderr(self._proc.stderr))
        try:
            line = await asyncio.wait_for(self._proc.stdout.readline(), timeout)
        except TimeoutError:
            line = b""
        if not line.startswith(b"listening"):
            await self.stop()
            raise RuntimeError(f"telegram_api did not start on port {self.port}:\n" + "\n".join(self.stderr))
        self._http = aiohttp.ClientSession(base_url=self.base_url)

    async def _read_stderr(self, stream: asyncio.StreamReader) -> None:
        async for raw in stream:
            self.stderr.append(raw.decode(errors="replace").rstrip())

    async def stop(self) -> None:
        """Terminate the server process (the record in ``log`` stays)."""
        if self._http is not None:
            await self._http.close()
            self._http = None
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        if self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain

    # ---------------------------------------------------------------- control calls

    async def control(self, action: str, **body: Any) -> Json:
        """One ``/_control/<action>`` call; raises ControlError when refused."""
        assert self._http is not None, "server not started"
        async with self._http.post(f"/_control/{action}", json=body) as resp:
            answer: Json = await resp.json()
        if not answer.get("ok"):
            raise ControlError(answer.get("description", answer))
        return answer

    async def say(self, person: Person, text: str, group: Group | None = None, *,
                  reply_to: int | None = None, anonymous: bool = False) -> Injected:
        """``person`` writes ``text`` in ``group``, or to the bot in private.

        ``anonymous=True``: an admin posting as the group (``from`` is GroupAnonymousBot).
        """
        where: Json = ({"chat_id": group.id, "chat_title": group.title, "chat_type": group.type}
                       if group else {"chat_type": "private"})
        if reply_to is not None:
            where["reply_to_message_id"] = reply_to
        if anonymous:
            where["anonymous"] = True
        answer = await self.control("message", **person.fields(), **where, text=text)
        return Injected(answer["update_id"] or 0, answer["message_id"])

    async def tap(self, person: Person, sent: Sent, label: str, **flags: bool) -> int:
        """``person`` taps the button ``label`` on a bot message; returns the update id.

        ``stale=True``: the query is already too old to answer; ``inaccessible=True``: the
        message is older than 48 hours; ``force=True``: a button no longer on the message.
        """
        answer = await self.control("tap", **person.fields(), chat_id=sent.chat_id,
                                    message_id=sent.message_id, button=label, **flags)
        return int(answer["update_id"])

    async def know(self, person: Person) -> None:
        """Telegram knows ``person`` (a mention link to them works) without any chat."""
        await self.control("user", **person.fields())

    async def open_private(self, person: Person) -> None:
        """``person`` pressed Start in a private chat with the bot some time ago."""
        await self.control("user", **person.fields(), started=True)

    async def add_group(self, group: Group) -> None:
        """A group the bot is a member of."""
        await self.control("chat", chat_id=group.id, chat_title=group.title, chat_type=group.type)

    async def set_member(self, group: Group, person: Person, status: str) -> None:
        """``person``'s status in ``group``: owner/creator, admin/administrator, member, left…"""
        await self.control("member", chat_id=group.id, **person.fields(), status=status)

    async def make_bot_admin(self, group: Group) -> None:
        """The bot administers ``group`` (with ``can_invite_users``): it sees join requests."""
        await self.control("member", chat_id=group.id, user_id=int(self.token.split(":")[0]),
                           status="admin")

    async def join(self, group: Group, *people: Person, by: Person | None = None,
                   bots: tuple[Person, ...] = ()) -> Injected:
        """``people`` (and ``bots``) join ``group`` in one service message, added ``by`` someone."""
        members = [p.fields() for p in people] + [{**b.fields(), "is_bot": True} for b in bots]
        answer = await self.control("join", chat_id=group.id, chat_title=group.title,
                                    chat_type=group.type, members=members,
                                    by=by.fields() if by else None)
        return Injected(answer["update_id"] or 0, answer["message_id"])

    async def request_join(self, person: Person, group: Group) -> int:
        """``person`` asks to join ``group``; returns the update id (0: the bot cannot see it)."""
        answer = await self.control("join_request", **person.fields(), chat_id=group.id,
                                    chat_title=group.title, chat_type=group.type)
        return int(answer["update_id"] or 0)

    async def flood(self, count: int, retry_after: int = 1, *, after: int = 0,
                    methods: tuple[str, ...] = ("sendMessage",)) -> None:
        """After ``after`` more calls of ``methods``, ``count`` get 429; calls inside the window too."""
        await self.control("flood", count=count, retry_after=retry_after, after=after,
                           methods=list(methods))

    async def hold_polling(self, hold: bool, *, release: int = 0) -> None:
        """While held, getUpdates requests wait unread (their offsets confirm nothing) and are
        recorded as ``getUpdates.parked``; ``release=N`` lets the next N through. On unholding,
        a parked request whose client went away is dropped (``getUpdates.dropped``)."""
        await self.control("polling", hold=hold, release=release)

    async def state(self) -> Json:
        """Pending update ids, deliveries per update, command menus, answered queries."""
        assert self._http is not None
        async with self._http.get("/_control/state") as resp:
            answer: Json = await resp.json()
        return answer

    # ---------------------------------------------------------------- the record

    async def fetch(self, wait: float = 0) -> list[Json]:
        """Append new events to ``log`` (waiting up to ``wait`` s for one); returns the new ones."""
        assert self._http is not None
        params = {"after": str(len(self.log)), "wait": str(wait)}
        async with self._http.get("/_control/events", params=params) as resp:
            new: list[Json] = (await resp.json())["events"]
        self.log.extend(new)
        return new

    async def mark(self) -> int:
        """The index in ``log`` after everything recorded so far (for ``wait_call(start=...)``)."""
        await self.fetch()
        return len(self.log)

    async def wait_until(self, check: Callable[[], T | None], timeout: float = 10,  # noqa: ASYNC109
                         what: str = "condition") -> T:
        """Until ``check()`` (re-run on each new event) returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; the bot sent:\n"
                                     + self.describe())
            await self.fetch(wait=min(left, 5))

    def calls(self, method: str, *, ok: bool | None = None) -> list[Json]:
        """Every recorded call of ``method`` (``ok``: only successes or only failures)."""
        return [e for e in self.log if e["method"] == method
                and (ok is None or (e["status"] == 200) == ok)]

    def sends(self, method: str = "sendMessage") -> list[Sent]:
        """Every message the bot sent (or edited, with ``method="editMessageText"``)."""
        return [Sent.from_event(e) for e in self.calls(method, ok=True)]

    def files(self) -> list[SentFile]:
        """Every photo and document the bot uploaded, in order."""
        return [SentFile.from_event(e) for e in self.log
                if e["method"] in ("sendPhoto", "sendDocument") and e["status"] == 200]

    async def wait_files(self, count: int, timeout: float = 10) -> list[SentFile]:  # noqa: ASYNC109
        """Until the bot uploaded at least ``count`` files; returns them all."""
        return await self.wait_until(lambda: self.files() if len(self.files()) >= count else None,
                                     timeout, f"{count} uploaded files")

    async def wait_sent(self, predicate: Callable[[Sent], bool] | None = None, *,
                        method: str = "sendMessage", timeout: float = 10) -> Sent:  # noqa: ASYNC109
        """The first matching send not handed out before (sends before the call count)."""
        def check() -> Sent | None:
            for sent in self.sends(method):
                if sent.seq not in self._claimed and (predicate is None or predicate(sent)):
                    return sent
            return None

        sent = await self.wait_until(check, timeout, f"a {method} matching the test")
        self._claimed.add(sent.seq)
        return sent

    async def wait_call(self, method: str, predicate: Callable[[Json], bool] | None = None,
                        timeout: float = 10, start: int = 0) -> Json:  # noqa: ASYNC109
        """The first recorded call of ``method`` from event ``start`` on matching ``predicate``."""
        return await self.wait_until(
            lambda: next((e for e in self.log[start:] if e["method"] == method
                          and (predicate is None or predicate(e))), None), timeout, f"a {method} call")

    async def wait_confirmed(self, update_id: int, timeout: float = 10) -> Json:  # noqa: ASYNC109
        """Until the bot polled with an offset past ``update_id`` (it stored and handled it)."""
        return await self.wait_call("getUpdates", lambda e: e["params"]["offset"] > update_id, timeout)

    def describe(self) -> str:
        """Every send and edit, for assertion messages."""
        def said(e: Json) -> str:  # answerCallbackQuery's result is a bare ``true``
            result = e.get("result")
            return str(result.get("text", "") if isinstance(result, dict)
                       else e.get("params", {}).get("text", e.get("error", "")))

        lines = [f"  #{e['seq']} {e['method']} {e['status']} chat={e['params'].get('chat_id')} "
                 f"{said(e)!r}"[:300] for e in self.log if e["method"] in SHOWN]
        return "\n".join(lines) or "  (nothing)"
