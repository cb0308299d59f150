"""The adapter contract: how one chat platform plugs into Gridbot.

An adapter turns native updates into :class:`Incoming` and hands each to ``dispatch``; it
sends :class:`Reply` values when the outbox asks. Native SDK objects never leave the adapter.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from bot.adapters import REGISTRY
from bot.message import Incoming, Reply

if TYPE_CHECKING:
    from bot.services import Services

#: Stores and handles one message; returns the replies it queued (adapters may use them,
#: e.g. to answer a Telegram button tap with a short toast).
Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]


class SetupError(Exception):
    """An adapter cannot start: missing or rejected credentials, a bad endpoint. In Chinese."""


class SendError(Exception):
    """A send failed.

    ``permanent``: retrying cannot help (chat gone, bot blocked). ``offline``: the platform
    is out of reach (gateway down, network gone); the send waits for it without using up
    its attempts, however long the outage lasts.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float = 0.0,
        offline: bool = False,
    ):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.offline = offline


class Adapter(Protocol):
    """One chat platform."""

    platform: str
    #: Sends the outbox may have in flight at once on this platform.
    max_in_flight: int
    #: True when the adapter drains the outbox itself (the console prints replies in order).
    self_draining: bool
    #: True when the platform sends a message again until ``dispatch`` has returned for it
    #: (Telegram confirms an update only then): the message may then be stored in the same
    #: transaction that handles it, since a crash before its commit loses nothing. Otherwise
    #: it is stored, committed, and only then handled.
    redelivers: bool

    async def run(self, dispatch: Dispatch) -> None:
        """Receive updates and dispatch them until cancelled or closed."""
        ...

    async def send(self, reply: Reply) -> str | None:
        """Send or edit one message; return the platform's message id if it gives one."""
        ...

    async def close(self) -> None:
        """Release connections; safe to call twice."""
        ...


def make_adapter(name: str, services: Services) -> Adapter:
    """The adapter for one registered platform name; secrets come from the environment only."""
    adapter: Adapter = importlib.import_module(REGISTRY[name].module).create(services)
    return adapter
