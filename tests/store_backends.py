"""The store backends the behavioural store tests run against, and SQLite-only helpers.

A new backend (``bot.store.postgres``) adds its scheme to ``BACKENDS`` and a branch to
:func:`location`; ``tests/test_store_protocol.py`` then runs every test against it too.
"""

from __future__ import annotations

from pathlib import Path

from bot.store import Store
from bot.store.sqlite import SqliteStore
from bot.store.sqlite.base import Database

BACKENDS = ["sqlite"]


def location(backend: str, tmp_path: Path) -> str:
    """A fresh, empty database for one test on ``backend``."""
    if backend == "sqlite":
        return f"sqlite:{tmp_path / 'store.db'}"
    raise ValueError(f"no test database for backend {backend!r}")


def sqlite_db(store: Store) -> Database:
    """The SQLite connection under a store, for tests that look at the file's rows directly."""
    assert isinstance(store, SqliteStore), "a SQLite-only test ran on another backend"
    return store.db
