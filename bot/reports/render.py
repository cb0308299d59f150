"""Reports as text for a private chat and as JSON for scripts, the dashboard and charts.

Texts name residents' comments and who holds overdue tickets: they go to private chats only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.kinds import REGISTRY, kind_of
from bot.reports.build import Report, average, rate
from bot.reports.period import LABEL, PREVIOUS
from bot.store.reports import Spread, UnitRows
from bot.tickets import CATEGORY_LABEL, STATUS_LABEL


def duration(secs: float | None) -> str:
    """Seconds in Chinese: 40 秒, 12 分钟, 3.5 小时, 2.1 天; — when unknown."""
    if secs is None:
        return "—"
    if secs < 60:
        return f"{secs:.0f} 秒"
    if secs < 3600:
        return f"{secs / 60:.0f} 分钟"
    if secs < 86400 * 2:
        return f"{secs / 3600:.1f} 小时"
    return f"{secs / 86400:.1f} 天"


def percent(value: float | None) -> str:
    """A rate as a whole percentage (— when there is nothing to divide)."""
    return "—" if value is None else f"{value * 100:.0f}%"


def change(now: float | None, before: float | None, *, pct: bool = False, digits: int = 0) -> str:
    """+3 / −2 / 持平 against the period before; pct: in percentage points."""
    if now is None or before is None:
        return "上期无" if before is None and now is not None else "—"
    diff = (now - before) * (100 if pct else 1)
    shown = f"{abs(diff):.{digits}f}"
    if float(shown) == 0:
        return "持平"
    return f"{'+' if diff > 0 else '-'}{shown}{' 个百分点' if pct else ''}"


def _by_kind(counts: Mapping[tuple[str, str], int]) -> Counter[str]:
    out: Counter[str] = Counter()
    for (kind, _), n in counts.items():
        out[kind] += n
    return out


def _kinds_line(counts: Mapping[tuple[str, str], int]) -> str:
    kinds = _by_kind(counts)
    parts = []
    for k in REGISTRY:
        if kinds[k.key]:
            cats = sorted(((n, c) for (kk, c), n in counts.items() if kk == k.key), key=lambda x: (-x[0], x[1]))
            detail = "、".join(f"{CATEGORY_LABEL.get(c, c)} {n}" for n, c in cats)
            parts.append(f"{k.label} {kinds[k.key]}（{detail}）")
    return "；".join(parts)


def _spread(s: Spread) -> str:
    return f"中位 {duration(s.p50)}、P90 {duration(s.p90)}（{s.n} 张）" if s.n else "无"


def text(report: Report, tz: ZoneInfo) -> str:
    """The report as one private message."""
    r, b, kind = report.total, report.before, report.kind
    prev = PREVIOUS[kind] + ("同期" if report.period.partial else "")
    head = f"【工作{LABEL[kind]}】{report.scope.title} · {report.period.title()}"
    if report.empty:
        return f"{head}\n本期没有新工单、办结、评价、通知或接龙记录，也没有未办结的工单。"
    filed, done, rejected = (sum(x.values()) for x in (r.filed, r.done, r.rejected))
    bfiled, bdone, brejected = (sum(x.values()) for x in (b.filed, b.done, b.rejected))
    still, bstill = sum(r.open.values()), sum(b.open.values())
    lines = [head, f"（括号内为较{prev}）",
             f"工单：新增 {filed}（{change(filed, bfiled)}），办结 {done}（{change(done, bdone)}），"
             f"驳回 {rejected}（{change(rejected, brejected)}），期末未办结 {still}（{change(still, bstill)}）"]
    if r.filed:
        lines.append(f"  新增分类：{_kinds_line(r.filed)}")
    if r.done:
        lines.append(f"  办结分类：{_kinds_line(r.done)}")
    lines.append(f"时效：接单 {_spread(r.accept)}；办结 {_spread(r.finish)}"
                 f"（较{prev}：接单中位 {time_change(r.accept.p50, b.accept.p50)}，"
                 f"办结中位 {time_change(r.finish.p50, b.finish.p50)}）")
    lines.append(f"超时：本期新增工单中超时 {r.late} 张（{change(r.late, b.late)}）；"
                 f"目前超时未办 {r.overdue} 张")
    for t in r.overdue_list:
        waited = duration((report.made_at - t.created_at).total_seconds())
        holder = t.holder or "未接单"
        lines.append(f"  · {t.code} {t.group_name} {kind_of(t.kind).label} {STATUS_LABEL.get(t.status, t.status)}"
                     f"，经办：{holder}，已等 {waited}")
    avg, bavg = average(r), average(b)
    rating = f"平均 {avg:.1f} 分，{r.ratings} 条（{change(avg, bavg, digits=1)}）" if avg is not None else "本期无评价"
    lines.append(f"评价：{rating}")
    for low in r.lowest:
        said = f"「{low.comment}」" if low.comment else "（未留言）"
        lines.append(f"  · {low.code} {low.group_name} {low.score} 分{said}")
    if r.rumors_auto or r.rumors_staff:
        lines.append(f"谣言求证：谣言库自动答复 {r.rumors_auto} 条（{change(r.rumors_auto, b.rumors_auto)}），"
                     f"工作人员答复 {r.rumors_staff} 条（{change(r.rumors_staff, b.rumors_staff)}）")
    receipt, breceipt = rate(r.confirmed, r.notices), rate(b.confirmed, b.notices)
    if r.notices:
        lines.append(f"通知：下发 {r.notices} 群次，回执率 {percent(receipt)}（{change(receipt, breceipt, pct=True)}），"
                     f"回执中位 {duration(r.confirm.p50)}")
    if r.households:
        joined, bjoined = rate(r.joined, r.households), rate(b.joined, b.households)
        lines.append(f"入群率：{percent(joined)}（{r.joined}/{r.households} 户，{change(joined, bjoined, pct=True)}）")
    if r.campaign_asked:
        done_rate = rate(r.campaign_answered, r.campaign_asked)
        before_rate = rate(b.campaign_answered, b.campaign_asked)
        lines.append(f"接龙完成率：{percent(done_rate)}（{r.campaign_answered}/{r.campaign_asked} 户次，"
                     f"{change(done_rate, before_rate, pct=True)}）")
    if len(report.lines) > 1:
        lines.append("分群：")
        for line, u, _ in report.lines:
            avg_line = average(u)
            lines.append(f"  · {line.name}：新增 {sum(u.filed.values())} 办结 {sum(u.done.values())} "
                         f"未办结 {sum(u.open.values())} 超时 {u.overdue}"
                         + (f" 评分 {avg_line:.1f}" if avg_line is not None else ""))
    return "\n".join(lines)


def time_change(now: float | None, before: float | None) -> str:
    """A duration's change against the period before, in words."""
    if now is None or before is None:
        return "上期无" if before is None and now is not None else "—"
    diff = now - before
    return "持平" if abs(diff) < 60 else f"{'慢' if diff > 0 else '快'} {duration(abs(diff))}"


