"""The SQLite connection, its migrations and the one write lock every repository shares."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fcntl
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.store.sqlite.errors import unavailable

log = logging.getLogger(__name__)

_in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar("gridbot_in_tx", default=False)


#: A statement queued in the open transaction: SQL, parameters, and the error to raise when
#: it must add a row and adds none (:meth:`Database.defer_new`).
_Queued = tuple[str, tuple[Any, ...], type[Exception] | None]


@dataclass(slots=True)
class _Rider:
    """A commit from outside the open transaction that goes to the thread with its COMMIT."""

    sql: str
    rows: list[tuple[Any, ...]]
    done: asyncio.Future[None]


class _Trip:
    """Reads that :meth:`Database.together` sends to the database thread in one trip."""

    __slots__ = ("calls", "open")

    def __init__(self) -> None:
        self.calls: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
        self.open = True


_trip: contextvars.ContextVar[_Trip | None] = contextvars.ContextVar("gridbot_trip", default=None)


_BEGIN = "BEGIN IMMEDIATE"
#: How long :meth:`Database.fetch_committed` waits for the open transaction's commit before
#: reading on its own (and then, on this one connection, seeing that transaction's rows).
COMMITTED_WAIT = 1.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Written:
    """What a write reports: the new row's id and how many rows it changed."""

    lastrowid: int | None
    rowcount: int


def _commit(raw: sqlite3.Connection) -> None:
    raw.execute("COMMIT")


def _rollback(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:  # a failed BEGIN (locked by another process) left none open
        raw.execute("ROLLBACK")


def _apply(raw: sqlite3.Connection, riders: Sequence[_Rider], *, inside: bool = False) -> BaseException | None:
    """The riders' statements, all or none (the error if they failed): in a transaction of
    their own, or ``inside`` the open one under a savepoint, so that their failure leaves
    its work alone and they commit with its COMMIT (one write of the log, not two)."""
    if not riders:
        return None
    raw.execute("SAVEPOINT riders" if inside else _BEGIN)
    try:
        for rider in riders:
            raw.executemany(rider.sql, rider.rows)
    except Exception as exc:  # noqa: BLE001 - handed to the riders' waiters
        if inside:
            raw.execute("ROLLBACK TO riders")
        raw.execute("RELEASE riders" if inside else "ROLLBACK")
        return exc
    raw.execute("RELEASE riders" if inside else "COMMIT")
    return None


def _fetch_many(queries: Sequence[tuple[str, Iterable[Any]]]
                ) -> Callable[[sqlite3.Connection], list[list[aiosqlite.Row]]]:
    """Every row of each query (run on the connection's thread)."""
    batch = [(sql, tuple(params)) for sql, params in queries]

    def work(raw: sqlite3.Connection) -> list[list[aiosqlite.Row]]:
        out = []
        for sql, args in batch:
            cur = raw.execute(sql, args)
            try:
                out.append(list(cur.fetchall()))
            finally:
                cur.close()
        return out

    return work


def _each(raw: sqlite3.Connection, fns: Sequence[Callable[[sqlite3.Connection], Any]]) -> list[tuple[bool, Any]]:
    """Run several reads; each one's result, or its error, for its own waiter."""
    out: list[tuple[bool, Any]] = []
    for fn in fns:
        try:
            out.append((True, fn(raw)))
        except Exception as exc:  # noqa: BLE001 - handed to the read it belongs to
            out.append((False, exc))
    return out


def _deliver(results: Sequence[tuple[bool, Any]],
             calls: Sequence[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]]) -> None:
    """Hand each read's result or error to its waiter (one no longer waiting is skipped)."""
    for (ok, value), (_, waiting) in zip(results, calls, strict=True):
        if waiting.done():
            continue
        if ok:
            waiting.set_result(value)
        else:
            waiting.set_exception(value)


def _settle(riders: Sequence[_Rider], failed: BaseException | None) -> None:
    """Tell the riders' waiters how their commit went."""
    for rider in riders:
        if rider.done.done():
            continue
        if failed is None:
            rider.done.set_result(None)
        else:
            rider.done.set_exception(failed)


