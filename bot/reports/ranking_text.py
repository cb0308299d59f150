"""The ranking as staff read it (every place) and as each group hears it (its place, the top)."""

from __future__ import annotations

from typing import Any

from bot.config import Config
from bot.message import ChatRef, Reply
from bot.reports.ranking import NAMES, Ranking, Standing

#: Lines of the staff message before the middle of a long list is left out.
SHOWN = 60


def _parts(s: Standing) -> str:
    return "、".join(f"{NAMES[k]} {v:.0f}" for k, v in s.parts.items() if v is not None) or "无数据"


def _place(s: Standing) -> str:
    return f"{s.place}. {s.group.name} {s.score:.1f} 分" if s.place is not None else f"— {s.group.name} 无数据"


def method(config: Config) -> str:
    """How the score is made, in one line."""
    weights = "、".join(f"{NAMES[k]} {w:g}" for k, w in config.ranking.weights if w)
    return f"评分办法：各项满分 100，按权重（{weights}）加权平均，缺数据的项不计。"


def staff_text(r: Ranking, config: Config) -> str:
    """Every place with its criteria; a long list keeps its top and bottom."""
    head = f"【{r.period.month_label()}考核排名】共 {len(r.standings)} 个群，{r.ranked} 个有数据。"
    rows = [f"{_place(s)}（{_parts(s)}）" if s.place is not None else _place(s) for s in r.standings]
    if len(rows) > SHOWN:
        month = f"{r.period.start:%Y-%m}"
        rows = [*rows[:SHOWN - 10], f"…（中间 {len(rows) - SHOWN} 个群略；完整名单："
                f"gridbot digest ranking --at {month}）", *rows[-10:]]
    return "\n".join([head, *rows, method(config),
                      "发送「排名 发布」把本排名发到各群（各群只看到本群名次和前几名）。"])


def group_text(r: Ranking, s: Standing, config: Config) -> str:
    """What one group hears: its own place and criteria, and the top of the list."""
    month = r.period.month_label()
    top = [f"{x.place}. {x.group.name} {x.score:.1f}" for x in r.standings[:config.ranking.top]
           if x.place is not None]
    if s.place is None:
        own = f"本群（{s.group.name}）本月数据不足，未参与排名。"
    else:
        own = (f"本群（{s.group.name}）第 {s.place} 名（共 {r.ranked} 个群），得分 {s.score:.1f}。\n"
               f"本群各项：{_parts(s)}（满分 100）")
    return "\n".join([f"【{month}考核排名】{own}", f"前 {len(top)} 名：" + "；".join(top), method(config)])


def group_replies(r: Ranking, config: Config) -> list[Reply]:
    """One message per ranked group, to the group itself."""
    return [Reply(ChatRef(s.group.platform, s.group.chat_id), group_text(r, s, config)) for s in r.standings]


def as_json(r: Ranking) -> dict[str, Any]:
    """The ranking for scripts: month and every group's place, score and criteria."""
    return {"month": f"{r.period.start:%Y-%m}", "partial": r.period.partial,
            "groups": [{"place": s.place, "key": s.group.key, "name": s.group.name, "score": s.score,
                        "parts": s.parts} for s in r.standings]}
