"""Talking to the Wechaty gateway over grpclib without its two pitfalls.

PuppetService's own reachability check blocks the event loop, and grpclib cancels the task
that made a call when the connection dies under it; these helpers keep both away from the
adapter's tasks. ``paced`` makes one send in the account's pace and says how it failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError
from wechaty_puppet_service import PuppetService

from bot.adapter import SendError
from bot.pacing import Pacer

log = logging.getLogger("bot.adapters.wechat")
T = TypeVar("T")
#: The gateway does not know this conversation: sending again cannot help.
PERMANENT_SEND_ERRORS = (Status.NOT_FOUND, Status.INVALID_ARGUMENT)


async def reachable(endpoint: str, timeout: float = 3.0) -> bool:  # noqa: ASYNC109
    """Whether something accepts TCP connections at ``host:port``.

    PuppetService checks this itself with a blocking telnet call that would stall the event
    loop for up to 3 s; checked here first without blocking, it only runs when it is quick.
    """
    host, _, port = endpoint.rpartition(":")
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host or "127.0.0.1", int(port))
    except (OSError, ValueError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def isolated(call: Coroutine[Any, Any, T]) -> T:
    """Run one gRPC call in a task of its own and wait for it without sharing a cancel.

    grpclib interrupts a call blocked on a dead connection by cancelling the task that
    made it and turning that into StreamTerminatedError, without ``uncancel()``. Inside
    our own tasks that would turn a real shutdown cancel into a "connection lost" (and the
    task would carry on) or leave them marked as cancelling for good. Behind ``shield``,
    grpclib's cancels stay in the inner task and ours stay in ours.
    """
    inner = asyncio.ensure_future(call)
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        inner.cancel()
        await asyncio.wait([inner])
        raise


def drop(puppet: PuppetService) -> None:
    """Close a client's channel without calling the gateway (stop() may fail and leave it open)."""
    channel = getattr(puppet, "channel", None)
    if channel is not None:
        channel.close()
        puppet.channel = None


async def paced(pacer: Pacer, conversation: str, call: Callable[[], Coroutine[Any, Any, str]]) -> str:
    """One send to the gateway in the account's pace, its failures told as SendError."""
    async with pacer.slot():
        try:
            return await call()
        except GRPCError as exc:
            permanent = exc.status in PERMANENT_SEND_ERRORS
            raise SendError(f"gateway {exc.status.name}: {exc.message}", permanent=permanent) from exc
        except StreamTerminatedError as exc:
            # Cut off mid-call: the gateway may have sent it. The protocol has no
            # idempotency key, so the outbox sends again (at least once beats never).
            log.warning("WeChat: connection lost while sending to %s; it may have gone out "
                        "and will be sent again", conversation)
            raise SendError(f"connection lost mid-send: {exc}", offline=True) from exc
        except (ConnectionError, OSError) as exc:
            raise SendError(f"gateway unreachable: {exc}", offline=True) from exc
