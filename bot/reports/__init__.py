"""Staff reports (日报 / 周报 / 月报) and the monthly assessment ranking (考核排名), over the store.

The data side is pure: figures come from one store call per period
(:meth:`bot.store.reports.ReportRepo.period`, aggregated in SQL) and nothing here sends. The web
dashboard and the charts reuse it:

- ``period``: :class:`~bot.reports.period.Period` and ``period_of(kind, day, tz, now)``,
  ``last_complete(kind, now, tz)``, ``scheduled(kind, now, tz)``, ``parse_when(text, kind, now, tz)``
  (raises :class:`~bot.reports.period.DateError` with a Chinese message).
- ``scope``: :class:`~bot.reports.scope.Scope` (a title, its groups, its lines) from
  ``owned(directory, platform, user_id)``, ``below(directory, group)``, ``everything(directory)``.
- ``build``: ``await build(store, config, kind, scopes, period) -> list[Report]``; a
  :class:`~bot.reports.build.Report` holds ``total`` / ``before`` (this and the previous period)
  and ``lines`` as :class:`~bot.store.reports.UnitRows`; ``await figures(store, config,
  {frozenset(keys): name}, period)`` gives the raw rows for any sets of groups.
- ``render``: ``text(report, tz)`` for a private chat, ``as_json(report, tz)`` / ``unit_json``.
- ``ranking``: ``await ranking(store, config, directory, period) -> Ranking`` (documented score,
  stable order); ``ranking_text``: ``staff_text``, ``group_text``, ``group_replies``, ``as_json``.
- this module: :func:`on_demand` (what a private ``日报 …`` gets) and :func:`digest_replies`
  (every scheduled report of one slot).

Reports name residents' comments and who holds overdue tickets: they go to private chats only;
only the ranking (group-level figures) is ever posted to a group.
"""

from __future__ import annotations

from datetime import datetime

from bot.message import ChatRef, Reply
from bot.reports import render
from bot.reports.ask import request
from bot.reports.build import Report, build
from bot.reports.period import LABEL, Kind, Period
from bot.reports.scope import Scope, everything, owned
from bot.services import Services


async def empty_answer(svc: Services, report: Report) -> str | None:
    """For a period before anything was recorded: the Chinese answer saying so."""
    if not report.empty:
        return None
    first = await svc.store.reports.first_activity()
    if first is None:
        return f"{report.period.title()} 没有任何记录：还没有人登记过工单，也没有发过通知。"
    if report.period.end <= first:
        local = first.astimezone(svc.config.tz)
        return (f"{report.period.title()} 没有任何记录：最早的记录在 {local:%Y-%m-%d}。"
                f"请换一个日期，例如：{LABEL[report.kind]} {local:%Y-%m-%d}")
    return None


async def on_demand(svc: Services, platform: str, user_id: str, kind: Kind, args: str,
                    now: datetime) -> str:
    """The answer to a private ``日报 / 周报 / 月报 [群名] [日期]``."""
    asked = request(svc.directory, platform, user_id, kind, args, now)
    if isinstance(asked, str):
        return asked
    scope, period = asked
    report = (await build(svc.store, svc.config, kind, [scope], period, now))[0]
    return await empty_answer(svc, report) or render.text(report, svc.config.tz)


def audiences(svc: Services) -> list[tuple[ChatRef, Scope]]:
    """Everyone who gets scheduled reports: each owner (their groups) and each staff member."""
    out: list[tuple[ChatRef, Scope]] = []
    seen: set[ChatRef] = set()
    staff = everything(svc.directory, "全部（按街道）")
    for platform, ids in svc.config.staff.items():
        for user in ids:
            chat = ChatRef.private(platform, user)
            seen.add(chat)
            out.append((chat, staff))
    for group in svc.directory.groups:
        for owner in group.owners:
            chat = ChatRef.private(group.platform, owner)
            if chat in seen:
                continue
            seen.add(chat)
            scope = owned(svc.directory, group.platform, owner)
            if scope is not None:
                out.append((chat, scope))
    return out


async def digest_reports(svc: Services, kind: Kind, period: Period,
                         now: datetime) -> list[tuple[ChatRef, Report]]:
    """One report per owner and staff member for this period, built in two store calls."""
    who = audiences(svc)
    reports = await build(svc.store, svc.config, kind, [s for _, s in who], period, now)
    return [(chat, r) for (chat, _), r in zip(who, reports, strict=True)]


async def digest_replies(svc: Services, kind: Kind, period: Period, now: datetime) -> list[Reply]:
    """Every scheduled report of this period as a private message."""
    return [Reply(chat, render.text(r, svc.config.tz)) for chat, r in await digest_reports(svc, kind, period, now)]
