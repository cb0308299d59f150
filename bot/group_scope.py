"""``[群名]`` in an owner's command: the group it names and those below it, among theirs."""

from __future__ import annotations

from bot.config import GroupConfig
from bot.directory import Directory
from bot.text import one_line


def managed_subtree(
    directory: Directory, name: str, mine: list[GroupConfig], *, hint: str, example: str,
) -> list[GroupConfig] | str:
    """The group ``name`` names (exactly, or one of ``mine`` containing it) and those below it
    that are in ``mine``; or, in Chinese, what went wrong.

    ``hint`` follows "no such group" (how to see one's groups); ``example`` is the command
    a person should write with the full name when ``name`` fits several groups.
    """
    quoted = one_line(name, 20)
    exact = directory.find(name)
    found = [exact] if exact is not None else directory.named(name, mine)
    if exact is not None and exact not in mine:
        return f"您不负责「{exact.name}」，只能查看您负责的群。"
    if not found:
        return f"您负责的群里没有叫「{quoted}」的群。{hint}"
    if len(found) > 1:
        names = "、".join(g.name for g in found[:8])
        return f"「{quoted}」对应 {len(found)} 个群：{names}。请写完整群名，例如：{example} {found[0].name}"
    keys = {g.key for g in mine}
    return [g for g in directory.subtree(found[0].key) if g.key in keys]
