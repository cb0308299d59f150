"""A database as an older release left it: every migration before a given one, for tests of
the migrations that change existing rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store.sqlite.base import _migrations, _split_sql


def database_before(path: Path, version: int, applied_at: str) -> sqlite3.Connection:
    """Apply the migrations older than ``version`` to a new file at ``path`` (autocommit)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for number, _, sql in _migrations():
        if number >= version:
            break
        conn.execute("BEGIN")
        for statement in _split_sql(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, ?)", (number, applied_at))
        conn.execute("COMMIT")
    return conn
