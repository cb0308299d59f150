"""Who is looking at a page: the chat roles, applied on every request (bot/directory.py's rules)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import GroupConfig
from bot.directory import ROLE_LABEL, Directory, Role
from bot.store.web import Person
from bot.tickets import Ticket


@dataclass(frozen=True)
class Viewer:
    """A logged-in person with the role and groups they have in chat right now."""

    person: Person
    role: Role
    csrf: str
    #: Groups whose tickets and numbers they see: all for staff, their own and those below
    #: for owners, those they answer feedback for (contacts).
    groups: tuple[GroupConfig, ...]
    #: Grid keys of a grid worker.
    grids: tuple[str, ...]

    @property
    def is_staff(self) -> bool:
        """Staff see every group."""
        return self.role >= Role.STAFF

    @property
    def role_label(self) -> str:
        """The role in Chinese, for the page header."""
        return ROLE_LABEL[self.role]

    @property
    def group_keys(self) -> tuple[str, ...]:
        """Keys of :attr:`groups`."""
        return tuple(g.key for g in self.groups)


def viewer_of(directory: Directory, person: Person, csrf: str) -> Viewer | None:
    """The viewer for a session's person, or None when they no longer have a role."""
    role = directory.role(person.platform, person.user_id)
    if role < Role.GRID:
        return None
    managed = directory.managed_groups(person.platform, person.user_id)
    contacts = directory.contact_groups(person.platform, person.user_id)
    keys = {g.key for g in managed}
    groups = managed + [g for k in contacts if k not in keys and (g := directory.group(k)) is not None]
    grids = tuple(g.key for g in directory.grids_of(person.platform, person.user_id))
    return Viewer(person, role, csrf, tuple(groups), grids)


def may_see(directory: Directory, viewer: Viewer, ticket: Ticket) -> bool:
    """Whether the viewer may open and act on a ticket: the rule ``详情`` applies in chat."""
    return directory.may_act_on(viewer.person.platform, viewer.person.user_id, ticket.group_key,
                                ticket.grid_key, ticket.kind)