def to_db(ts: datetime) -> str:
    """Store times as UTC ISO-8601 so they sort as text."""
    if ts.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return ts.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    """The inverse of :func:`to_db`."""
    return datetime.fromisoformat(text)


class Database:
    """One aiosqlite connection in WAL mode.

    SQLite has a single writer, so writes are serialised here with one lock: a handler's
    whole effect (ticket, history, replies queued, message marked handled) commits or
    rolls back together, and no other task's statement can land inside it.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()  # the connection's one writer
        # Transactions queue here and hold it while they run, so none of them waits on
        # ``_lock``: :meth:`commit_now` gets in right after the one writing now.
        self._turn = asyncio.Lock()
        #: The open transaction's statements not yet sent to the thread (BEGIN first).
        self._pending: list[_Queued] = []
        #: Why the open transaction can no longer commit (a queued statement failed).
        self._spoiled: Exception | None = None
        #: While a transaction is open: commits from other tasks that go with its COMMIT.
        self._riders: list[_Rider] | None = None
        #: While a transaction is open: reads of committed rows that go right after its COMMIT.
        self._readers: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []

    @property
    def in_transaction(self) -> bool:
        """Whether the calling task is inside :meth:`tx` (its write lock held)."""
        return _in_tx.get()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        """Open the file, switch on WAL and bring the schema up to date.

        Raises StoreUnavailable (with nothing left open) when the path cannot serve.
        """
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with contextlib.suppress(OSError):  # exists already, or cannot: sqlite3 explains better
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                # aiosqlite's worker thread outlives a failed connect and then raises into a
                # closed loop (a traceback on exit); plain sqlite3 finds those failures first.
                _owner_only(self.path)
                await asyncio.to_thread(_probe, self.path)
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
            self._conn.row_factory = aiosqlite.Row
            await self._conn.execute("PRAGMA busy_timeout=5000")
            await self._conn.execute("PRAGMA synchronous=NORMAL")
            await self._conn.execute("PRAGMA foreign_keys=ON")
            await self._prepare()
        except (OSError, sqlite3.Error) as exc:
            await self.close()  # an open connection would keep the process from exiting
            raise unavailable(self.path, exc) from exc

    async def _prepare(self) -> None:
        """WAL mode and migrations, one process at a time.

        Two processes opening a fresh file at once (``gridbot run`` and ``notice send``) met
        where SQLite answers "database is locked" without waiting (switching the journal mode
        of a file another connection is migrating). An OS lock on ``<database>.setup`` held
        for these few statements makes them take turns; the kernel drops it if one dies.
        """
        if str(self.path) == ":memory:":
            await self._wal_and_migrate()
            return
        fd = os.open(self.path.with_name(self.path.name + ".setup"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            await self._wal_and_migrate()
        finally:
            os.close(fd)  # releases the lock

    async def _wal_and_migrate(self) -> None:
        await self.conn.execute("PRAGMA journal_mode=WAL")
        await self._migrate()

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[None]:
        """A write transaction; nested use in the same task joins the outer one.

        BEGIN goes to the connection's thread with the first statement, and statements queued
        with :meth:`defer` with the next one or with COMMIT: a transaction costs one trip to the
        thread more than its statements that return something (it cost two per BEGIN and
        COMMIT, and one per write).
        """
        if _in_tx.get():
            yield
            return
        async with self._turn, self._lock:
            token = _in_tx.set(True)
            self._pending, self._spoiled, self._riders = [(_BEGIN, (), None)], None, []
            try:
                try:
                    yield
                    if self._spoiled is not None:  # the body went on after a failed statement
                        raise self._spoiled
                    if self._begun():
                        await self._commit()
                except BaseException:
                    # Also when the commit's own trip failed (a queued statement, or COMMIT):
                    # the connection must not be left inside this transaction.
                    if self._begun():
                        self._pending = []
                        await self._call(_rollback, flush=False)
                    raise
            finally:
                self._pending, self._spoiled = [], None
                _in_tx.reset(token)
                riders, self._riders = self._riders, None
                readers, self._readers = self._readers, []
                if riders:  # the transaction ended without them: they commit on their own
                    await self._ride_alone(riders)
                if readers:  # and these read on their own
                    await self._send(readers, flush=False)

    async def _commit(self) -> None:
        """COMMIT, with the queued statements and, in the same trip, the riders' commit."""
        riders, self._riders = self._riders or [], None  # later ones wait for the lock
        readers, self._readers = self._readers, []
        reads = [fn for fn, _ in readers]

        def commit(raw: sqlite3.Connection) -> tuple[BaseException | None, list[tuple[bool, Any]]]:
            failed = _apply(raw, riders, inside=True)
            _commit(raw)
            return failed, _each(raw, reads)

        try:
            failed, results = await self._call(commit)
        except BaseException:
            self._riders, self._readers = riders, readers  # not committed: they go on their own
            raise
        _settle(riders, failed)
        _deliver(results, readers)

    async def _ride_alone(self, riders: list[_Rider]) -> None:
        """Commit riders whose transaction did not take them along (it rolled back)."""
        try:
            failed = await self._call(lambda raw: _apply(raw, riders), flush=False)
        except BaseException as exc:
            _settle(riders, exc)
            raise
        _settle(riders, failed)

    def _begun(self) -> bool:
        """Whether the transaction reached the database (something more than BEGIN is due)."""
        return not (len(self._pending) == 1 and self._pending[0][0] == _BEGIN)

    async def together(self, *aws: Awaitable[Any]) -> list[Any]:
        """Run store calls concurrently, their first reads in one trip to the database thread.

        Each awaitable runs as its own task (``asyncio.gather``) up to its first read, which
        waits here; the reads then go to the thread together, and every task goes on with its
        own result (or its own error). Later reads, and every write, go on their own. A
        message's independent look-ups (the sender's recent tickets, their household, the
        rumour library) cost one trip instead of one each.
        """
        trip = _Trip()
        token = _trip.set(trip)
        try:
            gathered = asyncio.gather(*aws)  # the tasks start with ``trip`` in their context
        finally:
            _trip.reset(token)
        try:
            await asyncio.sleep(0)  # each task runs to its first read (or to its end)
            trip.open = False
            if trip.calls:
                await self._send(trip.calls)
        except BaseException:
            trip.open = False
            gathered.cancel()
            for _, waiting in trip.calls:
                waiting.cancel()
            raise
        return list(await gathered)

    async def _send(self, calls: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]],
                    *, flush: bool = True) -> None:
        """One trip for several reads; each result or error goes to its own future."""
        fns = [fn for fn, _ in calls]
        try:
            results = await self._call(lambda raw: _each(raw, fns), flush=flush)
        except Exception as exc:  # a queued statement of the transaction failed: every read fails
            results = [(False, exc)] * len(calls)
        _deliver(results, calls)

    async def fetch_committed(self, queries: Sequence[tuple[str, Iterable[Any]]], *,
                              wait: float = COMMITTED_WAIT) -> list[list[aiosqlite.Row]]:
        """Like :meth:`fetch_many`, for a reader that wants committed rows only and can wait
        a moment for them (the send worker, woken by a commit).

        While another task's transaction is open, the queries go in the trip of its COMMIT,
        right after it (and after the commits riding with it), instead of a trip of their
        own; they see that transaction's rows as committed. Without a commit within ``wait``
        seconds (a long import, say), they go on their own.
        """
        work = _fetch_many(queries)
        if self._riders is None or _in_tx.get():
            return await self._read(work)
        waiting: asyncio.Future[list[list[aiosqlite.Row]]] = asyncio.get_running_loop().create_future()
        self._readers.append((work, waiting))
        try:
            async with asyncio.timeout(wait):
                return await asyncio.shield(waiting)
        except TimeoutError:
            waiting.cancel()  # its transaction may still answer: nobody is listening
        except asyncio.CancelledError:
            waiting.cancel()
            raise
        return await self._call(work)

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """A read: in the trip of :meth:`together` when one is gathering, else on its own."""
        trip = _trip.get()
        if trip is None or not trip.open:
            return await self._call(fn)
        waiting: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        trip.calls.append((fn, waiting))
        return await waiting

    async def _call(self, fn: Callable[[sqlite3.Connection], T], *, flush: bool = True) -> T:
        """One trip to the connection's thread: this transaction's queued statements, then ``fn``.

        Only the task inside the transaction sends its queued statements, so an error in one
        of them reaches that task (whose transaction then rolls back), never a reader's.
        """
        conn = self.conn
        pending: list[_Queued] = []
        if flush and _in_tx.get():
            if self._spoiled is not None:
                raise self._spoiled
            pending, self._pending = self._pending, []
        raw = conn._conn  # aiosqlite's own connection, used only on its worker thread
        queued_ok = False

        def work() -> T:
            nonlocal queued_ok
            for sql, params, must_add in pending:
                cur = raw.execute(sql, params)
                if must_add is not None and cur.rowcount != 1:
                    raise must_add()
            queued_ok = True
            return fn(raw)

        # aiosqlite (pinned below 1.0 in pyproject) runs callables on its one worker thread
        # through ``_execute``; a public call exists for each single statement, not for several.
        try:
            result: T = await conn._execute(work)  # type: ignore[no-untyped-call]
        except Exception as exc:
            if pending and not queued_ok:
                # Part of the transaction is missing: nothing more of it may run or commit,
                # even if the task that owns it catches this and carries on.
                self._spoiled = exc
            raise
        return result

    def defer(self, sql: str, params: Iterable[Any] = ()) -> None:
        """Queue a write whose result nobody reads; it runs before this transaction's next
        statement, or with its COMMIT. Only inside :meth:`tx`."""
        if not _in_tx.get():
            raise RuntimeError("defer() outside a transaction")
        self._pending.append((sql, tuple(params), None))

    def defer_new(self, sql: str, params: Iterable[Any], error: type[Exception]) -> None:
        """Queue an INSERT that must add its row, like :meth:`defer`; when it adds none (the
        row is there already) the trip that carries it raises ``error()`` before anything
        after it runs, and the transaction can only roll back."""
        if not _in_tx.get():
            raise RuntimeError("defer_new() outside a transaction")
        self._pending.append((sql, tuple(params), error))

    async def commit_now(self, sql: str, params: Iterable[Any] = ()) -> None:
        """One write, committed on its own ahead of the transactions waiting their turn.

        For records that must not wait behind other work (a send the platform accepted):
        a single statement outside BEGIN commits atomically, in one round trip.
        """
        if _in_tx.get():
            await self.execute(sql, params)
            return
        await self.commit_many(sql, [params])

    async def commit_many(self, sql: str, rows: Sequence[Iterable[Any]]) -> None:
        """Like :meth:`commit_now` for one statement over several rows, in one transaction and
        one trip to the thread (marks of sends that finished while the last mark committed)."""
        batch = [tuple(r) for r in rows]
        if _in_tx.get():  # the caller's own transaction commits them
            await self.executemany(sql, batch)
            return
        rider = _Rider(sql, batch, asyncio.get_running_loop().create_future())
        if self._riders is not None:
            # Another task's transaction holds the connection: ride with its COMMIT, which is
            # when the lock would have let this in, instead of a trip of its own after it.
            self._riders.append(rider)
        else:
            async with self._lock:
                _settle([rider], await self._call(lambda raw: _apply(raw, [rider])))
        await rider.done

    async def write_one(self, sql: str, params: Iterable[Any] = ()) -> Written:
        """One statement committed on its own (SQLite makes it atomic), in its turn behind the
        transactions queued before it: a transaction's result in one trip instead of three."""
        if _in_tx.get():
            return await self.execute(sql, params)
        async with self._turn, self._lock:
            return await self.execute(sql, params)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> Written:
        """Run one statement (inside a transaction when it writes)."""
        args = tuple(params)

        def work(raw: sqlite3.Connection) -> Written:
            cur = raw.execute(sql, args)
            try:
                return Written(cur.lastrowid, cur.rowcount)
            finally:
                cur.close()

        return await self._call(work)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        """Run one statement once per row, inside a transaction (an import)."""
        batch = [tuple(r) for r in rows]
        await self._call(lambda raw: raw.executemany(sql, batch).close())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None (one trip to the thread)."""
        args = tuple(params)

        def work(raw: sqlite3.Connection) -> aiosqlite.Row | None:
            cur = raw.execute(sql, args)
            try:
                row: aiosqlite.Row | None = cur.fetchone()
                return row
            finally:
                cur.close()

        return await self._read(work)

    async def fetch_many(self, queries: Sequence[tuple[str, Iterable[Any]]]) -> list[list[aiosqlite.Row]]:
        """Every row of each query, all in one trip to the thread."""
        return await self._read(_fetch_many(queries))

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Every row of a query (one trip to the thread)."""
        args = tuple(params)

        def work(raw: sqlite3.Connection) -> list[aiosqlite.Row]:
            cur = raw.execute(sql, args)
            try:
                return list(cur.fetchall())
            finally:
                cur.close()

        return await self._read(work)

    async def _migrate(self) -> None:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
        )
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
        current = int(row["v"]) if row else 0
        for version, name, sql in _migrations():
            if version <= current:
                continue
            async with self.tx():
                if await self._applied(version):  # another process (notice send at start-up) did it
                    continue
                log.info("applying migration %03d %s to %s", version, name, self.path)
                for statement in _split_sql(sql):
                    await self.execute(statement)
                await self.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version, to_db(datetime.now(UTC))),
                )

    async def _applied(self, version: int) -> bool:
        """Whether a migration is in, read inside the write transaction that would apply it."""
        row = await self.fetchone("SELECT 1 FROM schema_version WHERE version = ?", (version,))
        return row is not None


