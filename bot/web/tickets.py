"""The ticket pages: a filtered, searchable list a page at a time, and one ticket with its actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from aiohttp import web

from bot.kinds import CATEGORY_LABEL, REGISTRY, kind_of
from bot.store.web import TicketQuery
from bot.tickets import OPEN, STATUS_LABEL, Ticket, normalize_code
from bot.web.actions import perform
from bot.web.pages import DISPATCHER, message, render, services, viewer
from bot.web.viewer import Viewer, may_see

PAGE = 50
#: The chat verbs a page may send: whether they need words (a name, a note, a reason), and the
#: hint in the box for them ("" for a verb that takes none).
VERBS: dict[str, tuple[bool, str]] = {
    "接单": (False, ""), "指派": (True, "志愿者姓名"), "进展": (True, "进展说明（居民可见）"),
    "备注": (True, "内部备注（居民看不到）"), "完成": (False, "说明（可不填）"),
    "驳回": (True, "驳回原因（居民可见）"), "辟谣": (True, "官方说法（居民可见）"), "属实": (False, "说明（可不填）"),
    "答复": (True, "答复内容（发到群里）"),
}


def _day(text: str, field: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"{field}「{text[:20]}」不是日期，请写成 2026-11-25。"


def _query(request: web.Request, who: Viewer) -> TicketQuery | str:
    """The list's query from the address; a Chinese explanation for a bad filter."""
    q = request.query
    tz = services(request).config.tz
    query = TicketQuery(limit=PAGE + 1, search=q.get("q", "").strip()[:100])
    if not who.is_staff:
        query = replace(query, groups=who.group_keys, grids=who.grids)
    if (kind := q.get("kind", "")) and kind not in {k.key for k in REGISTRY}:
        return "没有这种工单类别。"
    status = q.get("status", "")
    if status and status != "open" and status not in STATUS_LABEL:
        return "没有这种工单状态。"
    if (group := q.get("group", "")) and services(request).directory.group(group) is None:
        return "没有这个群。"
    query = replace(query, kind=kind, status=status, group=group, category=q.get("category", ""))
    for field, key, shift in (("起始日期", "from", 0), ("截止日期", "to", 1)):
        if text := q.get(key, "").strip():
            day = _day(text, field)
            if isinstance(day, str):
                return day
            at = datetime.combine(day + timedelta(days=shift), time(), tz)
            query = replace(query, since=at) if key == "from" else replace(query, until=at)
    if before := q.get("before", ""):
        if not before.isdigit():
            return "翻页参数有误，请从第一页重新开始。"
        query = replace(query, before=int(before))
    return query


async def list_page(request: web.Request) -> web.StreamResponse:
    """``/tickets``: newest first, filtered, a keyset page at a time."""
    svc, who = services(request), viewer(request)
    code = normalize_code(request.query.get("q", "")[:20])
    if code is not None:  # a code typed in the search box: its page, one index lookup
        ticket = await svc.store.tickets.get(code)
        if ticket is not None and may_see(svc.directory, who, ticket):
            return web.Response(status=303, headers={"Location": f"/tickets/{code}"})
    query = _query(request, who)
    error, shown, more = "", list[Ticket](), None
    if isinstance(query, str):
        error = query
    else:
        found = await svc.store.web.tickets(query)
        page = found[:PAGE]
        more = page[-1].id if len(found) > PAGE else None
        # Owners' scope is exact in SQL; a contact or grid worker sees what 详情 would show them.
        shown = page if who.is_staff else [t for t in page if may_see(svc.directory, who, t)]
    params = {k: v for k, v in request.query.items() if k != "before"}
    return render(request, "tickets.html", tickets=shown, error=error, more=more, params=params,
                  kinds=REGISTRY, statuses=STATUS_LABEL, categories=CATEGORY_LABEL,
                  groups=svc.directory.groups if who.is_staff else who.groups)


async def _visible(request: web.Request) -> Ticket | web.Response:
    svc, who = services(request), viewer(request)
    code = request.match_info["code"].upper()
    ticket = await svc.store.tickets.get(code)
    if ticket is None or not may_see(svc.directory, who, ticket):
        return message(request, "没有找到工单", [f"没有找到工单 {code}，或它不归您负责。"], status=404)
    return ticket


async def ticket_page(request: web.Request, said: list[str] | None = None) -> web.StreamResponse:
    """``/tickets/E12``: the ticket, its history and the actions chat offers for its status."""
    found = await _visible(request)
    if isinstance(found, web.Response):
        return found
    svc = services(request)
    history = await svc.store.tickets.history(found)
    rating = await svc.store.tickets.rating(found)
    return render(request, "ticket.html", t=found, history=history, rating=rating,
                  verbs=_verbs(found), said=said or [])


def _verbs(t: Ticket) -> list[tuple[str, bool, str]]:
    """The actions for a ticket's status, in chat's order (render.owner_buttons), plus the
    ones with words (指派, 进展, 备注) that chat offers as typed commands."""
    if t.is_final:
        return []
    verbs = ["接单"] if t.status == OPEN else []
    verbs += ["指派", "进展", "备注", *kind_of(t.kind).close_verbs, "驳回"]
    return [(v, *VERBS[v]) for v in verbs]


async def act(request: web.Request) -> web.StreamResponse:
    """POST ``/tickets/E12``: one action, run as the chat command it stands for."""
    found = await _visible(request)
    if isinstance(found, web.Response):
        return found
    form = await request.post()
    verb, words = str(form.get("verb", "")), " ".join(str(form.get("text", "")).split())
    if verb not in VERBS:
        return await ticket_page(request, ["没有这个操作。"])
    said = await perform(services(request), request.app[DISPATCHER], viewer(request),
                         f"{verb} {found.code} {words}".strip(), found.code)
    return await ticket_page(request, said)
