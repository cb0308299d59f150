"""``[feedback]``: who answers residents' suggestions and complaints (建议/投诉/意见) in a group.

    [feedback]
    contacts = { xingfu = ["物业小刘"], "阳光花园居民群" = ["物业老周"] }

Each group (by key or name) may name property-service contacts (platform ids on the group's
platform). They get that group's feedback tickets instead of its owners and may act on them,
and on nothing else; a group without contacts keeps sending feedback to its owners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.config.groups import group_lookup, telegram_ids
from bot.config.reader import Document, Reader, Table


@dataclass(frozen=True, slots=True)
class FeedbackConfig:
    """Property-service contacts by group key."""

    contacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _feedback(doc: Document) -> FeedbackConfig:
    r = doc.root.sub("feedback")
    r.only("feedback")
    raw = r.table.get("contacts", {})
    if not isinstance(raw, dict):
        raise r.fail("contacts", "应写成 { 群的key = [\"联系人ID\"] }，例如 contacts = { xingfu = [\"物业小刘\"] }"
                                 " (must be a table of group key = list of ids)")
    find_group = group_lookup(doc)
    inner = Reader(doc, raw, r.key("contacts."))
    contacts: dict[str, tuple[str, ...]] = {}
    for written in raw:
        group = find_group(written)
        if group is None:
            raise inner.fail(written, f"没有这个群 {written!r}：写 [[groups]] 里某个群的 key 或群名 (unknown group)")
        if group.key in contacts:
            raise inner.fail(written, f"群「{group.name}」写了两次，请把联系人合并到一个列表里 (duplicate group)")
        ids = inner.strs(written)
        if not ids:
            raise inner.fail(written, f"群「{group.name}」的联系人列表是空的：写上至少一个人，或删掉这一项 (empty list)")
        if group.platform == "telegram":
            telegram_ids(inner, written, ids)
        contacts[group.key] = ids
    return FeedbackConfig(contacts)


FEEDBACK = Table("feedback", ("contacts",), _feedback)
