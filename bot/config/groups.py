"""``[[groups]]`` (the group tree and its owners) and ``[staff]``; Telegram people are numeric ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.config.platforms import BOT, PLATFORMS
from bot.config.reader import ConfigError, Document, Reader, Table

LEVELS = ("district", "township", "village")
LEVEL_NAMES = {"district": "区/县", "township": "街道/乡镇", "village": "村/社区"}

#: Telegram user ids are positive integers; group ids are negative (-100… for supergroups).
TELEGRAM_USER_ID = re.compile(r"\d{1,20}")
TELEGRAM_CHAT_ID = re.compile(r"-?\d{1,20}")
FIND_TELEGRAM_ID = ("查数字 ID：让本人私聊机器人发送「我的ID」（或 /id），在群里发送则同时给出群的 ID；"
                    "也可以先用 gridbot run 启动，看日志里的 chat id。")


@dataclass(frozen=True, slots=True)
class GroupConfig:
    """One chat group the bot serves."""

    key: str
    name: str
    platform: str
    chat_id: str
    level: str = "village"
    parent: str | None = None
    owners: tuple[str, ...] = ()
    review: bool = False
    #: Whether residents' requests here become tickets; None (not given) means village groups only.
    tickets: bool | None = None

    def __post_init__(self) -> None:
        if self.tickets is None:
            # District and township groups are usually cadres' work groups, not residents'.
            object.__setattr__(self, "tickets", self.level == "village")


def _groups(doc: Document) -> tuple[GroupConfig, ...]:
    platforms = doc[BOT].platforms
    groups: list[GroupConfig] = []
    for i, r in enumerate(doc.root.items("groups", "群")):
        if isinstance(r.table.get("name"), str):
            r.prefix = f"groups[{i}] ({r.table['name']})."
        r.only("groups")
        name = r.str("name")
        platform = r.str("platform", platforms[0])
        if platform not in PLATFORMS:
            raise r.fail("platform", f"不认识的平台 {platform!r}，可写 {'、'.join(PLATFORMS)} (unknown platform)")
        level = r.str("level", "village")
        if level not in LEVELS:
            raise r.fail("level", f"应是 {'、'.join(LEVELS)} 之一（区县、街道乡镇、村社区），不是 {level!r} (must be one of {', '.join(LEVELS)})")
        chat_id = r.str("chat_id", name if platform == "console" else None)
        if platform == "telegram":
            if not TELEGRAM_CHAT_ID.fullmatch(chat_id):
                raise r.fail("chat_id", f"Telegram 群的 chat_id 要写数字（如 -1001234567890），不是「{chat_id}」。"
                                        f"{FIND_TELEGRAM_ID}")
            telegram_ids(r, "owners", r.strs("owners"))
        if chat_id.startswith("@"):
            raise r.fail("chat_id", "群的 chat_id 不能以 @ 开头（@ 表示私聊）"
                                    "(a group's chat id cannot start with @)")
        groups.append(
            GroupConfig(
                key=r.str("key", name),
                name=name,
                platform=platform,
                chat_id=str(chat_id),
                level=level,
                parent=r.str("parent", "") or None,
                owners=r.strs("owners"),
                review=r.bool("review", False),
                tickets=r.bool("tickets", level == "village"),
            )
        )
    validate_hierarchy(groups, doc.path)
    return tuple(groups)


def validate_hierarchy(groups: list[GroupConfig], path: Path | str) -> None:
    """Reject duplicate keys and chats, unknown parents, cycles and levels out of order."""
    by_key: dict[str, GroupConfig] = {}
    chats: dict[tuple[str, str], str] = {}
    for i, g in enumerate(groups):
        if g.key in by_key:
            raise ConfigError(path, f"groups[{i}] ({g.name}).key", f"群的 key {g.key!r} 重复了，每个群的 key 要不同 (duplicate group key)")
        by_key[g.key] = g
        where = (g.platform, g.chat_id)
        if where in chats:
            raise ConfigError(
                path,
                f"groups[{i}] ({g.name}).chat_id",
                f"这个 {g.platform} 群 {g.chat_id!r} 已经登记为「{chats[where]}」，同一个群只能写一次 (the same chat is already a group)",
            )
        chats[where] = g.key
    for i, g in enumerate(groups):
        key = f"groups[{i}] ({g.name}).parent"
        if g.parent is None:
            continue
        parent = by_key.get(g.parent)
        if parent is None:
            raise ConfigError(path, key, f"上级群 {g.parent!r} 不存在：parent 要写某个群的 key (unknown parent group)")
        seen = {g.key}
        node: GroupConfig | None = parent
        while node is not None:
            if node.key in seen:
                raise ConfigError(path, key, f"上下级绕成了圈，经过 {node.key!r}：请检查各群的 parent (cycle in the hierarchy)")
            seen.add(node.key)
            node = by_key.get(node.parent) if node.parent else None
        if LEVELS.index(parent.level) >= LEVELS.index(g.level):
            raise ConfigError(
                path,
                key,
                f"{LEVEL_NAMES[g.level]}群不能放在{LEVEL_NAMES[parent.level]}群「{parent.name}」下面：上级的级别要更高 "
                f"(a {g.level} group cannot sit under the {parent.level} group {parent.name!r})",
            )


def _staff(doc: Document) -> Mapping[str, tuple[str, ...]]:
    r = doc.root.sub("staff")
    staff = {p: r.strs(p) for p in PLATFORMS}
    for extra in set(r.table) - set(PLATFORMS):
        raise r.fail(extra, f"不认识的平台，可写 {'、'.join(PLATFORMS)} (unknown platform)")
    telegram_ids(r, "telegram", staff["telegram"])
    return staff


def group_lookup(doc: Document) -> Callable[[str], GroupConfig | None]:
    """Find a configured group by what another table wrote for it: its key, else its name."""
    by_key = {g.key: g for g in doc[GROUPS]}
    by_name = {g.name: g for g in doc[GROUPS]}
    return lambda written: by_key.get(written) or by_name.get(written)


def telegram_ids(r: Reader, key: str, ids: tuple[str, ...]) -> None:
    """Telegram owners and staff are numeric ids: a @username can change and cannot be messaged."""
    for value in ids:
        if not TELEGRAM_USER_ID.fullmatch(value):
            kind = "@用户名" if value.startswith("@") else "不是数字 ID"
            raise r.fail(key, f"Telegram 的群主和工作人员要写数字用户 ID，「{value}」是{kind}："
                              f"用户名可以随时改，也收不到机器人的私聊，这样写他不会得到任何权限。"
                              f"{FIND_TELEGRAM_ID}")


GROUPS = Table("groups", ("key", "name", "platform", "chat_id", "level", "parent", "owners", "review", "tickets"),
               _groups, array=True)
STAFF = Table("staff", PLATFORMS, _staff)
