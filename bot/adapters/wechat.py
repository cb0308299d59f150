"""WeChat through a Wechaty puppet service (gRPC), with the puppet layer of python-wechaty.

PyPI's ``wechaty`` does not import on Python 3.11, so the adapter uses
``wechaty_puppet_service.PuppetService`` directly: the same gRPC protocol every Wechaty puppet
speaks. ``PuppetService.start()`` returns only when the gateway's event stream ends; the
adapter then reconnects with backoff. Messages are identified by their Wechaty message id,
so one delivered again after a reconnect is recognised by the store and handled once.

Sends are paced (one per ``send_interval`` seconds per account, default 1 s) because WeChat
flags accounts that post to many groups quickly ("发送消息过于频繁"); the queue itself is the
persisted outbox, so it survives a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError
from wechaty_grpc.wechaty.puppet import MessageType
from wechaty_puppet import PuppetOptions
from wechaty_puppet_service import PuppetService

from bot.adapter import Dispatch, SendError, SetupError
from bot.config import WechatConfig, env_secret
from bot.directory import Directory
from bot.message import ChatRef, Incoming, Reply
from bot.pacing import Pacer

log = logging.getLogger(__name__)

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


class WechatSetupError(SetupError):
    """The adapter cannot start: no endpoint, or the gateway rejects the token."""


class WechatAdapter:
    """One WeChat account behind a Wechaty puppet-service gateway."""

    platform = PLATFORM
    max_in_flight = 1  # the pacer sends one at a time anyway
    self_draining = False

    def __init__(
        self, endpoint: str, token: str, directory: Directory, *, send_interval: float = 1.0,
        reconnect_delays: Sequence[float] = (1, 2, 5, 10, 30, 60),
    ):
        self.endpoint = endpoint
        self.token = token
        self.directory = directory
        self.pacer = Pacer(send_interval)
        self.reconnect_delays = tuple(reconnect_delays)
        self.puppet: PuppetService | None = None
        self.self_id: str | None = None
        self.connected = asyncio.Event()
        self._events: asyncio.Queue[str] = asyncio.Queue()
        self._names: dict[str, str] = {}
        self._rooms: dict[str, Any] = {}
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
        if not token:
            raise WechatSetupError(f"缺少 Wechaty 令牌：请设置环境变量 {config.token_env}。")
        return cls(endpoint, token, directory, send_interval=config.send_interval)

    async def run(self, dispatch: Dispatch) -> None:
        """Connect, handle events, and reconnect with backoff until closed."""
        consumer = asyncio.create_task(self._consume(dispatch))
        attempt = 0
        try:
            while not self._closed:
                started = asyncio.get_running_loop().time()
                await self._session()
                if self._closed:
                    break
                if asyncio.get_running_loop().time() - started > 30:
                    attempt = 0  # it was up for a while: start the backoff again
                delay = self.reconnect_delays[min(attempt, len(self.reconnect_delays) - 1)]
                attempt += 1
                log.warning("WeChat: gateway %s gone; reconnecting in %.0fs", self.endpoint, delay)
                await asyncio.sleep(delay)
        finally:
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)

    async def _session(self) -> None:
        """One connection to the gateway, until its event stream ends."""
        puppet = PuppetService(PuppetOptions(end_point=self.endpoint, token=self.token))
        puppet.on("message", lambda payload: self._events.put_nowait(payload.message_id))
        puppet.on("login", self._on_login)
        puppet.on("logout", lambda payload: log.warning("WeChat: account %s logged out",
                                                         payload.contact_id))
        puppet.on("error", lambda payload: log.error("WeChat gateway error: %s", payload.data))
        self.puppet = puppet
        try:
            # Runs the event stream; returns (or raises) when the gateway goes away.
            await puppet.start()
        except GRPCError as exc:
            if exc.status in AUTH_ERRORS:
                raise WechatSetupError(
                    f"Wechaty 网关拒绝了令牌（{exc.status.name}）：请检查环境变量中的令牌。") from exc
            log.error("WeChat: gateway error %s: %s", exc.status.name, exc.message)
        except (TimeoutError, StreamTerminatedError, ConnectionError, OSError) as exc:
            log.error("WeChat: connection to %s lost: %s", self.endpoint, exc or type(exc).__name__)
        except Exception as exc:  # the client raises its own errors for an unreachable endpoint
            if type(exc).__name__.startswith("WechatyPuppet"):
                log.error("WeChat: gateway %s unreachable: %s", self.endpoint, exc)
            else:
                raise
        finally:
            self.connected.clear()
            self.puppet = None
            try:
                await puppet.stop()
            except Exception as exc:
                log.debug("WeChat: stop after disconnect: %s", exc)

    def _on_login(self, payload: Any) -> None:
        self.self_id = payload.contact_id
        self.connected.set()
        log.info("WeChat: logged in as %s via %s", payload.contact_id, self.endpoint)

    async def _consume(self, dispatch: Dispatch) -> None:
        """Handle message events one at a time, in arrival order."""
        while True:
            message_id = await self._events.get()
            try:
                incoming = await self.incoming(message_id)
            except Exception:
                log.exception("WeChat: could not read message %s", message_id)
                continue
            if incoming is not None:
                await dispatch(incoming)

    async def incoming(self, message_id: str) -> Incoming | None:
        """Read a message's payload into an Incoming; None for the bot's own messages."""
        puppet = self.puppet
        if puppet is None:
            return None
        payload = await puppet.message_payload(message_id)
        talker = payload.from_id
        if not talker or talker == self.self_id:
            return None  # the gateway echoes the bot's own sends as message events
        kind = KIND.get(payload.type, "other")
        room_id = payload.room_id
        name = await self._name(puppet, talker)
        if room_id:
            room = await self._room(puppet, room_id)
            topic = getattr(room, "topic", "") or ""
            admins = {getattr(room, "owner_id", ""), *getattr(room, "admin_ids", [])}
            chat = ChatRef(PLATFORM, room_id)
            if self.directory.group_for(chat) is None:
                log.info("WeChat: message from room %s (%s) that is not in the config", room_id, topic)
        else:
            topic, admins, chat = "", set(), ChatRef.private(PLATFORM, talker)
        sent_at = (datetime.fromtimestamp(_seconds(payload.timestamp), UTC)
                   if payload.timestamp else datetime.now(UTC))
        return Incoming(
            chat=chat, sender_id=talker, sender_name=name,
            text=(payload.text or "") if kind == "text" else "",
            message_id=payload.id or message_id, sent_at=sent_at, is_group=bool(room_id),
            mentions_me=bool(self.self_id and self.self_id in (payload.mention_ids or [])),
            kind=kind, sender_is_admin=talker in admins, chat_title=topic,
        )

    async def _name(self, puppet: PuppetService, contact_id: str) -> str:
        if contact_id not in self._names:
            try:
                contact = await puppet.contact_payload(contact_id)
                # The alias getter returns None here; the payload carries the alias.
                self._names[contact_id] = contact.alias or contact.name or contact_id
            except Exception as exc:
                log.warning("WeChat: no payload for contact %s: %s", contact_id, exc)
                return contact_id
        return self._names[contact_id]

    async def _room(self, puppet: PuppetService, room_id: str) -> Any:
        # Not cached for long: ownership and topic change; one lookup per message is cheap.
        try:
            room = await puppet.room_payload(room_id)
        except Exception as exc:
            log.warning("WeChat: no payload for room %s: %s", room_id, exc)
            return self._rooms.get(room_id)
        self._rooms[room_id] = room
        return room

    async def send(self, reply: Reply) -> str | None:
        """Send one text, @-mentioning the people in ``reply.mentions``; paced per account."""
        puppet = self.puppet
        if puppet is None or not self.connected.is_set():
            raise SendError("not connected to the WeChat gateway")
        conversation = reply.chat.user_id if reply.chat.is_private else reply.chat.chat_id
        text = reply.text
        if reply.buttons:  # WeChat has no buttons: say what to reply instead
            text += "\n（可回复：" + " ／ ".join(b.command for b in reply.buttons) + "）"
        mention_ids = [m.user_id for m in reply.mentions]
        if reply.mentions:
            text = "".join(f"@{m.name}{MENTION_GAP}" for m in reply.mentions) + text
        async with self.pacer.slot():
            try:
                message_id = await puppet.message_send_text(conversation, text, mention_ids or None)
            except GRPCError as exc:
                permanent = exc.status in (Status.NOT_FOUND, Status.INVALID_ARGUMENT)
                raise SendError(f"gateway {exc.status.name}: {exc.message}", permanent=permanent) from exc
            except (StreamTerminatedError, ConnectionError, OSError) as exc:
                raise SendError(f"connection lost: {exc}") from exc
        return message_id or None

    async def close(self) -> None:
        """Stop reconnecting and close the gRPC channel."""
        self._closed = True
        puppet, self.puppet = self.puppet, None
        if puppet is not None:
            try:
                await puppet.stop()
            except Exception as exc:
                log.debug("WeChat: stop on close: %s", exc)


def _seconds(timestamp: int) -> float:
    """Wechaty timestamps are seconds or milliseconds depending on the puppet."""
    return timestamp / 1000 if timestamp > 10**11 else float(timestamp)
