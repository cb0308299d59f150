"""A test-only router that records join events, so adapter tests need no production join handler.

::

    recorder = JoinRecorder()
    app = await open_app(config, routers=[*ROUTERS, recorder.router])
    ...
    assert [m.sender_name for m in recorder.seen] == ["王五"]

``answer`` (optional) turns a recorded event into replies, e.g. a JoinDecision for a request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.dispatcher import Ctx, Router
from bot.message import JOIN, JOIN_REQUEST, Incoming, Reply


@dataclass
class JoinRecorder:
    """Records every ``join`` and ``join_request`` the dispatcher hands to fallbacks."""

    answer: Callable[[Incoming], Sequence[Reply]] | None = None
    seen: list[Incoming] = field(default_factory=list)
    router: Router = field(default_factory=lambda: Router("join-recorder"))

    def __post_init__(self) -> None:
        @self.router.fallback(where="group", priority=1000)
        async def record(ctx: Ctx) -> Sequence[Reply] | None:
            if ctx.msg.kind not in (JOIN, JOIN_REQUEST):
                return None
            self.seen.append(ctx.msg)
            return self.answer(ctx.msg) if self.answer is not None else None

    def kinds(self) -> list[tuple[str, str]]:
        """``(kind, sender_id)`` of every recorded event, in order."""
        return [(m.kind, m.sender_id) for m in self.seen]
