"""Looking at and copying a database file from outside the bot: ``doctor`` and ``backup``.

These run beside a live bot, so they never migrate, never create the file and never hold a
write lock. They are plain blocking ``sqlite3`` calls: callers run them in a thread. SQLite's
errors stay in here; callers get :class:`Inspection` values or ``StoreUnavailable``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from bot.store.maintenance import Inspection
from bot.store.sqlite.errors import unavailable

#: How long a reader waits for the bot's write lock (checkpoints) before giving up.
BUSY_MS = 10_000


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that never creates the file (and never migrates)."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True,
                               timeout=BUSY_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise unavailable(path, exc) from exc
    try:
        yield conn
    except sqlite3.Error as exc:
        raise unavailable(path, exc) from exc
    finally:
        conn.close()


def schema_facts(conn: sqlite3.Connection) -> tuple[set[str], int]:
    """The tables in a database and its schema version (0 before the first migration)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = 0
    if "schema_version" in tables:
        version = int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])
    return tables, version


def inspect(path: Path) -> Inspection:
    """Integrity, schema version and ticket count; StoreUnavailable when it is not a database."""
    with _connect(path) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = tuple(str(r[0]) for r in rows if r[0] != "ok")
        tables, version = schema_facts(conn)
        tickets = None
        if "tickets" in tables:
            tickets = int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])
        bound, loose = 0, ()
        if "bound_groups" in tables:
            bound = int(conn.execute("SELECT count(*) FROM bound_groups").fetchone()[0])
            columns = {r[1] for r in conn.execute("PRAGMA table_info(bound_groups)")}
            if "parent" in columns:
                loose = tuple(r[0] for r in conn.execute(
                    "SELECT name FROM bound_groups WHERE parent = '' ORDER BY bound_at LIMIT 50"))
    return Inspection(problems, version, tickets, bound, loose)


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database into ``target`` (an empty file) as one consistent snapshot.

    One ``backup`` step copies every page inside a single read transaction: in WAL mode the
    bot keeps writing meanwhile, and the copy is the database as of that transaction's start.
    (Copying in several steps would restart whenever the bot writes between them.)
    The copy is switched to a rollback journal so that it is one self-contained file.
    """
    with _connect(source) as src:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # is it a database at all
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
