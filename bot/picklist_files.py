"""Pick lists as files: the XLSX under ``data/reports/`` (beside the database) and the JSON list.

:func:`make` is the one service the chat command (``配菜单``) and the CLI (``gridbot picklist``)
share: build the day's list of a group and, when it has errands, write the printable XLSX and
return its path with it (a platform that takes files sends it; the path is the file to send).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot import picklist
from bot.config import Config, GroupConfig
from bot.picklist import Building
from bot.picklist_xlsx import write_xlsx
from bot.store import Store


@dataclass(frozen=True)
class PickList:
    """One group's pick list of one day, and its XLSX when it was written."""

    group: GroupConfig
    day: date
    buildings: list[Building]
    path: Path | None

    @property
    def text(self) -> str:
        """The chat version."""
        return picklist.text(self.group.name, self.day, self.buildings)


def reports_dir(config: Config) -> Path:
    """Where generated reports go: ``reports/`` beside the database (``data/reports/`` by default)."""
    return config.database.parent / "reports"


async def make(store: Store, config: Config, group: GroupConfig, day: date, *,
               out: Path | None = None, xlsx: bool = True) -> PickList:
    """Build a group's pick list of ``day``; with errands and ``xlsx``, write it (to ``out`` or
    ``data/reports/picklist-<group>-<day>.xlsx``)."""
    buildings = await picklist.build(store, group.key, day, config.tz)
    path = None
    if buildings and xlsx:
        target = out or reports_dir(config) / f"picklist-{group.key}-{day.isoformat()}.xlsx"
        heading = picklist.title(group.name, day, buildings)
        path = write_xlsx(heading, buildings, target)
    return PickList(group, day, buildings, path)


def as_json(buildings: list[Building]) -> str:
    """``[{"building", "households": [{"address", "name", "phone", "items", "tickets"}]}]``."""
    return json.dumps([b.as_json() for b in buildings], ensure_ascii=False, indent=1)
