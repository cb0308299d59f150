"""WeChat through a Wechaty puppet service (gRPC), with the puppet layer of python-wechaty.

PyPI's ``wechaty`` does not import on Python 3.11, so the adapter uses
``wechaty_puppet_service.PuppetService`` directly: the same gRPC protocol every Wechaty puppet
speaks. ``PuppetService.start()`` returns only when the gateway's event stream ends (or raises
when it breaks); whatever the reason, the adapter throws that client away and reconnects with
backoff. Messages are identified by their Wechaty message id, so one delivered again after a
reconnect is recognised by the store and handled once.

Sends are paced (one per ``send_interval`` seconds per account, default 1 s) because WeChat
flags accounts that post to many groups quickly ("发送消息过于频繁"); the queue itself is the
persisted outbox, so it survives a restart, and while the gateway is away sends wait for it
(``SendError(offline=True)``) instead of using up their attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from grpclib.const import Status
from grpclib.exceptions import GRPCError
from wechaty_grpc.wechaty.puppet import MessageType
from wechaty_puppet import PuppetOptions
from wechaty_puppet_service import PuppetService

from bot import logsafe
from bot.adapter import Dispatch, SendError, SetupError
from bot.adapters.wechat_files import file_box
from bot.adapters.wechat_grpc import drop, isolated, paced, reachable
from bot.adapters.wechat_names import Names
from bot.config import WechatConfig, env_secret
from bot.directory import Directory
from bot.message import JOIN, ChatRef, Incoming, Reply
from bot.pacing import Pacer
from bot.text import clean_text

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
T = TypeVar("T")

PLATFORM = "wechat"
#: WeChat puts U+2005 (four-per-em space) after an @name.
MENTION_GAP = "\u2005"
KIND = {
    MessageType.MESSAGE_TYPE_TEXT: "text",
    MessageType.MESSAGE_TYPE_IMAGE: "image",
    MessageType.MESSAGE_TYPE_EMOTICON: "image",
    MessageType.MESSAGE_TYPE_AUDIO: "voice",
    MessageType.MESSAGE_TYPE_VIDEO: "video",
    MessageType.MESSAGE_TYPE_ATTACHMENT: "file",
}
AUTH_ERRORS = (Status.UNAUTHENTICATED, Status.PERMISSION_DENIED)
#: How long reading a message waits for a reconnect before the message is given up.
PAYLOAD_WAIT = 60.0
READ_RETRY_DELAY = 1.0
#: How long a stop waits for message events already received to be stored and handled.
STOP_GRACE = 5.0


@dataclass(frozen=True, slots=True)
class RoomJoin:
    """A room-join event: ``invitee_ids`` joined ``room_id`` (``timestamp`` as the puppet gives it)."""

    room_id: str
    invitee_ids: tuple[str, ...]
    inviter_id: str
    timestamp: int


class WechatSetupError(SetupError):
    """The adapter cannot start: no endpoint, or the gateway rejects the token."""


class WechatAdapter:
    """One WeChat account behind a Wechaty puppet-service gateway."""

    platform = PLATFORM
    max_in_flight = 1  # the pacer sends one at a time anyway
    self_draining = False
    redelivers = False  # the puppet service pushes each message once

    def __init__(
        self, endpoint: str, token: str, directory: Directory, *, send_interval: float = 1.0,
        reconnect_delays: Sequence[float] = (1, 2, 5, 10, 30, 60), payload_wait: float = PAYLOAD_WAIT,
    ):
        self.endpoint = endpoint
        self.token = token
        self.directory = directory
        self.pacer = Pacer(send_interval)
        self.reconnect_delays = tuple(reconnect_delays)
        self.payload_wait = payload_wait
        self.puppet: PuppetService | None = None
        self.self_id: str | None = None
        self.self_name = ""
        self.connected = asyncio.Event()
        self.sessions = 0
        #: Message ids and room-join events, handled one at a time in arrival order.
        self._events: asyncio.Queue[str | RoomJoin] = asyncio.Queue()
        self.received = 0  # message events received, in all sessions
        self.names = Names()
        #: Replies whose text went out before their file: a retry sends only the file.
        self._texts_sent: set[Reply] = set()
        self._closed = False

    @classmethod
    def from_env(cls, config: WechatConfig, directory: Directory) -> WechatAdapter:
        """Endpoint and token from the environment variables Wechaty users know."""
        endpoint = env_secret(config.endpoint_env)
        token = env_secret(config.token_env)
        if not endpoint:
            # Without an endpoint the client would look the token up on the internet.
            raise WechatSetupError(
                f"缺少 Wechaty 网关地址：请设置环境变量 {config.endpoint_env}（例如 127.0.0.1:8788）。")
        if ":" not in endpoint or not endpoint.rpartition(":")[2].isdigit():
            raise WechatSetupError(
                f"环境变量 {config.endpoint_env} 的网关地址「{endpoint}」格式不对，应为 主机:端口，例如 127.0.0.1:8788。")
        if not token:
            raise WechatSetupError(f"缺少 Wechaty 令牌：请设置环境变量 {config.token_env}。")
        return cls(endpoint, token, directory, send_interval=config.send_interval)

    async def run(self, dispatch: Dispatch) -> None:
        """Connect, handle events, and reconnect with backoff until closed."""
        consumer = asyncio.create_task(self._consume(dispatch), name="wechat-consumer")
        attempt = 0
        loop = asyncio.get_running_loop()
        try:
            while not self._closed:
                started = loop.time()
                await self._session()
                if self._closed:
                    break
                if loop.time() - started > 30:
                    attempt = 0  # it was up for a while: start the backoff again
                delay = self.reconnect_delays[min(attempt, len(self.reconnect_delays) - 1)]
                attempt += 1
                log.warning("WeChat: no connection to gateway %s; reconnecting in %.0fs",
                            self.endpoint, delay)
                await asyncio.sleep(delay)
        finally:
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)

    async def _session(self) -> None:
        """One connection to the gateway, until its event stream ends for whatever reason."""
        if not await reachable(self.endpoint):
            log.error("WeChat: gateway %s is unreachable (nothing accepts connections there)",
                      self.endpoint)
            return
        puppet = PuppetService(PuppetOptions(end_point=self.endpoint, token=self.token))
        puppet.on("message", self._on_message)
        puppet.on("room-join", self._on_room_join)
        puppet.on("login", self._on_login)
        puppet.on("logout", self._on_logout)
        self.puppet = puppet
        self.sessions += 1
        try:
            await isolated(puppet.start())  # runs the event stream
            log.warning("WeChat: gateway %s closed the event stream", self.endpoint)
        except asyncio.CancelledError:
            # Stopping. The gateway never sends an event again, so store (and handle) the
            # messages already received while the channel can still read their payloads.
            await self._finish_received()
            raise
        except GRPCError as exc:
            if exc.status in AUTH_ERRORS:
                raise WechatSetupError(
                    f"Wechaty 网关 {self.endpoint} 拒绝了令牌（{exc.status.name}）：请检查环境变量中的令牌。"
                ) from exc
            log.error("WeChat: gateway error %s: %s", exc.status.name, exc.message)
        except Exception as exc:  # noqa: BLE001
            # StreamTerminatedError when the gateway dies, the client's own WechatyPuppet*
            # errors, and a ValueError when the gateway sends an `error` event this client
            # cannot parse: the stream is over in every case, so reconnect.
            log.error("WeChat: connection to %s lost (%s: %s)", self.endpoint,
                      type(exc).__name__, exc)
        finally:
            self.connected.clear()
            self.puppet = None
            drop(puppet)

    def _on_message(self, payload: Any) -> None:
        self.received += 1
        self._events.put_nowait(payload.message_id)

    def _on_room_join(self, payload: Any) -> None:
        event = RoomJoin(
            str(payload.room_id or ""), tuple(str(c) for c in payload.invited_ids or () if c),
            str(payload.inviter_id or ""), int(payload.timestamp or 0))
        if not event.room_id or not event.invitee_ids:
            log.info("WeChat: room-join event without a room or people (%r); skipped", event)
            return
        self._events.put_nowait(event)

    async def _finish_received(self) -> None:
        """Until every message event received so far is handled (at most ``STOP_GRACE``)."""
        if self._events.qsize():
            log.info("WeChat: stopping once %d more received messages are stored",
                     self._events.qsize())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(STOP_GRACE):
                await self._events.join()

    def _on_login(self, payload: Any) -> None:
        self.self_id = payload.contact_id
        self.connected.set()
        asyncio.get_running_loop().create_task(self._log_login(payload.contact_id))

    async def _log_login(self, contact_id: str) -> None:
        puppet = self.puppet
        if puppet is not None:
            self.self_name = await self.names.contact(puppet, contact_id)
        log.info("WeChat: logged in as %s (%s) via %s", self.self_name or "?", contact_id,
                 self.endpoint)

    def _on_logout(self, payload: Any) -> None:
        self.connected.clear()
        log.warning("WeChat: account %s logged out (%s); sends wait until it logs in again",
                    payload.contact_id, getattr(payload, "data", ""))

    async def _consume(self, dispatch: Dispatch) -> None:
        """Handle message and room-join events one at a time, in arrival order."""
        while True:
            event = await self._events.get()
            try:
                if isinstance(event, RoomJoin):
                    for incoming in await self._read(f"room-join in {event.room_id}",
                                                     partial(self.joins, event)) or []:
                        await dispatch(incoming)
                else:
                    message = await self._read(f"message {event}", partial(self.incoming, event))
                    if message is not None:
                        await dispatch(message)
            finally:
                self._events.task_done()

    async def _read(self, what: str, read: Callable[[], Coroutine[Any, Any, T]]) -> T | None:
        """What the gateway says about an event; waits out a reconnect once before giving up."""
        for attempt in (1, 2):
            try:
                return await isolated(read())
            except Exception as exc:  # noqa: BLE001 - the gateway went away mid-read
                if attempt == 2:
                    log.error("WeChat: %s lost: its payload could not be read (%s: %s)",
                              what, type(exc).__name__, exc)
                    return None
                log.warning("WeChat: reading %s failed (%s); trying again once the gateway is back",
                            what, exc)
                # The session notices a broken stream a moment after a call fails on it.
                await asyncio.sleep(READ_RETRY_DELAY)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.payload_wait):
                        await self.connected.wait()
        return None

    async def joins(self, event: RoomJoin) -> list[Incoming]:
        """One ``join`` per person a room-join event names, the bot itself left out.

        The event has no id: each join's id is made of the person and the event's time
        (the room is part of the store's key), so a redelivered event is recognised.
        """
        puppet = self.puppet
        if puppet is None:
            raise ConnectionError("not connected")
        chat = ChatRef(PLATFORM, event.room_id)
        if self.self_id in event.invitee_ids:
            log.info("WeChat: the bot was added to room %s by %s", event.room_id, event.inviter_id)
        people = [c for c in event.invitee_ids if c != self.self_id]
        if not people:
            return []
        room = await self.names.room(puppet, event.room_id)
        if self.directory.group_for(chat) is None:
            log.info("WeChat: people joined room %s, which is not configured", event.room_id)
        admins = {getattr(room, "owner_id", ""), *(getattr(room, "admin_ids", None) or [])}
        sent_at = (datetime.fromtimestamp(_seconds(event.timestamp), UTC)
                   if event.timestamp else datetime.now(UTC))
        topic = clean_text(getattr(room, "topic", "") or "")
        return [Incoming(
            chat=chat, sender_id=contact, sender_name=clean_text(await self.names.contact(puppet, contact)),
            text="", message_id=f"join:{contact}:{int(event.timestamp)}", sent_at=sent_at,
            is_group=True, kind=JOIN, sender_is_admin=contact in admins, chat_title=topic,
        ) for contact in people]

    async def incoming(self, message_id: str) -> Incoming | None:
        """Read a message's payload into an Incoming; None for the bot's own messages."""
        puppet = self.puppet
        if puppet is None:
            raise ConnectionError("not connected")
        payload = await puppet.message_payload(message_id)
        talker = payload.from_id
        if not talker or talker == self.self_id:
            return None  # the gateway echoes the bot's own sends as message events
        kind = KIND.get(payload.type, "other")
        room_id = payload.room_id
        name = await self.names.contact(puppet, talker)
        if room_id:
            room = await self.names.room(puppet, room_id)
            topic = getattr(room, "topic", "") or ""
            admins = {getattr(room, "owner_id", ""), *(getattr(room, "admin_ids", None) or [])}
            chat = ChatRef(PLATFORM, room_id)
            if self.directory.group_for(chat) is None:
                log.info("WeChat: message from room %s (%s), which is not configured", room_id, topic)
        else:
            topic, admins, chat = "", set(), ChatRef.private(PLATFORM, talker)
        sent_at = (datetime.fromtimestamp(_seconds(payload.timestamp), UTC)
                   if payload.timestamp else datetime.now(UTC))
        return Incoming(
            chat=chat, sender_id=talker, sender_name=clean_text(name),
            text=clean_text(payload.text or "") if kind == "text" else "",
            message_id=payload.id or message_id, sent_at=sent_at, is_group=bool(room_id),
            mentions_me=bool(self.self_id and self.self_id in (payload.mention_ids or [])),
            kind=kind, sender_is_admin=talker in admins, chat_title=clean_text(topic),
        )

    async def send(self, reply: Reply) -> str | None:
        """Send one text, @-mentioning the people in ``reply.mentions``, then its file (a file
        box); paced per account.

        A join decision (``reply.action``) has nothing to act on here and is only logged.
        """
        if reply.action is not None:
            # WeChat has no join requests to decide: nothing to do, and nothing to retry.
            log.info("WeChat: %s of %s in %s is not a WeChat action; done without it",
                     "approval" if reply.action.approve else "refusal", reply.action.user_id, reply.chat)
            if not reply.text:
                return None
        puppet = self.puppet
        if puppet is None or not self.connected.is_set():
            raise SendError(f"not connected to the WeChat gateway {self.endpoint}", offline=True)
        conversation = reply.chat.user_id if reply.chat.is_private else reply.chat.chat_id
        text = reply.text
        if reply.buttons:  # WeChat has no buttons: say what to reply instead
            text += "\n（可回复：" + " ／ ".join(b.command for b in reply.buttons) + "）"
        mention_ids = [m.user_id for m in reply.mentions]
        if reply.mentions and not reply.chat.is_private:
            names = [await self.names.in_room(puppet, conversation, m.user_id, m.name)
                     for m in reply.mentions]
            text = "".join(f"@{n}{MENTION_GAP}" for n in names) + text
        message_id: str | None = None
        file = reply.attachment
        if (text or file is None) and reply not in self._texts_sent:
            message_id = await paced(
                self.pacer, conversation, lambda: puppet.message_send_text(conversation, text, mention_ids or None))
            if file is not None:
                self._texts_sent.add(reply)  # a retry sends only the file
        if file is not None:
            box = await asyncio.to_thread(file_box, file)
            if isinstance(box, str):
                log.error("WeChat: %s (%s) is too large for a file box; sending a note instead",
                          file.name, file.path)
                message_id = await paced(self.pacer, conversation, lambda: puppet.message_send_text(conversation, box))
            else:
                message_id = await paced(self.pacer, conversation, lambda: puppet.message_send_file(conversation, box))
            self._texts_sent.discard(reply)
        return message_id or None

    async def close(self) -> None:
        """Stop reconnecting, tell the gateway the bot stops, and close the gRPC channel."""
        self._closed = True
        puppet, self.puppet = self.puppet, None
        if puppet is not None:
            try:
                async with asyncio.timeout(5):
                    await puppet.stop()
            except Exception as exc:  # noqa: BLE001 - the gateway may be gone already
                log.debug("WeChat: stop on close: %s", exc)
            drop(puppet)


def _seconds(timestamp: int) -> float:
    """Wechaty timestamps are seconds or milliseconds depending on the puppet."""
    return timestamp / 1000 if timestamp > 10**11 else float(timestamp)


def create(services: Services) -> WechatAdapter:
    """The adapter ``[wechat]`` describes; endpoint and token come from the environment only."""
    adapter = WechatAdapter.from_env(services.config.wechat, services.directory)
    logsafe.adopt_library_handlers()  # the puppet packages log through handlers of their own
    return adapter
