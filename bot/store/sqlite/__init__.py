"""The SQLite implementation of :class:`bot.store.Store`: all SQL, aiosqlite and sqlite3 live here.

Nothing from the driver leaves this package: repositories return the records defined beside
their protocols in ``bot.store``, and errors arrive as :class:`bot.store.StoreUnavailable`.
"""

from __future__ import annotations

from bot.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
