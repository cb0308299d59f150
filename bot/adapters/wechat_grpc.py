"""Talking to the Wechaty gateway over grpclib without its two pitfalls.

PuppetService's own reachability check blocks the event loop, and grpclib cancels the task
that made a call when the connection dies under it; these helpers keep both away from the
adapter's tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

from wechaty_puppet_service import PuppetService

T = TypeVar("T")


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
