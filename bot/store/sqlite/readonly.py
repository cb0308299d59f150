"""Look into an existing database without changing it: for ``gridbot check``.

Opening the database the normal way creates the file, switches on WAL and migrates it; a
check must not do any of that, nor leave ``-wal``/``-shm`` files behind.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

from bot.store.readonly import DatabaseState, NoDatabase
from bot.store.sqlite.base import shipped_schema_version
from bot.store.sqlite.errors import unavailable
from bot.store.sqlite.maintenance import schema_facts


def _read(path: Path) -> DatabaseState | NoDatabase:
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not path.exists():
        folder = next(p for p in path.parents if p.exists())  # "." or "/" at the latest
        if not folder.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(folder))
        return NoDatabase(folder, os.access(folder, os.W_OK | os.X_OK))
    # With a -wal file beside it the bot may be running (or stopped mid-write): read through
    # the WAL as an ordinary read-only reader. Without one, nothing else holds the file, and
    # "immutable" reads it without creating -wal/-shm files a read-only reader cannot remove.
    wal = path.with_name(path.name + "-wal").exists()
    uri = path.resolve().as_uri() + ("?mode=ro" if wal else "?mode=ro&immutable=1")
    conn = sqlite3.connect(uri, uri=True)
    try:
        tables, version = schema_facts(conn)
        bound: list[tuple[str, str]] = []
        if "bound_groups" in tables:
            bound = conn.execute("SELECT platform, chat_id FROM bound_groups").fetchall()
    finally:
        conn.close()
    return DatabaseState(version, shipped_schema_version(), tuple((str(p), str(c)) for p, c in bound))


async def peek(path: Path) -> DatabaseState | NoDatabase:
    """Read the database file without writing anything; StoreUnavailable if it cannot serve."""
    try:
        return await asyncio.to_thread(_read, path)
    except (OSError, sqlite3.Error) as exc:
        raise unavailable(path, exc) from exc
