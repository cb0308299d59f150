"""Who is who: groups (from bot.toml and bound at run time) and each person's role."""

from __future__ import annotations

import dataclasses
from enum import IntEnum

from bot.config import Config, GridConfig, GroupConfig
from bot.kinds import BY_KEY
from bot.message import ChatRef
from bot.store.groups import BoundGroup


class Role(IntEnum):
    """What a person may do; higher includes lower."""

    RESIDENT = 0
    #: A grid worker (网格员): acts on the tickets of their grid's households only; a
    #: property-service contact ([feedback]) likewise on their groups' feedback only.
    GRID = 1
    OWNER = 2
    STAFF = 3


ROLE_LABEL = {Role.RESIDENT: "居民", Role.GRID: "网格员", Role.OWNER: "群主（社区工作人员）",
              Role.STAFF: "指挥部工作人员"}
#: Who may use a command that needs at least this role, for "only … may use it" answers.
MAY_USE = {Role.RESIDENT: "所有人", Role.GRID: "群主（社区工作人员）和网格员",
           Role.OWNER: "群主（社区工作人员）", Role.STAFF: "指挥部工作人员"}


class Directory:
    """Groups by chat and by key, and the roles of their members."""

    def __init__(self, config: Config, bound: list[BoundGroup] | None = None):
        self.config = config
        self._groups: dict[str, GroupConfig] = {}
        self._by_chat: dict[tuple[str, str], GroupConfig] = {}
        self._grids: dict[str, GridConfig] = {g.key: g for g in config.grids}
        for group in config.groups:
            self._add(group)
        for b in bound or []:
            self.add_bound(b)

    def _add(self, group: GroupConfig) -> None:
        self._groups[group.key] = group
        self._by_chat[(group.platform, group.chat_id)] = group

    def add_bound(self, b: BoundGroup) -> GroupConfig:
        """Add a group registered with 绑定 (config groups win on a clash)."""
        existing = self._by_chat.get((b.platform, b.chat_id))
        if existing is not None:
            return existing
        group = GroupConfig(key=b.key, name=b.name, platform=b.platform, chat_id=b.chat_id,
                            owners=(b.owner_id,), parent=b.parent or None)
        self._add(group)
        return group

    def set_parent(self, key: str, parent: str) -> GroupConfig:
        """A bound group hung under ``parent`` (a key) from now on."""
        group = dataclasses.replace(self._groups[key], parent=parent)
        self._add(group)
        return group

    def unattached(self) -> list[GroupConfig]:
        """Groups below district level with no parent: notices from above and escalations miss them."""
        return [g for g in self._groups.values()
                if g.level != "district" and (g.parent is None or g.parent not in self._groups)]

    @property
    def groups(self) -> list[GroupConfig]:
        """Every group, config order first."""
        return list(self._groups.values())

    def group(self, key: str) -> GroupConfig | None:
        """The group with this key."""
        return self._groups.get(key)

    def find(self, name_or_key: str) -> GroupConfig | None:
        """A group by key or by its exact name."""
        return self._groups.get(name_or_key) or next(
            (g for g in self._groups.values() if g.name == name_or_key), None
        )

    def named(self, fragment: str, among: list[GroupConfig] | None = None) -> list[GroupConfig]:
        """Groups whose name starts with ``fragment``, else those whose name contains it."""
        pool = self.groups if among is None else among
        starts = [g for g in pool if g.name.startswith(fragment)]
        return starts or [g for g in pool if fragment in g.name]

    def group_for(self, chat: ChatRef) -> GroupConfig | None:
        """The group a chat belongs to, or None for private and unknown chats."""
        return self._by_chat.get((chat.platform, chat.chat_id))

    def is_staff(self, platform: str, user_id: str) -> bool:
        """Staff act on every group."""
        return user_id in self.config.staff.get(platform, ())

    def owned_groups(self, platform: str, user_id: str) -> list[GroupConfig]:
        """The groups this person may manage: all for staff, their own for owners."""
        if self.is_staff(platform, user_id):
            return self.groups
        return self.groups_owned_by(platform, user_id)

    def groups_owned_by(self, platform: str, user_id: str) -> list[GroupConfig]:
        """The groups that list this person among their owners (staff rights do not count)."""
        return [g for g in self._groups.values() if g.platform == platform and user_id in g.owners]

    def reachable_groups(self, platform: str, user_id: str) -> list[GroupConfig]:
        """Groups this person may send notices to: their own and every group below them."""
        owned = self.owned_groups(platform, user_id)
        return list({g.key: g for o in owned for g in self.subtree(o.key)}.values())

    def role(self, platform: str, user_id: str, group: GroupConfig | None = None) -> Role:
        """The role in one group, or the highest role anywhere when ``group`` is None."""
        if self.is_staff(platform, user_id):
            return Role.STAFF
        if group is not None:
            if group.platform == platform and user_id in group.owners:
                return Role.OWNER
            grids = self.grids_of(platform, user_id)
            narrow = any(g.group == group.key for g in grids) or group.key in self.contact_groups(platform, user_id)
            return Role.GRID if narrow else Role.RESIDENT
        if self.owned_groups(platform, user_id):
            return Role.OWNER
        narrow = bool(self.grids_of(platform, user_id) or self.contact_groups(platform, user_id))
        return Role.GRID if narrow else Role.RESIDENT

    def grid(self, key: str) -> GridConfig | None:
        """The grid with this key (households may name grids that have no workers configured)."""
        return self._grids.get(key)

    def grids_of(self, platform: str, user_id: str) -> list[GridConfig]:
        """The grids this person works in (on the grid's group's platform)."""
        return [g for g in self._grids.values() if user_id in g.workers
                and (group := self._groups.get(g.group)) is not None and group.platform == platform]

    def grid_worker_chats(self, grid_key: str) -> list[ChatRef]:
        """The private chats of a grid's workers."""
        grid = self._grids.get(grid_key)
        group = self._groups.get(grid.group) if grid else None
        if grid is None or group is None:
            return []
        return [ChatRef.private(group.platform, w) for w in grid.workers]

    def contact_groups(self, platform: str, user_id: str) -> list[str]:
        """Keys of the groups whose feedback this person answers ([feedback] contacts)."""
        return [key for key, ids in self.config.feedback.contacts.items() if user_id in ids
                and (group := self._groups.get(key)) is not None and group.platform == platform]

    def may_act_on(self, platform: str, user_id: str, group_key: str, grid_key: str, kind: str = "") -> bool:
        """Whether this person may act on a ticket: they manage its group, work in its grid (for
        kinds grid workers handle), or answer its group's feedback (for kinds with contacts)."""
        if self.may_manage(platform, user_id, group_key):
            return True
        declared = BY_KEY.get(kind)
        if declared is not None and declared.has_contacts and group_key in self.contact_groups(platform, user_id):
            return True
        if declared is not None and not declared.to_grid:
            return False
        return bool(grid_key) and any(g.key == grid_key for g in self.grids_of(platform, user_id))

    def new_ticket_chats(self, group: GroupConfig, kind: str, grid_key: str) -> list[ChatRef]:
        """Who hears of a new ticket: its group's contacts for a kind that has them, else its
        grid's workers first (for kinds they handle), then the owners, or staff if none."""
        declared = BY_KEY[kind]
        contacts = self.config.feedback.contacts.get(group.key, ()) if declared.has_contacts else ()
        if contacts:
            return [ChatRef.private(group.platform, c) for c in contacts]
        chats = self.grid_worker_chats(grid_key) if grid_key and declared.to_grid else []
        owners = self.owner_chats(group) or [ChatRef.private(group.platform, s)
                                             for s in self.config.staff.get(group.platform, ())]
        return chats + [chat for chat in owners if chat not in chats]

    def managed_groups(self, platform: str, user_id: str) -> list[GroupConfig]:
        """Groups whose tickets this person may act on: their own and every group below them.

        A township owner who is told a village ticket is overdue must be able to open and
        move it.
        """
        return self.reachable_groups(platform, user_id)

    def may_manage(self, platform: str, user_id: str, group_key: str) -> bool:
        """True when this person may act on tickets of this group."""
        return any(g.key == group_key for g in self.managed_groups(platform, user_id))

    def children(self, key: str) -> list[GroupConfig]:
        """Groups directly below a group."""
        return [g for g in self._groups.values() if g.parent == key]

    def subtree(self, key: str) -> list[GroupConfig]:
        """A group and every group below it, parents before children."""
        root = self._groups.get(key)
        if root is None:
            return []
        out, queue = [], [root]
        while queue:
            node = queue.pop(0)
            out.append(node)
            queue.extend(self.children(node.key))
        return out

    def owner_chats(self, group: GroupConfig) -> list[ChatRef]:
        """The private chats of a group's owners (on the group's platform)."""
        return [ChatRef.private(group.platform, o) for o in group.owners]