def _spread_json(s: Spread) -> dict[str, Any]:
    return {"n": s.n, "p50_s": s.p50, "p90_s": s.p90}


def _nested(counts: Mapping[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (kind, category), n in sorted(counts.items()):
        out.setdefault(kind, {})[category] = n
    return out


def unit_json(u: UnitRows, tz: ZoneInfo) -> dict[str, Any]:
    """One unit's figures as plain JSON values (durations in seconds, rates 0–1)."""
    return {
        "filed": _nested(u.filed), "done": _nested(u.done), "rejected": _nested(u.rejected),
        "open": dict(sorted(u.open.items())), "late": u.late,
        "accept": _spread_json(u.accept), "finish": _spread_json(u.finish),
        "overdue": u.overdue,
        "overdue_tickets": [{"code": t.code, "group": t.group_name, "kind": t.kind, "status": t.status,
                             "holder": t.holder, "filed_at": _iso(t.created_at, tz)} for t in u.overdue_list],
        "ratings": {"count": u.ratings, "average": average(u),
                    "lowest": [{"code": x.code, "group": x.group_name, "score": x.score, "comment": x.comment}
                               for x in u.lowest]},
        "rumors": {"auto": u.rumors_auto, "staff": u.rumors_staff},
        "notices": {"delivered": u.notices, "confirmed": u.confirmed,
                    "receipt_rate": rate(u.confirmed, u.notices), "confirm": _spread_json(u.confirm)},
        "households": {"total": u.households, "joined": u.joined, "join_rate": rate(u.joined, u.households)},
        "campaigns": {"asked": u.campaign_asked, "answered": u.campaign_answered,
                      "completion": rate(u.campaign_answered, u.campaign_asked)},
    }


def _iso(ts: datetime, tz: ZoneInfo) -> str:
    return ts.astimezone(tz).isoformat(timespec="seconds")


def as_json(report: Report, tz: ZoneInfo) -> dict[str, Any]:
    """The report as a JSON object: period, scope, total, previous period and each line."""
    p = report.period
    return {
        "kind": report.kind, "title": report.scope.title,
        "period": {"start": _iso(p.start, tz), "end": _iso(p.end, tz), "partial": p.partial},
        "previous": {"start": _iso(p.previous().start, tz), "end": _iso(p.previous().end, tz)},
        "groups": list(report.scope.groups), "empty": report.empty,
        "total": unit_json(report.total, tz), "before": unit_json(report.before, tz),
        "lines": [{"key": line.key, "name": line.name, "figures": unit_json(u, tz),
                   "before": unit_json(b, tz)} for line, u, b in report.lines],
    }
