"""The reports page: 日报 / 周报 / 月报 of the viewer's groups as tables (this period against the
one before, one line per group below), the monthly ranking, the three charts and ledger downloads.

Figures come from :mod:`bot.reports` (the same store calls and the same Chinese answers to a bad
group or date as the chat's ``日报 …``); nothing is recomputed here. Reports are scoped by group,
so a grid worker, who sees only their grid's tickets, gets a note and their grid's ledger instead:
a group's report would show the other grids' overdue tickets and residents' comments.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from aiohttp import web

from bot.directory import Role
from bot.kinds import REGISTRY
from bot.reports import empty_answer
from bot.reports.ask import request as ask
from bot.reports.build import Report, average, build, rate
from bot.reports.period import KINDS, LABEL, PREVIOUS, DateError, Kind, Period, last_complete, parse_when
from bot.reports.ranking import NAMES, ranking
from bot.reports.ranking_text import method
from bot.reports.render import change, duration, percent, time_change
from bot.reports.scope import Scope, owned
from bot.services import Services
from bot.store.reports import UnitRows
from bot.web.pages import message, render, services, viewer
from bot.web.viewer import Viewer

GRID_NOTE = ("日报、周报和月报按群统计，含全群的超时工单和居民评价，网格员不能查看。"
             "您可以在下面下载您网格的工单台账，或在「工单」页查看。")


@dataclass(frozen=True)
class Asked:
    """What the page's form asks for: kind, date text, group key or name (as the address has them)."""

    kind: Kind
    at: str
    group: str

    def query(self) -> str:
        """The same choice as an address's query string (for the charts)."""
        return urlencode({"kind": self.kind, "at": self.at, "group": self.group})


def asked(request: web.Request) -> Asked | str:
    """The form's values, or what is wrong with the kind."""
    q = request.query
    kind = q.get("kind", "daily")
    if kind not in KINDS:
        return "没有这种报表：请选 日报、周报 或 月报。"
    return Asked(kind, "".join(q.get("at", "").split())[:20], q.get("group", "").strip()[:60])


def resolve(svc: Services, who: Viewer, form: Asked, now: datetime) -> tuple[Scope, Period] | str:
    """The report's scope and period, or the chat's Chinese answer to a bad date or group."""
    tz = svc.config.tz
    try:  # a date first: its answer says how to write one, whatever the group
        parse_when(form.at, form.kind, now, tz)
    except DateError as exc:
        return str(exc)
    group = svc.directory.group(form.group) if form.group else None
    name = group.name if group is not None else form.group
    return ask(svc.directory, who.person.platform, who.person.user_id, form.kind, f"{name} {form.at}".strip(), now)


def _kinds(counts: dict[tuple[str, str], int]) -> str:
    by: Counter[str] = Counter()
    for (kind, _), n in counts.items():
        by[kind] += n
    return "、".join(f"{k.label} {by[k.key]}" for k in REGISTRY if by[k.key]) or "—"


def figures(report: Report) -> list[tuple[str, str, str, str]]:
    """The table's rows: (figure, this period, the period before, change)."""
    r, b = report.total, report.before
    rows: list[tuple[str, str, str, str]] = []
    for label, now_n, before_n in (
            ("新增工单", sum(r.filed.values()), sum(b.filed.values())),
            ("办结", sum(r.done.values()), sum(b.done.values())),
            ("驳回", sum(r.rejected.values()), sum(b.rejected.values())),
            ("期末未办结", sum(r.open.values()), sum(b.open.values())),
            ("本期新增中超时", r.late, b.late),
            ("评价条数", r.ratings, b.ratings),
            ("谣言库自动答复", r.rumors_auto, b.rumors_auto),
            ("工作人员答复求证", r.rumors_staff, b.rumors_staff),
            ("通知下发（群次）", r.notices, b.notices)):
        rows.append((label, str(now_n), str(before_n), change(now_n, before_n)))
    rows.append(("新增分类", _kinds(dict(r.filed)), _kinds(dict(b.filed)), ""))
    for label, now_s, before_s in (("接单中位", r.accept.p50, b.accept.p50), ("办结中位", r.finish.p50, b.finish.p50)):
        rows.append((label, duration(now_s), duration(before_s), time_change(now_s, before_s)))
    avg, bavg = average(r), average(b)
    rows.append(("平均评分", f"{avg:.1f}" if avg is not None else "—", f"{bavg:.1f}" if bavg is not None else "—",
                 change(avg, bavg, digits=1)))
    for label, num, den, bnum, bden in (("通知回执率", r.confirmed, r.notices, b.confirmed, b.notices),
                                        ("入群率", r.joined, r.households, b.joined, b.households),
                                        ("接龙完成率", r.campaign_answered, r.campaign_asked,
                                         b.campaign_answered, b.campaign_asked)):
        now_r, before_r = rate(num, den), rate(bnum, bden)
        rows.append((label, percent(now_r), percent(before_r), change(now_r, before_r, pct=True)))
    rows.append(("目前超时未办", str(r.overdue), "", ""))
    return rows


