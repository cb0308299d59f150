"""Sends what the handlers and schedules queued: persisted, ordered per chat, retried.

Every reply is a row in the ``outbox`` table before any adapter sees it, so a restart
resends what was not confirmed. A failing chat backs off on its own; other chats go on.
Pacing against platform limits is the adapter's job (PTB's rate limiter, WeChat's pacer);
``max_in_flight`` only bounds how many sends the outbox has open at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.adapter import Adapter, SendError
from bot.message import Reply
from bot.store import OutboxItem, Store

log = logging.getLogger(__name__)

SENT, RETRY, GAVE_UP = "sent", "retry", "gave up"
#: Rows may be queued by another process (``gridbot notice send``): look at least this often.
POLL_SECONDS = 2.0
#: How long shutdown waits for sends already under way, so they are not sent again later.
SHUTDOWN_GRACE = 5.0
#: How often a send waiting for an offline platform tries again.
OFFLINE_RETRY = 5.0
#: Sent in place of an attachment whose file was gone when its turn came.
FILE_GONE = "（文件「{name}」已找不到，未能发送，请重新生成。）"


class Outbox:
    """Per-platform send workers over the persisted outbox."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], *, max_attempts: int = 8,
        base_backoff: float = 2.0, max_backoff: float = 600.0,
    ):
        self.store = store
        self.clock = clock
        self.max_attempts = max_attempts
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.adapters: dict[str, Adapter] = {}
        self._wake: dict[str, asyncio.Event] = {}
        self._drain_locks: dict[str, asyncio.Lock] = {}
        #: Sends the platform accepted, waiting for the mark under way to commit (see _mark_sent).
        self._marks: list[tuple[int, str | None, asyncio.Future[None]]] = []
        self._marking: asyncio.Task[None] | None = None

    def attach(self, adapter: Adapter) -> None:
        """Send this platform's rows through ``adapter``."""
        self.adapters[adapter.platform] = adapter
        self._wake.setdefault(adapter.platform, asyncio.Event())

    def wake(self, platform: str | None = None) -> None:
        """Tell a worker (or all) that new rows are queued."""
        for name, event in self._wake.items():
            if platform is None or name == platform:
                event.set()

    async def drain(self, platform: str) -> int:
        """Send every due row of a platform now, strictly in queue order; returns how many."""
        adapter = self.adapters[platform]
        async with self._drain_locks.setdefault(platform, asyncio.Lock()):
            return await self._drain(adapter, platform)

    async def _drain(self, adapter: Adapter, platform: str) -> int:
        sent = 0
        while True:
            now = self.clock()
            blocked: set[str] = set()
            progressed = False
            for item in await self.store.outbox.pending(platform):
                chat = item.reply.chat.chat_id
                if chat in blocked or item.next_attempt_at > now:
                    blocked.add(chat)
                    continue
                outcome = await self._send(adapter, item)
                if outcome == SENT:
                    sent += 1
                if outcome == RETRY:
                    blocked.add(chat)  # later rows of this chat wait behind the retry
                else:
                    progressed = True
            if not progressed:
                return sent

    async def run(self, platform: str) -> None:
        """Send a platform's rows as they become due, until cancelled."""
        adapter = self.adapters[platform]
        wake = self._wake[platform]
        in_flight: dict[str, asyncio.Task[str]] = {}
        sending: dict[str, int] = {}  # chat -> the row under way
        # A send's end wakes the worker only when it may let another row go: its chat has
        # later rows (seen in the look that started it, or in one while it was under way),
        # it did not go (a retry time to read), or due rows were left for want of a slot.
        # Otherwise the next queued row wakes it: a look after every send found nothing
        # most of the time, a trip to the database thread each.
        look_again: set[str] = set()
        backlog = False

        def finished(chat: str) -> Callable[[asyncio.Task[str]], None]:
            def done(task: asyncio.Task[str]) -> None:
                in_flight.pop(chat, None)
                sending.pop(chat, None)
                went = not task.cancelled() and task.exception() is None and task.result() == SENT
                if chat in look_again or backlog or not went:
                    look_again.discard(chat)
                    wake.set()
            return done

        try:
            while True:
                wake.clear()
                now = self.clock()
                slots = max(adapter.max_in_flight - len(in_flight), 0)
                # What is due and when the next is due, in one look at the database; the
                # chats under way come back too, to tell whether rows wait behind their send.
                asked = slots + len(in_flight)
                rows, next_at = await self.store.outbox.due_and_next(platform, now, asked)
                free = []
                for item in rows:
                    chat = item.reply.chat.chat_id
                    if chat not in in_flight:
                        free.append(item)
                    elif item.id != sending.get(chat) or item.more_in_chat:
                        look_again.add(chat)
                backlog = len(rows) >= asked or len(free) > slots  # the look may have been cut short
                for item in free[:slots]:
                    chat = item.reply.chat.chat_id
                    if item.more_in_chat:
                        look_again.add(chat)
                    task = asyncio.create_task(self._send(adapter, item))
                    in_flight[chat], sending[chat] = task, item.id
                    task.add_done_callback(finished(chat))
                timeout = _idle_timeout(next_at, now, busy=bool(in_flight))
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
                # cancel that lands as its timeout expires, and the worker would never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await wake.wait()
        finally:
            # A send under way may already have reached the platform: let it record that.
            running = list(in_flight.values())
            if running:
                await asyncio.wait(running, timeout=SHUTDOWN_GRACE)
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _send(self, adapter: Adapter, item: OutboxItem) -> str:
        """One attempt; returns SENT, RETRY or GAVE_UP."""
        try:
            message_id = await adapter.send(_with_file_checked(item))
        except asyncio.CancelledError:
            raise
        except SendError as exc:
            if exc.offline:
                return await self._offline(item, str(exc), exc.retry_after)
            return await self._failed(item, str(exc), exc.permanent, exc.retry_after)
        except Exception as exc:  # an adapter bug or a network error: retry, never crash
            log.exception("send #%d to %s failed", item.id, item.reply.chat)
            return await self._failed(item, f"{type(exc).__name__}: {exc}", False, 0.0)
        # The platform has it: nothing may come between this answer and the commit that
        # records it, not even a shutdown's cancel (a send cut off here goes out again).
        mark = self._mark_sent(item.id, message_id)
        try:
            await asyncio.shield(mark)
        except asyncio.CancelledError:
            await mark
            raise
        return SENT

    def _mark_sent(self, item_id: int, message_id: str | None) -> asyncio.Future[None]:
        """Have a send marked sent; resolves when the mark has committed.

        A mark goes to the database at once when none is under way. Sends that the platform
        accepts while one is under way wait for it (as they waited for the database before)
        and then commit together, in one statement and one trip to the database thread. No
        mark waits longer than it would alone, so a crash still repeats at most the sends
        whose answer came in since the last commit: one per chat with a send under way.
        """
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._marks.append((item_id, message_id, done))
        if self._marking is None or self._marking.done():
            self._marking = asyncio.create_task(self._commit_marks())
        return done

    async def _commit_marks(self) -> None:
        """Commit the waiting marks, in batches, until none is left."""
        while self._marks:
            batch, self._marks = self._marks, []
            try:
                if len(batch) == 1:
                    item_id, message_id, _ = batch[0]
                    await self.store.outbox.mark_sent(item_id, message_id, self.clock())
                else:
                    await self.store.outbox.mark_sent_many(
                        [(item_id, message_id) for item_id, message_id, _ in batch], self.clock())
            except BaseException as exc:
                for *_, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _offline(self, item: OutboxItem, error: str, retry_after: float) -> str:
        """The platform is out of reach: wait for it, without spending an attempt."""
        delay = max(retry_after, OFFLINE_RETRY)
        log.info("send #%d to %s waits for the platform (%s); next try in %.0fs",
                 item.id, item.reply.chat, error, delay)
        await self.store.outbox.mark_retry(item.id, error, self.clock() + timedelta(seconds=delay),
                                           count=False)
        return RETRY

    async def _failed(self, item: OutboxItem, error: str, permanent: bool, retry_after: float) -> str:
        attempts = item.attempts + 1
        if permanent or attempts >= self.max_attempts:
            log.error("giving up on send #%d to %s after %d attempts: %s",
                      item.id, item.reply.chat, attempts, error)
            await self.store.outbox.mark_failed(item.id, error)
            return GAVE_UP
        delay = max(retry_after, min(self.max_backoff, self.base_backoff * 2 ** (attempts - 1)))
        log.warning("send #%d to %s failed (%s); retry %d in %.1fs",
                    item.id, item.reply.chat, error, attempts, delay)
        await self.store.outbox.mark_retry(item.id, error, self.clock() + timedelta(seconds=delay))
        return RETRY


def _with_file_checked(item: OutboxItem) -> Reply:
    """The reply to send; one whose file is gone goes as text with a note instead.

    Retrying cannot bring a deleted file back, and the person should still hear something.
    """
    file = item.reply.attachment
    if file is None or os.path.isfile(file.path):
        return item.reply
    log.error("send #%d to %s: attachment %s is gone (%s); sending the text with a note instead",
              item.id, item.reply.chat, file.name, file.path)
    note = FILE_GONE.format(name=file.name)
    return replace(item.reply, text=f"{item.reply.text}\n{note}" if item.reply.text else note,
                   attachment=None)


def _idle_timeout(next_at: datetime | None, now: datetime, *, busy: bool) -> float | None:
    """How long to sleep: until the next retry is due, or until woken."""
    if next_at is None:
        return POLL_SECONDS
    delay = (next_at - now).total_seconds()
    if delay <= 0:
        # Due now but its chat is busy: the running send wakes us when it ends.
        return POLL_SECONDS if busy else 0.05
    return min(delay, POLL_SECONDS)
