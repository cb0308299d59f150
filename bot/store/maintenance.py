"""Looking at and copying a store from outside the bot: ``doctor`` and ``backup``.

These run beside a live bot, so they never migrate, never create the database and never hold
a write lock. They block: callers run them in a thread. Errors arrive as ``StoreUnavailable``.
Only SQLite has files to look at today; another backend adds its own branch here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The backend is imported where it is used: it imports these records.


@dataclass(frozen=True, slots=True)
class Inspection:
    """What ``PRAGMA integrity_check`` and the schema say about one database file."""

    problems: tuple[str, ...]
    schema_version: int
    tickets: int | None
    #: Groups registered with 绑定 (each has the owner who bound it).
    bound_groups: int = 0
    #: Names of bound groups with no parent (outside the tree).
    unattached: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the integrity check passed."""
        return not self.problems


def inspect(path: Path) -> Inspection:
    """Integrity, schema version and ticket count; StoreUnavailable when it is not a database."""
    from bot.store.sqlite.maintenance import inspect as sqlite_inspect

    return sqlite_inspect(path)


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database into ``target`` (an empty file) as one consistent snapshot."""
    from bot.store.sqlite.maintenance import online_backup as sqlite_online_backup

    sqlite_online_backup(source, target)


def db_files(path: Path) -> list[Path]:
    """Every file the database at ``path`` keeps (whether they exist or not)."""
    from bot.store.sqlite.base import db_files as sqlite_db_files

    return sqlite_db_files(path)


def shipped_schema_version() -> int:
    """The number of the newest migration this version of Gridbot carries."""
    from bot.store.sqlite.base import shipped_schema_version as sqlite_shipped_schema_version

    return sqlite_shipped_schema_version()
