"""``[[teams]]``: volunteer squads (志愿者小分队) that take errands of some categories.

    [[teams]]
    key = "peisong"
    name = "配送小分队"
    categories = ["groceries", "medicine"]   # or their labels: "买菜/生活物资", "买药/就医"
    group = "peisong-team"                    # the [[groups]] entry where its volunteers are
    leaders = ["王队长"]                      # platform ids; approve sign-ups like the group's owners
    serves = ["dongcheng"]                    # optional: errands of these groups (and below) only
    repost_after_minutes = 30                 # unclaimed this long: posted again, owners told

An errand of one of its categories is posted to the team's group for volunteers to take.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.groups import group_lookup, telegram_ids
from bot.config.reader import Document, Table
from bot.kinds import BY_KEY

#: Errand categories a team may serve, by key and by Chinese label.
_CATEGORIES = dict(BY_KEY["errand"].categories)
_BY_LABEL = {label: key for key, label in _CATEGORIES.items()}


@dataclass(frozen=True, slots=True)
class TeamConfig:
    """One volunteer squad."""

    key: str
    name: str
    #: Errand category keys it takes (``groceries`` …).
    categories: tuple[str, ...]
    #: The key of the group its volunteers are in (the cards are posted there).
    group: str
    leaders: tuple[str, ...] = ()
    #: Group keys whose errands (and their subtrees') it takes; empty: every group's.
    serves: tuple[str, ...] = ()
    repost_after_minutes: int = 30


def _teams(doc: Document) -> tuple[TeamConfig, ...]:
    find_group = group_lookup(doc)
    out: dict[str, TeamConfig] = {}
    for i, r in enumerate(doc.root.items("teams", "小分队")):
        if isinstance(r.table.get("name"), str):
            r.prefix = f"teams[{i}] ({r.table['name']})."
        r.only("teams")
        name = r.str("name")
        key = r.str("key", name)
        if key in out or any(t.name == name for t in out.values()):
            raise r.fail("key", f"小分队 {key!r}（{name}）重复了，每个小分队的 key 和名字都要不同 (duplicate team)")
        written = r.str("group")
        group = find_group(written)
        if group is None:
            raise r.fail("group", f"没有这个群 {written!r}：写志愿者所在群在 [[groups]] 里的 key 或群名 (unknown group)")
        categories = []
        for c in r.strs("categories"):
            found = c if c in _CATEGORIES else _BY_LABEL.get(c)
            if found is None:
                known = "、".join(f"{k}（{v}）" for k, v in _CATEGORIES.items())
                raise r.fail("categories", f"没有这个代办类别 {c!r}，可写：{known} (unknown errand category)")
            categories.append(found)
        if not categories:
            raise r.fail("categories", "至少写一个代办类别，例如 categories = [\"groceries\"] (categories is required)")
        serves = []
        for s in r.strs("serves"):
            served = find_group(s)
            if served is None:
                raise r.fail("serves", f"没有这个群 {s!r}：写所服务的群的 key 或群名 (unknown group)")
            serves.append(served.key)
        leaders = r.strs("leaders")
        if group.platform == "telegram":
            telegram_ids(r, "leaders", leaders)
        minutes = r.table.get("repost_after_minutes", 30)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise r.fail("repost_after_minutes", f"应是不小于 1 的整数（分钟：没人接单多久后重发并告知群主），不是 {minutes!r}；"
                                                 "例如 repost_after_minutes = 30")
        out[key] = TeamConfig(key, name, tuple(categories), group.key, leaders, tuple(serves), minutes)
    return tuple(out.values())


TEAMS = Table("teams", ("key", "name", "categories", "group", "leaders", "serves", "repost_after_minutes"),
              _teams, array=True)
