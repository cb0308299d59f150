"""The notice pages: compose and publish (through chat's 通知, review gates and all), and one
notice's receipts, which the page refreshes without reloading (static/receipts.js)."""

from __future__ import annotations

import re

from aiohttp import web

from bot import notices
from bot.directory import Role
from bot.store.notices import Delivery, Notice
from bot.web.actions import perform
from bot.web.pages import DISPATCHER, message, render, services, viewer

#: 通知's answer names the new notice: "已发布通知 N3 到…".
_PUBLISHED = re.compile(r"已发布通知 (N\d+)")
TEXT_LIMIT = 2000


async def list_page(request: web.Request, said: list[str] | None = None,
                    draft: str = "") -> web.StreamResponse:
    """``/notices``: the form and the newest notices the viewer may look up."""
    svc, who = services(request), viewer(request)
    p = who.person
    recent = await notices.visible_notices(svc, p.platform, p.user_id, 20)
    targets = svc.directory.reachable_groups(p.platform, p.user_id) if who.role >= Role.OWNER else []
    return render(request, "notices.html", recent=recent, targets=targets, said=said or [], draft=draft)


async def publish(request: web.Request) -> web.StreamResponse:
    """POST ``/notices``: the chat command ``通知 群名 [仅本群] 内容``, run as the viewer."""
    svc, who = services(request), viewer(request)
    form = await request.post()
    text = str(form.get("text", "")).strip()[:TEXT_LIMIT]
    group = svc.directory.group(str(form.get("group", "")))
    if group is None:
        return await list_page(request, ["请选择要发往的群。"], text)
    if not text:
        return await list_page(request, ["请写上通知内容。"], text)
    only = " 仅本群" if form.get("only") else ""
    said = await perform(svc, request.app[DISPATCHER], who, f"通知 {group.name}{only}：{text}")
    code = next((m.group(1) for line in said if (m := _PUBLISHED.search(line))), None)
    if code is None:  # refused: the chat answer says why (not their group, …)
        return await list_page(request, said, text)
    return web.Response(status=303, headers={"Location": f"/notices/{code}"})


async def _visible(request: web.Request) -> tuple[Notice, list[Delivery]] | web.Response:
    """The notice and the deliveries the viewer may see (chat's 回执 rule)."""
    svc, who = services(request), viewer(request)
    code = request.match_info["code"].upper()
    notice = await svc.store.notices.get(code)
    if notice is not None:
        report = await notices.report(svc, notice)
        p = who.person
        if notices.may_see_all(svc, p.platform, p.user_id, notice):
            return notice, report.deliveries
        own = notices.own_deliveries(svc, p.platform, p.user_id, report.deliveries)
        if own:
            return notice, own
    return message(request, "没有找到通知", [f"没有找到通知 {code}，或您不能查看它的回执。"], status=404)


def _state(d: Delivery) -> str:
    if d.state == "held":
        return "待审核"
    return {"sent": "已送达", "failed": "发送失败"}.get(d.send_status or "", "发送中")


async def notice_page(request: web.Request, said: list[str] | None = None) -> web.StreamResponse:
    """``/notices/N3``: where it went and who confirmed; 同意 while groups wait for review."""
    found = await _visible(request)
    if isinstance(found, web.Response):
        return found
    notice, deliveries = found
    rows = [(d, _state(d)) for d in deliveries]
    held = viewer(request).role >= Role.OWNER and any(d.state == "held" for d in deliveries)
    return render(request, "notice.html", notice=notice, rows=rows, held=held, said=said or [],
                  confirmed=sum(d.confirmed_at is not None for d in deliveries))


async def approve(request: web.Request) -> web.StreamResponse:
    """POST ``/notices/N3/approve``: chat's ``同意 N3`` (the handler decides who reviews)."""
    found = await _visible(request)
    if isinstance(found, web.Response):
        return found
    code = found[0].code
    said = await perform(services(request), request.app[DISPATCHER], viewer(request), f"同意 {code}", code)
    return await notice_page(request, said)


async def receipts(request: web.Request) -> web.StreamResponse:
    """``/notices/N3/receipts``: the same lines as JSON, for the page's polling."""
    found = await _visible(request)
    if isinstance(found, web.Response):
        return web.json_response({"error": "not found"}, status=404)
    notice, deliveries = found
    tz = services(request).config.tz
    return web.json_response({
        "code": notice.code,
        "confirmed": sum(d.confirmed_at is not None for d in deliveries),
        "total": len(deliveries),
        "groups": [{"key": d.group_key, "state": _state(d), "confirmed_by": d.confirmed_by,
                    "confirmed_at": d.confirmed_at.astimezone(tz).strftime("%m-%d %H:%M")
                    if d.confirmed_at else ""} for d in deliveries],
    })
