"""Groups registered at run time (``绑定``), alongside those in ``bot.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class BoundGroup:
    """A group an owner registered from inside it."""

    platform: str
    chat_id: str
    key: str
    name: str
    owner_id: str
    #: The key of the group above it ('' while it hangs outside the tree).
    parent: str = ""


class GroupRepo(Protocol):
    """The ``bound_groups`` table."""

    async def bind(self, group: BoundGroup, now: datetime) -> bool:
        """Register a group; False if that chat was already registered."""

    async def set_parent(self, key: str, parent: str) -> None:
        """Hang a bound group under ``parent`` (a group key)."""

    async def all(self) -> list[BoundGroup]:
        """Every bound group, in the order they were bound."""
