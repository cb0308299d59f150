"""Who sees which groups in a report, and how the lines under the total are cut.

An owner of village groups sees their groups, one line each; a township or district owner their
subtree, one line per group below them (a township line counts its villages); staff everything,
one line per township. Naming a group narrows any of these to that group and the ones below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import GroupConfig
from bot.directory import Directory


@dataclass(frozen=True, slots=True)
class Line:
    """One line under the total: a name and the groups it counts."""

    key: str
    name: str
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scope:
    """What one report covers: its title, every group it counts and its lines."""

    title: str
    groups: tuple[str, ...]
    lines: tuple[Line, ...]


def _subtree(directory: Directory, g: GroupConfig) -> tuple[str, ...]:
    return tuple(x.key for x in directory.subtree(g.key))


def below(directory: Directory, root: GroupConfig) -> Scope:
    """A group and every group below it, one line per group right below it (itself when a leaf)."""
    children = directory.children(root.key)
    lines = [Line(c.key, c.name, _subtree(directory, c)) for c in children] or [
        Line(root.key, root.name, (root.key,))]
    return Scope(root.name, _subtree(directory, root), tuple(lines))


def everything(directory: Directory, title: str = "全部") -> Scope:
    """Every group, one line per township (groups outside any township each on their own)."""
    groups = directory.groups
    keys = {g.key for g in groups}
    tops = [g for g in groups if g.level == "township"]
    covered = {k for t in tops for k in _subtree(directory, t)}
    lines = [Line(t.key, t.name, _subtree(directory, t)) for t in tops]
    lines += [Line(g.key, g.name, (g.key,)) for g in groups if g.key not in covered and g.tickets]
    return Scope(title, tuple(g.key for g in groups if g.key in keys), tuple(lines))


def owned(directory: Directory, platform: str, user_id: str) -> Scope | None:
    """The groups this person owns (staff: everything), or None for someone who owns none."""
    if directory.is_staff(platform, user_id):
        return everything(directory)
    mine = directory.groups_owned_by(platform, user_id)
    if not mine:
        return None
    keys = {g.key for g in mine}
    # A township owner who also owns one of its villages: the village is already in the township.
    roots = [g for g in mine if not _has_ancestor_in(directory, g, keys)]
    if len(roots) == 1:
        return below(directory, roots[0])
    groups = tuple(dict.fromkeys(k for r in roots for k in _subtree(directory, r)))
    title = f"{roots[0].name}等 {len(roots)} 个群"
    return Scope(title, groups, tuple(Line(r.key, r.name, _subtree(directory, r)) for r in roots))


def _has_ancestor_in(directory: Directory, g: GroupConfig, keys: set[str]) -> bool:
    seen = set()
    parent = g.parent
    while parent and parent not in seen:
        if parent in keys:
            return True
        seen.add(parent)
        found = directory.group(parent)
        parent = found.parent if found else None
    return False
