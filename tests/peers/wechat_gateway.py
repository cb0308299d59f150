"""The real Wechaty puppet-service gateway (npm) as a test peer for the WeChat adapter.

``tests/peers/wechat/gateway.mjs`` runs npm ``wechaty-puppet-service``'s ``PuppetServer``
around ``wechaty-puppet-mock`` and is driven over JSON lines on stdin/stdout. This module
starts it, installs its node_modules on first use, and gives tests async methods::

    async with WechatGateway() as gw:              # or the ``wechat_gateway`` fixture
        bot = await gw.create_bot("网格助手")
        zs = await gw.create_contact("张三", alias="3号楼张三")
        room = await gw.create_room("幸福小区3号楼", [bot, zs])
        # ... start the adapter with PuppetOptions(end_point=gw.endpoint, token=gw.token)
        await gw.wait_client()                     # its event stream is open, bot logged in
        await gw.say(zs, "明天停水吗", room_id=room)
        sent = await gw.wait_bot_sent(lambda s: s.room_id == room)
        assert "停水" in sent.text

Events the gateway emits while no client event stream is open are lost (the real service
does not buffer them): ``say()`` therefore raises unless the message reached a client,
pass ``require_delivered=False`` to test that on purpose.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WECHAT_DIR = Path(__file__).resolve().parent / "wechat"
GATEWAY_JS = WECHAT_DIR / "gateway.mjs"
REQUIRED_MODULES = ("wechaty-puppet-service", "wechaty-puppet-mock", "wechaty-puppet", "file-box")


class GatewayUnavailable(RuntimeError):
    """Node.js is not installed: the gateway cannot run on this machine."""


class GatewayError(RuntimeError):
    """The gateway refused a command, failed to start, or died."""


def node_missing_reason() -> str | None:
    """Why the gateway cannot run here (``None`` when ``node`` is on PATH)."""
    if shutil.which("node") is None:
        return (
            "WeChat gateway peer NOT TESTED: `node` is not on PATH. Install Node.js >= 16 "
            "(e.g. `apt-get install nodejs npm`) to run the real Wechaty puppet-service gateway."
        )
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _modules_installed() -> bool:
    """Every dependency pinned in package.json is in node_modules at that exact version."""
    pins: dict[str, str] = json.loads((WECHAT_DIR / "package.json").read_text())["dependencies"]
    for name in set(pins) | set(REQUIRED_MODULES):
        manifest = WECHAT_DIR / "node_modules" / name / "package.json"
        if not manifest.is_file():
            return False
        if name in pins and json.loads(manifest.read_text()).get("version") != pins[name]:
            return False
    return True


def ensure_node_modules(timeout: float = 600) -> None:
    """Run ``npm ci`` in tests/peers/wechat when node_modules is missing or stale.

    Blocking (it is a one-off of ~20 s); a file lock keeps parallel test processes from
    installing at the same time. ``npm ci`` installs exactly what package-lock.json says and
    never rewrites it (``npm install`` did, leaving the checkout dirty after every test run).
    """
    reason = node_missing_reason()
    if reason:
        raise GatewayUnavailable(reason)
    if _modules_installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise GatewayError(
            f"node is installed but `npm` is not, and {WECHAT_DIR}/node_modules is missing: "
            "install npm (e.g. `apt-get install npm`) or run `npm ci` there by hand."
        )
    WECHAT_DIR.joinpath(".npm-install.lock").touch()
    with open(WECHAT_DIR / ".npm-install.lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _modules_installed():
                return
            proc = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=WECHAT_DIR,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            if proc.returncode != 0 or not _modules_installed():
                tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
                raise GatewayError(f"`npm ci` in {WECHAT_DIR} failed (exit {proc.returncode}):\n{tail}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class BotSent:
    """One message the bot sent through the gateway (a ``botSent`` event line)."""

    kind: str  # text | file | contact | url | miniProgram | location
    conversation_id: str
    room_id: str | None  # set when sent to a room
    to_id: str | None  # set when sent to a contact (private chat)
    text: str | None
    mention_ids: tuple[str, ...]
    message_id: str | None  # id of the echoed `message` event
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def file_name(self) -> str | None:
        """A file box's name (``kind == "file"``)."""
        name = self.raw.get("fileName")
        return str(name) if name is not None else None

    @property
    def file_data(self) -> bytes | None:
        """The bytes of a file box as the gateway received them."""
        encoded = self.raw.get("fileBase64")
        return base64.b64decode(encoded) if encoded else None

    @classmethod
    def from_event(cls, ev: dict[str, Any]) -> BotSent:
        return cls(
            kind=ev.get("kind", "text"),
            conversation_id=ev["conversationId"],
            room_id=ev.get("roomId"),
            to_id=ev.get("toId"),
            text=ev.get("text"),
            mention_ids=tuple(ev.get("mentionIds") or ()),
            message_id=ev.get("messageId"),
            raw=ev,
        )


