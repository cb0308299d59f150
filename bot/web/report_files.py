"""What the reports page links to: its three charts as PNGs and the ticket ledger (台账) as CSV
or XLSX, each checked against the viewer's role on every request.

Charts are drawn in a worker thread with no transaction open; the three pictures of one scope
and period are drawn once and kept briefly, so a page's three ``<img>`` cost one drawing. A
ledger streams page by page (keyset on the ticket id) in the viewer's scope: staff every ticket,
owners their groups and those below, grid workers their grid; each download is in the audit log.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from urllib.parse import quote

from aiohttp import web

from bot import charts, export
from bot.directory import Role
from bot.reports.period import LABEL, Period
from bot.reports.scope import Scope
from bot.services import Services
from bot.web.login import actor
from bot.web.pages import message, services, viewer
from bot.web.reports import asked, resolve
from bot.web.viewer import Viewer

log = logging.getLogger(__name__)
PAGE = 500
CHUNK = 64 * 1024
#: Drawn chart sets kept (a few viewers looking at a few periods), and for how long.
KEPT = 16
FRESH = timedelta(minutes=2)
SAFE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'"}

Key = tuple[frozenset[str], str, datetime, datetime]


class ChartCache:
    """Chart sets being drawn or drawn lately, shared by the requests of the same set."""

    def __init__(self) -> None:
        self.sets: OrderedDict[Key, tuple[datetime, asyncio.Task[list[bytes]]]] = OrderedDict()

    def get(self, key: Key, now: datetime) -> asyncio.Task[list[bytes]] | None:
        """The task drawing (or that drew) ``key``, if fresh and not failed."""
        held = self.sets.get(key)
        if held is None or now - held[0] >= FRESH or (held[1].done() and held[1].exception()):
            return None
        return held[1]

    def put(self, key: Key, now: datetime, task: asyncio.Task[list[bytes]]) -> asyncio.Task[list[bytes]]:
        """Keep ``task`` for ``key`` (the oldest set goes past :data:`KEPT`)."""
        self.sets[key] = (now, task)
        while len(self.sets) > KEPT:
            self.sets.popitem(last=False)
        return task


CHARTS = web.AppKey("report_charts", ChartCache)


def chart_period(period: Period, svc: Services) -> charts.Period:
    """The report's period as the charts take it (its local days)."""
    tz = svc.config.tz
    last = (period.end - timedelta(seconds=1)).astimezone(tz).date()
    return charts.Period(LABEL[period.kind], period.start.astimezone(tz).date(), last, period.start, period.end)


async def _draw(svc: Services, scope: Scope, period: Period, everything: bool) -> list[bytes]:
    groups = None if everything else [g for k in scope.groups if (g := svc.directory.group(k)) is not None]
    data = await charts.gather(svc.store.charts, svc.directory, scope.title, groups, chart_period(period, svc),
                               svc.config.tz)
    return await asyncio.to_thread(charts.draw_all, data)


async def chart(request: web.Request) -> web.StreamResponse:
    """``/reports/chart/1.png?kind=weekly&at=…&group=…``: one of the page's three charts."""
    svc, who = services(request), viewer(request)
    n = request.match_info["n"]
    if who.role < Role.OWNER:
        return message(request, "图表", ["图表按群统计，只有群主和指挥部工作人员可以查看。"], status=403)
    if n not in {"1", "2", "3"}:
        return message(request, "没有找到", ["只有图1、图2、图3。"], status=404)
    form = asked(request)
    now = svc.now()
    found = form if isinstance(form, str) else resolve(svc, who, form, now)
    if isinstance(found, str):
        return message(request, "图表", [found], status=400)
    scope, period = found
    cache = request.app[CHARTS]
    # A running period ends at the request's second: keyed by where it will end, so the page's
    # three pictures share one drawing (at most FRESH old).
    key = (frozenset(scope.groups), period.kind, period.start, period.full_end)
    everything = who.is_staff and not form.group  # type: ignore[union-attr]
    task = cache.get(key, now) or cache.put(key, now, asyncio.ensure_future(_draw(svc, scope, period, everything)))
    try:
        images = await asyncio.shield(task)
    except charts.ChartError:
        log.exception("web chart for %s could not be drawn", who.person.user_id)
        return message(request, "图表", ["图表暂时无法生成（图表字体不可用），已记录错误，请联系管理员检查安装。"],
                       status=503)
    return web.Response(body=images[int(n) - 1], content_type=charts.PNG, headers=SAFE_HEADERS)


def _scope(who: Viewer) -> tuple[list[str] | None, list[str], str]:
    """Groups and grids of the viewer's ledger (None: every group), and its name for the file."""
    if who.is_staff:
        return None, [], "全部"
    if who.role < Role.OWNER:
        return [], list(who.grids), "网格"
    return list(who.group_keys), list(who.grids), who.groups[0].name if who.groups else "本群"


def disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the Chinese name in RFC 5987 form."""
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


async def ledger(request: web.Request) -> web.StreamResponse:
    """``/reports/ledger.csv`` / ``.xlsx``: the tickets of the viewer's scope, streamed."""
    svc, who = services(request), viewer(request)
    fmt = request.match_info["fmt"]
    if fmt not in {"csv", "xlsx"}:
        return message(request, "没有找到", ["台账可下载 CSV 或 XLSX。"], status=404)
    groups, grids, name = _scope(who)
    now = svc.now()
    filename = f"工单台账-{name}-{now.astimezone(svc.config.tz):%Y%m%d-%H%M}.{fmt}"
    async with svc.store.tx():  # before any row leaves: who took which data, when
        await svc.store.audit.record(actor(who.person), "export", f"工单台账 {fmt}",
                                     f"网页下载 {filename}", now)
    response = web.StreamResponse(headers={
        **SAFE_HEADERS, "Content-Disposition": disposition(filename),
        "Content-Type": "text/csv; charset=utf-8" if fmt == "csv" else
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    await response.prepare(request)
    pages = _pages(svc, groups, grids)
    if fmt == "csv":
        await _csv(response, pages)
    else:
        await _xlsx(response, pages)
    await response.write_eof()
    return response


async def _pages(svc: Services, groups: list[str] | None, grids: list[str]) -> AsyncIterator[list[export.LedgerRow]]:
    last = 0
    while page := await svc.store.tickets.export_rows(after=last, limit=PAGE, groups=groups, grids=grids):
        yield export.ledger_rows(page, svc.config.tz)
        last = page[-1][0].id


async def _csv(response: web.StreamResponse, pages: AsyncIterator[list[export.LedgerRow]]) -> None:
    """Each page goes out as soon as it is written: memory holds one page."""
    out = io.BytesIO()
    sheet = export.Ledger("csv", out)
    async for rows in pages:
        sheet.add(rows)
        await response.write(out.getvalue())
        out.seek(0)
        out.truncate()
    sheet.close()
    await response.write(out.getvalue())


async def _xlsx(response: web.StreamResponse, pages: AsyncIterator[list[export.LedgerRow]]) -> None:
    """openpyxl's write-only sheet keeps rows on disk; the workbook (a zip) is whole only at the
    end, so it is written to a temporary file and sent from there in chunks."""
    with tempfile.TemporaryFile() as out:
        sheet = export.Ledger("xlsx", out)
        async for rows in pages:
            await asyncio.to_thread(sheet.add, rows)
        await asyncio.to_thread(sheet.close)
        out.seek(0)
        while chunk := await asyncio.to_thread(out.read, CHUNK):
            await response.write(chunk)
