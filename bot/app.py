"""Wiring: config, store, directory, dispatcher and outbox, and the life of one message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.adapter import Adapter
from bot.config import Config
from bot.directory import Directory
from bot.dispatcher import AfterCommit, Dispatcher, Router
from bot.message import Incoming, Reply
from bot.outbox import Outbox
from bot.services import Jobs, Services
from bot.store import Store, open_store
from bot.store.errors import AlreadyStored
from bot.text import clean_text

if TYPE_CHECKING:
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

ERROR_REPLY = "抱歉，我处理这条消息时出了问题，已经记录下来。请稍后再试，或直接联系群主。"


def _storable(msg: Incoming) -> Incoming:
    """Adapters clean what they build (``clean_text``); the same step here covers any caller
    that hands a message in directly, so a lone surrogate can never stop it being stored."""
    cleaned = replace(msg, text=clean_text(msg.text), sender_name=clean_text(msg.sender_name),
                      chat_title=clean_text(msg.chat_title))
    return msg if cleaned == msg else cleaned


class App:
    """One running bot: every platform shares this store, directory and outbox.

    The routers and jobs are handed in by the caller (``bot.commands`` for the real bot, the
    test harness for tests): nothing under ``bot/`` but that composition root imports them.
    """

    def __init__(
        self, config: Config, store: Store, *, routers: Sequence[Router], jobs: Jobs,
        clock: Callable[[], datetime] | None = None, directory: Directory | None = None,
    ):
        self.config = config
        self.store = store
        self._clock = clock
        self.dispatcher = Dispatcher(routers)
        self.jobs = jobs
        self.outbox = Outbox(store, self.now)
        self.services = Services(config, store, directory or Directory(config), self.now, self.outbox)
        self.adapters: dict[str, Adapter] = {}
        self.scheduler: Scheduler | None = None

    @classmethod
    async def open(
        cls, config: Config, *, routers: Sequence[Router], jobs: Jobs,
        clock: Callable[[], datetime] | None = None,
    ) -> App:
        """Open the database and load groups bound at run time."""
        store = await open_store(config.database)
        directory = Directory(config, await store.groups.all())
        return cls(config, store, routers=routers, jobs=jobs, clock=clock, directory=directory)

    @property
    def directory(self) -> Directory:
        """Who is who: groups (configured and bound at run time), owners, staff."""
        return self.services.directory

    def now(self) -> datetime:
        """The current time in the configured zone (tests pass a clock)."""
        return self._clock() if self._clock else datetime.now(self.config.tz)

    def attach(self, adapter: Adapter) -> None:
        """Add a platform: its messages come in through :meth:`handle`, replies go out."""
        self.adapters[adapter.platform] = adapter
        self.outbox.attach(adapter)

    async def handle(self, msg: Incoming) -> list[Reply]:
        """Store a message, act on it once, queue the replies; returns them.

        The message is committed before the handler runs, so a crash while handling leaves it
        stored for :meth:`recover`. A platform that sends a message again until this returns
        (``Adapter.redelivers``) needs no such commit of its own: the message is stored in
        the transaction that handles it (:meth:`_store_and_process`), one commit instead of two.
        """
        msg = _storable(msg)
        adapter = self.adapters.get(msg.chat.platform)
        if adapter is not None and adapter.redelivers:
            return await self._store_and_process(msg)
        row = await self.store.messages.record(msg, self.now())
        if row is None:
            log.info("ignoring %s message %s seen before", msg.chat, msg.message_id)
            return []
        return await self._process(row, msg)

    async def _store_and_process(self, msg: Incoming) -> list[Reply]:
        """Store and handle a message in one transaction: all of it commits, or none.

        The message goes to the database with the handler's first statement, already marked
        handled; if it was stored before (the platform sent it again), that statement says
        so and nothing of this run is kept. A crash before the commit leaves nothing, and the
        platform sends the message again. A handler that fails rolls the message back with
        its own writes; it is then stored with the apology in a transaction of its own.
        """
        now = self.now()
        after: list[AfterCommit] = []
        row = 0
        stored = False
        try:
            async with self.store.tx():
                await self.store.messages.record_handled(msg, now)
                stored = True  # queued, at least: from here a failure is the handler's
                replies = await self.dispatcher.dispatch(self.services, msg, now, after=after)
                if after:  # handled only once the deferred work is done, as in _process
                    row = await self.store.messages.unhandle(msg)
                    await self._before_deferred(row, replies, now)
                else:
                    await self.store.outbox.enqueue_all(replies, now)
        except AlreadyStored:
            log.info("ignoring %s message %s seen before", msg.chat, msg.message_id)
            return []
        except Exception:
            if not stored:
                raise  # not stored: the adapter does not confirm it, and the platform resends
            log.exception("handling %s message %s failed", msg.chat, msg.message_id)
            apologised = await self._apologise(msg, now, None)
            if apologised is None:  # stored meanwhile (another process): its handling answers
                return []
            (row, replies), after = apologised, []
        return await self._finish(row, msg, now, replies, after)

    async def _process(self, row: int, msg: Incoming) -> list[Reply]:
        now = self.now()
        after: list[AfterCommit] = []
        try:
            # The handler's writes, the queued replies and the handled mark commit together
            # (unless the handler deferred work: the mark then waits for it, below).
            async with self.store.tx():
                replies = await self.dispatcher.dispatch(self.services, msg, now, after=after)
                if after:
                    await self._before_deferred(row, replies, now)
                else:
                    # Both go to the database with the commit: no trip to its thread of their own.
                    await self.store.outbox.enqueue_all(replies, now)
                    await self.store.messages.mark_handled(row, now)
        except Exception:
            log.exception("handling %s message %s failed", msg.chat, msg.message_id)
            apologised = await self._apologise(msg, now, row)
            assert apologised is not None  # its row was given: nothing to find out
            replies, after = apologised[1], []
        return await self._finish(row, msg, now, replies, after)

    async def _apologise(self, msg: Incoming, now: datetime, row: int | None) -> tuple[int, list[Reply]] | None:
        """After a handler failed: the apology queued and the message marked handled, in one
        transaction; the message is stored first when its row (``None``) went with the
        rollback. None if it turns out to be stored already."""
        replies = [Reply(msg.chat, ERROR_REPLY)]
        async with self.store.tx():
            if row is None:
                row = await self.store.messages.record(msg, now)
                if row is None:
                    return None
            await self.store.outbox.enqueue_all(replies, now)
            await self.store.messages.mark_handled(row, now)
        return row, replies

    async def _finish(self, row: int, msg: Incoming, now: datetime, replies: list[Reply],
                      after: list[AfterCommit]) -> list[Reply]:
        """After the commit: the handler's deferred work, then wake the senders."""
        if after:
            replies += await self._run_deferred(row, msg, now, after)
        for platform in {r.chat.platform for r in replies}:
            self.outbox.wake(platform)
        return replies

    async def _before_deferred(self, row: int, replies: list[Reply], now: datetime) -> None:
        """Queue the replies of a handler whose work runs after the commit, not yet marked handled.

        A crash before the work is done leaves the message unhandled and recovery runs the
        handler again (which is why such a handler must not write): the keys, one per reply
        of this message, keep its replies from being queued twice.
        """
        for i, reply in enumerate(replies):
            await self.store.outbox.enqueue(reply, now, f"after-commit:{row}:{i}")

    async def _run_deferred(self, row: int, msg: Incoming, now: datetime, work: list[AfterCommit]) -> list[Reply]:
        """Run a handler's deferred work outside any transaction, so other messages are stored
        and handled meanwhile; then queue its replies and mark the message handled, together."""
        try:
            replies = [reply for step in work for reply in await step()]
        except Exception:
            log.exception("work after handling %s message %s failed", msg.chat, msg.message_id)
            replies = [Reply(msg.chat, ERROR_REPLY)]
        async with self.store.tx():
            await self.store.outbox.enqueue_all(replies, now)
            await self.store.messages.mark_handled(row, now)
        return replies

    async def queue(self, replies: Sequence[Reply], dedupe_prefix: str | None = None) -> int:
        """Queue replies from a job or CLI command; returns how many were new."""
        return await self.services.queue(replies, dedupe_prefix)

    async def recover(self) -> int:
        """Handle messages stored before a crash but never acted on; returns how many."""
        pending = await self.store.messages.unhandled()
        for row, msg in pending:
            log.info("recovering unhandled %s message %s", msg.chat, msg.message_id)
            await self._process(row, msg)
        return len(pending)

    async def run(self, *, scheduler: bool = True) -> None:
        """Run every attached adapter, its outbox worker and the scheduler until one stops."""
        await self.recover()
        if scheduler:
            from bot.scheduler import Scheduler

            self.scheduler = Scheduler(self.services, self.jobs)
            self.services.scheduling = self.scheduler
            await self.scheduler.start()
        senders, receivers = [], []
        for platform, adapter in self.adapters.items():
            if not adapter.self_draining:
                senders.append(asyncio.create_task(self.outbox.run(platform), name=f"outbox-{platform}"))
            receivers.append(asyncio.create_task(adapter.run(self.handle), name=f"adapter-{platform}"))
        try:
            done, _ = await asyncio.wait([*senders, *receivers], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
        finally:
            if self.scheduler is not None:
                await self.scheduler.stop()
                self.services.scheduling = None
            # Senders stop first, while the adapters are still connected: a send under way
            # gets the platform's answer and is recorded as sent. Stopping an adapter closes
            # its connection (WeChat's gRPC channel), which cut such a send off unrecorded,
            # so it went out a second time after a clean restart.
            for group in (senders, receivers):
                for task in group:
                    task.cancel()
                await asyncio.gather(*group, return_exceptions=True)

    async def close(self) -> None:
        """Close adapters, then the database (after :meth:`run` has stopped the senders)."""
        for adapter in self.adapters.values():
            try:
                await adapter.close()
            except Exception:
                log.exception("closing the %s adapter failed", adapter.platform)
        await self.store.close()