# Commands that build mock state; replayed (with the same ids) after a restart.
_STATE_COMMANDS = frozenset(
    {"createBot", "createContact", "createRoom", "roomAdd", "roomRemove", "roomTopic", "setContact"}
)


class WechatGateway:
    """A running ``gateway.mjs``: the npm puppet-service gateway with a scriptable mock WeChat.

    ``endpoint`` and ``token`` are what the adapter's ``PuppetOptions`` need. The same port
    and token survive ``restart()``, and the mock's contacts and rooms are re-created with
    the same ids, so a client can reconnect to "the same" gateway.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        token: str | None = None,
        heartbeat_ms: int = 0,
        log_level: str = "warn",
        startup_timeout: float = 30.0,
    ) -> None:
        self.port = port or free_port()
        self.token = token or f"insecure_{uuid.uuid4()}"
        self.heartbeat_ms = heartbeat_ms
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.startup_seconds: float | None = None  # spawn -> listening, last start
        self.bot_id: str | None = None
        self.sent: list[BotSent] = []  # every bot send, across restarts
        self.events: list[dict[str, Any]] = []  # every other event line
        self.stderr_lines: deque[str] = deque(maxlen=300)
        self._claimed: set[int] = set()
        self._journal: list[dict[str, Any]] = []
        self._proc: asyncio.subprocess.Process | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ids = 0
        self._changed: asyncio.Condition | None = None
        self._stream_open = False
        self._logged_in = False
        self._exited = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None and not self._exited

    @property
    def stream_open(self) -> bool:
        """A client's gRPC event stream is attached (events emitted now are delivered)."""
        return self._stream_open

    @property
    def logged_in(self) -> bool:
        return self._logged_in

    def puppet_options(self) -> Any:
        """``wechaty_puppet.PuppetOptions`` pointing at this gateway."""
        from wechaty_puppet import PuppetOptions

        return PuppetOptions(end_point=self.endpoint, token=self.token)

    async def start(self) -> None:
        """Spawn the gateway, wait until it listens, and replay the mock state if any."""
        if self.running:
            raise GatewayError("gateway already running")
        await asyncio.to_thread(ensure_node_modules)
        self._changed = asyncio.Condition()
        self._stream_open = self._logged_in = self._exited = False
        env = dict(os.environ)
        env.setdefault("WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER", "true")
        env["WECHATY_LOG"] = self.log_level
        env.pop("WECHATY_PUPPET_SERVICE_TOKEN", None)
        t0 = time.monotonic()
        self._proc = await asyncio.create_subprocess_exec(
            shutil.which("node") or "node",
            str(GATEWAY_JS),
            "--port",
            str(self.port),
            "--token",
            self.token,
            "--heartbeat-ms",
            str(self.heartbeat_ms),
            cwd=WECHAT_DIR,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        listening: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._tasks = [
            asyncio.create_task(self._read_stdout(self._proc, listening)),
            asyncio.create_task(self._read_stderr(self._proc)),
        ]
        try:
            await asyncio.wait_for(asyncio.shield(listening), self.startup_timeout)
        except (TimeoutError, GatewayError) as exc:
            await self._terminate(kill=True)
            raise GatewayError(
                f"gateway did not start on {self.endpoint}: {exc}\n{self.stderr_tail()}"
            ) from exc
        self.startup_seconds = time.monotonic() - t0
        journal, self._journal = self._journal, []
        for entry in journal:
            await self.command(**entry)

    async def stop(self) -> None:
        """Graceful stop (PuppetServer.stop()), then wait for the process to exit."""
        if not self.running:
            await self._terminate(kill=True)
            return
        with contextlib.suppress(GatewayError, TimeoutError, ConnectionError):
            await asyncio.wait_for(self.command("stop"), 3)
        await self._terminate(kill=False)

    async def kill(self) -> None:
        """SIGKILL the gateway: a crash, as the client sees it. ``start()`` brings it back."""
        await self._terminate(kill=True)

    async def restart(self, *, crash: bool = False) -> None:
        """Stop (or ``crash=True``: SIGKILL) and start a new gateway on the same port/token.

        Contacts, rooms and the bot account are re-created with the same ids; messages are
        not (their ids are gone, as after a real gateway restart).
        """
        if crash:
            await self.kill()
        else:
            await self.stop()
        await self.start()

    async def __aenter__(self) -> WechatGateway:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @classmethod
    @contextlib.asynccontextmanager
    async def running_gateway(cls, **kwargs: Any) -> AsyncIterator[WechatGateway]:
        gw = cls(**kwargs)
        await gw.start()
        try:
            yield gw
        finally:
            await gw.stop()

    async def _terminate(self, *, kill: bool) -> None:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGKILL)
            else:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if proc is not None and proc.stdin is not None:
            proc.stdin.close()
            with contextlib.suppress(Exception):
                await proc.stdin.wait_closed()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 2)
        self._tasks = []
        self._proc = None
        self._exited = True
        self._stream_open = self._logged_in = False

    # ------------------------------------------------------------------ plumbing

    def stderr_tail(self, n: int = 30) -> str:
        lines = list(self.stderr_lines)[-n:]
        return "gateway stderr (last lines):\n  " + "\n  ".join(lines) if lines else ""

    async def _read_stderr(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            self.stderr_lines.append(line.decode(errors="replace").rstrip())

    async def _read_stdout(
        self, proc: asyncio.subprocess.Process, listening: asyncio.Future[dict[str, Any]]
    ) -> None:
        assert proc.stdout is not None
        try:
            while line := await proc.stdout.readline():
                try:
                    msg = json.loads(line)
                except ValueError:
                    self.stderr_lines.append("[stdout] " + line.decode(errors="replace").rstrip())
                    continue
                await self._dispatch(msg, listening)
        finally:
            self._exited = True
            self._stream_open = self._logged_in = False
            err = GatewayError(f"gateway process exited\n{self.stderr_tail()}")
            if not listening.done():
                listening.set_exception(err)
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(err)
            self._pending.clear()
            await self._notify()

    async def _dispatch(self, msg: dict[str, Any], listening: asyncio.Future[dict[str, Any]]) -> None:
        if "id" in msg and "event" not in msg:
            fut = self._pending.pop(msg["id"], None)
            if fut is not None and not fut.done():
                fut.set_result(msg)
            return
        ev = msg.get("event")
        if ev == "listening" and not listening.done():
            listening.set_result(msg)
        elif ev == "fatal" and not listening.done():
            listening.set_exception(GatewayError(msg.get("error", "fatal")))
        elif ev == "botSent":
            msg["at"] = time.time()  # when it reached us: crash runs tell kills apart by it
            self.sent.append(BotSent.from_event(msg))
        elif ev == "streamOpen":
            self._stream_open = True
        elif ev == "streamClosed":
            self._stream_open = False
        elif ev == "login":
            self._logged_in = True
        elif ev == "logout":
            self._logged_in = False
        if ev != "botSent":
            self.events.append(msg)
        await self._notify()

    async def _notify(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    async def _wait_for(self, check: Callable[[], Any], timeout: float) -> Any:  # noqa: ASYNC109
        """Wake on every gateway line until ``check()`` is truthy; ``TimeoutError`` otherwise."""
        assert self._changed is not None, "gateway not started"
        cond = self._changed

        async def waiter() -> Any:
            async with cond:
                while True:
                    result = check()
                    if result:
                        return result
                    if self._exited:
                        raise GatewayError(f"gateway exited while waiting\n{self.stderr_tail()}")
                    await cond.wait()

        return await asyncio.wait_for(waiter(), timeout)

    async def command(self, cmd: str, **kwargs: Any) -> dict[str, Any]:
        """Send one raw command; returns the reply (``ok`` true) or raises ``GatewayError``."""
        if not self.running or self._proc is None or self._proc.stdin is None:
            raise GatewayError(f"gateway not running (command {cmd!r})\n{self.stderr_tail()}")
        self._ids += 1
        cid = self._ids
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[cid] = fut
        self._proc.stdin.write((json.dumps({"id": cid, "cmd": cmd, **kwargs}) + "\n").encode())
        await self._proc.stdin.drain()
        reply = await asyncio.wait_for(fut, 10)
        if not reply.get("ok"):
            raise GatewayError(f"gateway command {cmd} {kwargs} failed: {reply.get('error')}")
        if cmd in _STATE_COMMANDS:
            entry = {"cmd": cmd, **kwargs}
            if "contactId" in reply and cmd in ("createBot", "createContact"):
                entry["contactId"] = reply["contactId"]
            if "roomId" in reply and cmd == "createRoom":
                entry["roomId"] = reply["roomId"]
            if cmd in ("roomAdd", "roomRemove", "roomTopic"):
                entry["silent"] = True  # no events on replay
            self._journal.append(entry)
        return reply

    # ------------------------------------------------------------------ mock WeChat

    async def create_bot(self, name: str, *, alias: str | None = None) -> str:
        """The WeChat account the bot runs as. Returns its contact id (the client's self id).

        It logs in whenever a client calls Start (the Python client's start() does Stop +
        Start, which logs the mock out and in again), so the client sees a ``login`` event.
        """
        reply = await self.command("createBot", name=name, **_opt(alias=alias))
        self.bot_id = str(reply["contactId"])
        return self.bot_id

    async def create_contact(self, name: str, *, alias: str | None = None, friend: bool = True) -> str:
        """A resident. ``alias`` is the bot's remark for them (contact payload ``alias``)."""
        reply = await self.command("createContact", name=name, friend=friend, **_opt(alias=alias))
        return str(reply["contactId"])

    async def create_room(self, topic: str, member_ids: list[str], *, owner_id: str | None = None) -> str:
        """A group chat (id ends in ``@chatroom``). Include the bot's id to have it in the room."""
        reply = await self.command(
            "createRoom", topic=topic, memberIds=list(member_ids), **_opt(ownerId=owner_id)
        )
        return str(reply["roomId"])

    async def say(
        self,
        contact_id: str,
        text: str,
        *,
        room_id: str | None = None,
        to_contact_id: str | None = None,
        mention_ids: list[str] | None = None,
        require_delivered: bool = True,
    ) -> str:
        """``contact_id`` says ``text`` in ``room_id``, or privately to ``to_contact_id``
        (default: the bot). Returns the message id the client will see.

        Raises ``AssertionError`` when no client event stream was open (the event is lost,
        as with the real service) unless ``require_delivered=False``.
        """
        reply = await self.command(
            "say",
            contactId=contact_id,
            text=text,
            **_opt(roomId=room_id, toContactId=to_contact_id, mentionIds=mention_ids),
        )
        return self._delivered(reply, require_delivered)

    async def say_media(
        self,
        contact_id: str,
        message_type: str,
        *,
        room_id: str | None = None,
        to_contact_id: str | None = None,
        text: str | None = None,
        name: str | None = None,
        require_delivered: bool = True,
    ) -> str:
        """A non-text message. ``message_type`` is a wechaty-puppet MessageType name: Image,
        Audio (voice), Video, Attachment, Emoticon, Url, Contact, Location, MiniProgram,
        Recalled, Transfer, RedEnvelope, ChatHistory, GroupNote or Unknown."""
        reply = await self.command(
            "sayMedia",
            contactId=contact_id,
            type=message_type,
            **_opt(roomId=room_id, toContactId=to_contact_id, text=text, name=name),
        )
        return self._delivered(reply, require_delivered)

    def _delivered(self, reply: dict[str, Any], require: bool) -> str:
        if require and not reply.get("delivered"):
            raise AssertionError(
                "the gateway emitted the message while no client event stream was open, so "
                "it was lost (puppet-service does not buffer events). Await "
                "gw.wait_client() (or the client's login event) first."
            )
        return str(reply["messageId"])

    async def room_add(self, room_id: str, contact_ids: list[str], *, inviter_id: str | None = None) -> None:
        """Residents join a room: the client gets ``room-join``."""
        await self.command(
            "roomAdd", roomId=room_id, contactIds=list(contact_ids), **_opt(inviterId=inviter_id)
        )

    async def room_remove(
        self, room_id: str, contact_ids: list[str], *, remover_id: str | None = None
    ) -> None:
        """Residents leave/are removed: the client gets ``room-leave``."""
        await self.command(
            "roomRemove",
            roomId=room_id,
            contactIds=list(contact_ids),
            **_opt(removerId=remover_id),
        )

    async def room_topic(self, room_id: str, topic: str, *, changer_id: str | None = None) -> None:
        """Someone renames the room: the client gets ``room-topic``."""
        await self.command("roomTopic", roomId=room_id, topic=topic, **_opt(changerId=changer_id))

    async def set_contact(
        self, contact_id: str, *, name: str | None = None, alias: str | None = None
    ) -> None:
        """Change a contact's name/alias as contact_payload() will report it (no event)."""
        await self.command("setContact", contactId=contact_id, **_opt(name=name, alias=alias))

    async def logout(self) -> None:
        """WeChat logs the bot out: the client gets ``logout``."""
        await self.command("logout")

    async def login(self) -> None:
        """Log the bot back in: the client gets ``login``."""
        await self.command("login")

    async def emit_error(self, message: str = "gateway test error") -> None:
        """The puppet emits an ``error`` event."""
        await self.command("emitError", message=message)

    async def set_return_send_ids(self, value: bool) -> None:
        """False: message_send_* return None like the stock mock (default True: the echo's id)."""
        await self.command("config", returnSendIds=value)

    async def status(self) -> dict[str, Any]:
        return await self.command("status")

    # ------------------------------------------------------------------ waiting

    async def wait_client(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until a client's event stream is open and the bot is logged in."""
        try:
            await self._wait_for(lambda: self._stream_open and self._logged_in, timeout)
        except TimeoutError:
            raise AssertionError(
                f"no client connected to {self.endpoint} within {timeout}s "
                f"(stream_open={self._stream_open}, logged_in={self._logged_in})\n"
                f"{self.stderr_tail()}"
            ) from None

    async def wait_event(
        self,
        name: str,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        timeout: float = 10,  # noqa: ASYNC109
        start: int = 0,
    ) -> dict[str, Any]:
        """First gateway event line ``name`` (from index ``start`` of ``events``)."""

        def check() -> dict[str, Any] | None:
            for ev in self.events[start:]:
                if ev.get("event") == name and (predicate is None or predicate(ev)):
                    return ev
            return None

        try:
            return dict(await self._wait_for(check, timeout))
        except TimeoutError:
            raise AssertionError(f"no gateway event {name!r} within {timeout}s") from None

    def _find_unclaimed(self, predicate: Callable[[BotSent], bool] | None) -> int | None:
        for i, s in enumerate(self.sent):
            if i not in self._claimed and (predicate is None or predicate(s)):
                return i
        return None

    async def wait_bot_sent(
        self,
        predicate: Callable[[BotSent], bool] | None = None,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> BotSent:
        """The first bot send matching ``predicate`` not returned by an earlier call.

        Sends that happened before the call count (no race with fast replies); each send is
        handed out once. Wakes on each ``botSent`` line. On timeout raises AssertionError
        listing everything the bot sent.
        """
        try:
            i: int = await self._wait_for(lambda: _plus1(self._find_unclaimed(predicate)), timeout)
        except TimeoutError:
            raise AssertionError(
                f"the bot sent nothing matching within {timeout}s; it sent:\n" + self.describe_sent()
            ) from None
        self._claimed.add(i - 1)
        return self.sent[i - 1]

    async def assert_no_bot_sent(
        self, predicate: Callable[[BotSent], bool] | None = None, within: float = 1.0
    ) -> None:
        """Fail if an unclaimed matching send appears within ``within`` seconds."""
        try:
            i: int = await self._wait_for(lambda: _plus1(self._find_unclaimed(predicate)), within)
        except TimeoutError:
            return
        raise AssertionError(
            f"the bot sent {self.sent[i - 1]!r} but should not have; all sends:\n" + self.describe_sent()
        )

    def describe_sent(self) -> str:
        if not self.sent:
            return "  (nothing)"
        return "\n".join(
            f"  {'x' if i in self._claimed else '-'} {s.kind} to "
            f"{'room ' + s.room_id if s.room_id else 'contact ' + str(s.to_id)}: {s.text!r}"
            f"{' @' + ','.join(s.mention_ids) if s.mention_ids else ''}"
            for i, s in enumerate(self.sent)
        )


def _plus1(i: int | None) -> int | None:
    return None if i is None else i + 1


def _opt(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


try:  # a ready-made fixture: `from tests.peers.wechat_gateway import wechat_gateway`
    import pytest
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def wechat_gateway() -> AsyncIterator[WechatGateway]:
        """A started gateway (fresh port and token) per test; skipped only without node."""
        reason = node_missing_reason()
        if reason:
            pytest.skip(reason)
        gw = WechatGateway()
        await gw.start()
        try:
            yield gw
        finally:
            await gw.stop()

except ImportError:  # pragma: no cover - pytest not installed
    pass
