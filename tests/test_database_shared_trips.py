"""The database's shared trips that inbound handling stands on: reads sent together
(``Database.together``), a commit riding with another task's (sent marks), a read of committed
rows riding right after another task's COMMIT (the send worker), and an insert that must add
its row (``Database.defer_new``) spoiling its transaction when it adds none.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.store.errors import AlreadyStored
from bot.store.sqlite.base import Database
from tests.test_store_and_handle_one_transaction import Trace


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "trips.db")
    await database.open()
    await database.conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    await database.conn.execute("INSERT INTO t VALUES ('a', 1), ('b', 2)")
    yield database
    await database.close()


async def test_reads_started_together_share_one_trip_and_keep_their_own_errors(db: Database) -> None:
    async def two_reads() -> tuple[Any, Any]:
        first = await db.fetchone("SELECT v FROM t WHERE k = 'a'")
        return first, await db.fetchone("SELECT v FROM t WHERE k = 'b'")  # after the trip: its own

    async with Trace(db) as trace:
        one, many, (first, second) = await db.together(
            db.fetchall("SELECT k FROM t ORDER BY k"), db.fetch_many([("SELECT COUNT(*) FROM t", ())]),
            two_reads())
    assert [r[0] for r in one] == ["a", "b"] and many[0][0][0] == 2 and (first[0], second[0]) == (1, 2)
    assert trace.trips == 2
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        await db.together(db.fetchone("SELECT 1"), db.fetchone("SELECT * FROM missing"))


async def test_a_commit_from_outside_rides_with_the_open_transaction(db: Database) -> None:
    holding, go = asyncio.Event(), asyncio.Event()

    async def transaction(fail: bool) -> None:
        async with db.tx():
            await db.execute("UPDATE t SET v = v + 10 WHERE k = 'a'")
            holding.set()
            await go.wait()
            if fail:
                raise RuntimeError("rolled back")

    for fail in (False, True):
        holding.clear()
        go.clear()
        owner = asyncio.create_task(transaction(fail))
        await holding.wait()
        async with Trace(db) as trace:
            mark = asyncio.create_task(db.commit_now("UPDATE t SET v = v + 1 WHERE k = 'b'"))
            await asyncio.sleep(0.01)
            assert not mark.done()  # waits for the transaction, as the lock made it
            go.set()
            await asyncio.gather(owner, return_exceptions=True)
            await mark
        # With the commit: one trip for both; after a rollback: one of its own.
        assert trace.trips == (1 if not fail else 2)
    row = await db.fetchall("SELECT k, v FROM t ORDER BY k")
    assert [(r[0], r[1]) for r in row] == [("a", 11), ("b", 4)]


async def test_an_insert_that_adds_nothing_spoils_its_transaction_even_if_the_error_is_caught(
    db: Database,
) -> None:
    with pytest.raises(AlreadyStored):
        async with db.tx():
            db.defer_new("INSERT INTO t VALUES ('a', 5) ON CONFLICT (k) DO NOTHING", (), AlreadyStored)
            try:
                await db.fetchone("SELECT 1")
            except AlreadyStored:
                pass  # a handler that swallows errors
            with pytest.raises(AlreadyStored):
                await db.execute("INSERT INTO t VALUES ('c', 3)")
    assert [r[0] for r in await db.fetchall("SELECT k FROM t ORDER BY k")] == ["a", "b"]
    async with db.tx():  # the next transaction is clean
        db.defer_new("INSERT INTO t VALUES ('c', 3) ON CONFLICT (k) DO NOTHING", (), AlreadyStored)
    assert [r[0] for r in await db.fetchall("SELECT k FROM t ORDER BY k")] == ["a", "b", "c"]


async def test_a_read_of_committed_rows_goes_right_after_the_open_transactions_commit(db: Database) -> None:
    holding, go = asyncio.Event(), asyncio.Event()

    async def transaction(key: str) -> None:
        async with db.tx():
            await db.execute("INSERT INTO t VALUES (?, 3)", (key,))
            holding.set()
            await go.wait()

    owner = asyncio.create_task(transaction("c"))
    await holding.wait()
    async with Trace(db) as trace:
        reader = asyncio.create_task(db.fetch_committed([("SELECT k FROM t ORDER BY k", ())], wait=5))
        await asyncio.sleep(0.01)
        assert not reader.done()
        go.set()
        await owner
        [found] = await reader
    assert [r[0] for r in found] == ["a", "b", "c"] and trace.trips == 1  # in the commit's trip
    # A transaction that takes longer than the reader waits: it reads on its own, on the one
    # connection, so it sees that transaction's rows (as every read did before).
    holding.clear()
    go.clear()
    owner = asyncio.create_task(transaction("d"))
    await holding.wait()
    [counted] = await db.fetch_committed([("SELECT COUNT(*) FROM t", ())], wait=0.01)
    go.set()
    await owner
    assert counted[0][0] == 4
