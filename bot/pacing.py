"""Pacing for platforms that flag fast senders (WeChat: "发送消息过于频繁").

Telegram has PTB's AIORateLimiter; WeChat accounts have no published limit, only the warning,
so the WeChat adapter spaces its sends evenly, one at a time per account.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class Pacer:
    """At most one send per ``interval`` seconds; sends wait their turn in arrival order."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.clock = clock
        self._lock = asyncio.Lock()
        self._next = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a send slot; the next one opens ``interval`` after this one started."""
        async with self._lock:
            wait = self._next - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next = self.clock() + self.interval
            yield