def line_row(u: UnitRows, b: UnitRows) -> tuple[int, int, int, int, str, str]:
    """One group's line: filed, done, open, overdue, average rating, filed against before."""
    avg = average(u)
    filed = sum(u.filed.values())
    return (filed, sum(u.done.values()), sum(u.open.values()), u.overdue,
            f"{avg:.1f}" if avg is not None else "—", change(filed, sum(b.filed.values())))


def choices(svc: Services, who: Viewer) -> list[tuple[str, str]]:
    """The groups the form offers: those the viewer's reports cover (key, name)."""
    scope = owned(svc.directory, who.person.platform, who.person.user_id)
    keys = scope.groups if scope is not None else ()
    return [(k, g.name) for k in keys if (g := svc.directory.group(k)) is not None]


async def page(request: web.Request) -> web.StreamResponse:
    """``/reports?kind=daily&at=2026-11-20&group=xingfu``: one report with its charts."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return render(request, "reports.html", grid_note=GRID_NOTE)
    form = asked(request)
    if isinstance(form, str):
        return _bad(request, svc, who, Asked("daily", "", ""), form)
    now = svc.now()
    found = resolve(svc, who, form, now)
    if isinstance(found, str):
        return _bad(request, svc, who, form, found)
    scope, period = found
    report = (await build(svc.store, svc.config, form.kind, [scope], period, now))[0]
    empty = await empty_answer(svc, report) if report.empty else None
    lines = [(line.name, line_row(u, b)) for line, u, b in report.lines] if len(report.lines) > 1 else []
    return render(request, "reports.html", grid_note="", form=form, error="", report=report, empty=empty,
                  charts=form.query() if not report.empty else "",
                  kinds=[(k, LABEL[k]) for k in KINDS], groups=choices(svc, who), rows=figures(report),
                  lines=lines, previous=PREVIOUS[form.kind], label=LABEL[form.kind], duration=duration,
                  made_at=now)


def _bad(request: web.Request, svc: Services, who: Viewer, form: Asked, error: str) -> web.Response:
    return render(request, "reports.html", status=400, grid_note="", form=form, error=error, report=None,
                  empty=None, charts="", kinds=[(k, LABEL[k]) for k in KINDS], groups=choices(svc, who), rows=[],
                  lines=[], previous="", label=LABEL[form.kind], duration=duration, made_at=svc.now())


async def ranking_page(request: web.Request) -> web.StreamResponse:
    """``/reports/ranking?month=2026-10``: each group's place, score and criteria (last month by
    default). Staff see every group; an owner their own groups' places and the top of the list."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return message(request, "考核排名", ["考核排名只有群主和指挥部工作人员可以查看。"], status=403)
    month = "".join(request.query.get("month", "").split())[:20]
    now, tz = svc.now(), svc.config.tz
    try:
        period = parse_when(month, "monthly", now, tz) if month else last_complete("monthly", now, tz)
    except DateError as exc:
        return render(request, "ranking.html", status=400, month=month, error=str(exc), ranking=None)
    r = await ranking(svc.store, svc.config, svc.directory, period, now)
    mine = set(choices_keys(svc, who))
    top = svc.config.ranking.top
    shown = [s for i, s in enumerate(r.standings) if who.is_staff or s.group.key in mine or i < top]
    return render(request, "ranking.html", month=month or f"{period.start:%Y-%m}", error="", ranking=r,
                  shown=shown, names=NAMES, mine=mine, method=method(svc.config), staff=who.is_staff)


def choices_keys(svc: Services, who: Viewer) -> list[str]:
    """Keys of the groups the viewer's reports cover."""
    return [k for k, _ in choices(svc, who)]
