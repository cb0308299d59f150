"""Look into an existing database without changing it: for ``gridbot check``.

Opening the store the normal way creates the database and migrates it; a check must not do
any of that, nor leave files behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The backend is imported where it is used: it imports these records.


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """What an existing database holds, as far as a check needs to know."""

    #: Schema version in the file (0 for an empty file) and the one this code migrates to.
    version: int
    latest: int
    #: (platform, chat id) of every group registered at run time with 绑定.
    bound_chats: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class NoDatabase:
    """No database file yet: the nearest existing folder, where ``gridbot run`` would create it."""

    folder: Path
    writable: bool


async def peek(path: Path) -> DatabaseState | NoDatabase:
    """Read the database without writing anything; StoreUnavailable if it cannot serve."""
    from bot.store.sqlite.readonly import peek as sqlite_peek

    return await sqlite_peek(path)