#: Files SQLite keeps beside a database in WAL mode.
SIDE_FILES = ("-wal", "-shm")


def db_files(path: Path) -> list[Path]:
    """The database file and its WAL/SHM files (whether they exist or not)."""
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)]


SQLITE_HEADER = b"SQLite format 3\x00"


def _probe(path: Path) -> None:
    """Raise sqlite3's own error when ``path`` cannot be opened or is not a database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    finally:
        conn.close()


def _owner_only(path: Path) -> None:
    """Narrow a database (or its -wal/-shm) that others can read to its owner.

    SQLite gives -wal and -shm the database file's mode, so a 0600 database keeps them 0600.
    A file that is not a database (a wrong --db) is left alone: the open fails right after.
    """
    with contextlib.suppress(OSError):
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
        if head and head != SQLITE_HEADER:
            return
    narrowed = []
    for file in db_files(path):
        try:
            if file.is_file() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
                narrowed.append(file.name)
        except OSError as exc:
            log.warning("cannot make %s readable by its owner only: %s", file, exc.strerror)
    if narrowed:
        log.warning("others could read %s; now readable by the owner only (0600)", ", ".join(narrowed))


def shipped_schema_version() -> int:
    """The number of the newest migration this version of Gridbot carries."""
    return max((v for v, _, _ in _migrations()), default=0)


def _migrations() -> list[tuple[int, str, str]]:
    """Numbered ``NNN_name.sql`` files shipped in ``bot/store/sqlite/migrations``, in order."""
    found = []
    for entry in resources.files("bot.store.sqlite").joinpath("migrations").iterdir():
        stem, dot, ext = entry.name.partition(".")
        if ext != "sql" or not stem[:3].isdigit():
            continue
        found.append((int(stem[:3]), stem[4:], entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (a trigger's body keeps its semicolons)."""
    statements: list[str] = []
    current = ""
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        current += line + "\n"
        # SQLite's own tokenizer knows where CREATE TRIGGER ... END; ends.
        if sqlite3.complete_statement(current):
            statements.append(current.strip().removesuffix(";").strip())
            current = ""
    return [s for s in (*statements, current.strip()) if s]
