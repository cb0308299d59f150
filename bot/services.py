"""What handlers and scheduled jobs work with: a narrow view of the running bot.

Handlers and jobs get a :class:`Services`, never the ``App``: the store, who is who (the
directory), the config, the time, a way to queue replies and a scheduling port. The ``App``
(adapters, the dispatcher, the run loop) builds one and hands it in, so nothing under
``handlers/`` or ``schedules/`` imports the wiring, and a handler can be tested with any store.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import Config
from bot.directory import Directory
from bot.faq import FaqCache
from bot.message import Reply
from bot.rumor_match import OpenClaims, RumorCache
from bot.store import Store

if TYPE_CHECKING:
    from bot.store.notices import Schedule


class Scheduling(Protocol):
    """The running scheduler, as a handler that adds or cancels a schedule sees it."""

    def sync(self, schedule: Schedule) -> None:
        """Add, keep or remove the timer of one schedule."""

    def next_run(self, code: str) -> datetime | None:
        """When a schedule fires next, if it is scheduled."""


class Sending(Protocol):
    """The outbox, as something to nudge when replies were queued outside a message."""

    def wake(self, platform: str | None = None) -> None:
        """Have the platform's sender look at the queue now."""

    async def drain(self, platform: str) -> int:
        """Send everything queued for ``platform`` now (the console, after each line)."""


@dataclass
class Services:
    """The store, the directory, the config, the clock, the outbox and the scheduler.

    Handlers and jobs work through it, and so do adapter factories.
    """

    config: Config
    store: Store
    directory: Directory
    clock: Callable[[], datetime]
    outbox: Sending
    #: Set while a scheduler runs (``gridbot run``); None in one-shot commands and most tests.
    scheduling: Scheduling | None = field(default=None)
    #: The rumour library's match index, loaded on first use (``bot/rumors.py``).
    rumors: RumorCache = field(default_factory=RumorCache)
    #: The open rumour tickets' claims, indexed as they come (``handlers/rumor_reports.py``).
    open_claims: OpenClaims = field(default_factory=OpenClaims)
    #: The policy Q&A index, loaded on first use (``bot/faq.py``).
    faq: FaqCache = field(default_factory=FaqCache)

    def now(self) -> datetime:
        """The current time in the configured zone (tests pass a clock)."""
        return self.clock()

    def wake(self, platforms: Sequence[str] | set[str]) -> None:
        """Nudge the senders of these platforms."""
        for platform in set(platforms):
            self.outbox.wake(platform)

    async def queue(self, replies: Sequence[Reply], dedupe_prefix: str | None = None) -> int:
        """Queue replies from a job or command (not a handler: those return theirs); how many new."""
        now = self.now()
        added = 0
        async with self.store.tx():
            for i, reply in enumerate(replies):
                key = f"{dedupe_prefix}:{i}" if dedupe_prefix else None
                if await self.store.outbox.enqueue(reply, now, key) is not None:
                    added += 1
        self.wake({r.chat.platform for r in replies})
        return added


#: APScheduler ``add_job`` trigger arguments, by the job id they are persisted under.
Triggers = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, when it runs (read from the config) and what it does.

    ``run`` queues whatever it has to say itself (under dedupe keys where a restart could run
    it twice) and returns nothing the scheduler needs.
    """

    name: str
    triggers: Callable[[Config], Triggers]
    run: Callable[[Services, datetime], Awaitable[object]]


@dataclass(frozen=True)
class Jobs:
    """Everything the scheduler runs: periodic jobs and the firing of one notice schedule."""

    periodic: Sequence[Job]
    fire: Callable[[Services, Schedule, datetime], Awaitable[object]]

    def named(self, name: str) -> Job | None:
        """The periodic job called ``name``."""
        return next((job for job in self.periodic if job.name == name), None)
