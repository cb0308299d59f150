"""Rendering pages: one Jinja2 environment (autoescape on), the app's keys and small helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import jinja2
from aiohttp import web

from bot.dispatcher import Dispatcher
from bot.render import ACTION_LABEL
from bot.services import Services
from bot.tickets import STATUS_LABEL
from bot.web.viewer import Viewer

SERVICES = web.AppKey("services", Services)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
VIEWER = web.RequestKey("viewer", Viewer)

#: The navigation bar: (path, label, route name). An entry shows only when its route exists,
#: so the reports page (bot/reports, wired at merge) appears once it is added as "reports".
NAV: tuple[tuple[str, str, str], ...] = (
    ("/", "总览", "overview"),
    ("/tickets", "工单", "tickets"),
    ("/notices", "通知", "notices"),
    ("/campaigns", "接龙", "campaigns"),
    ("/library", "谣言库", "library"),
    ("/faq", "问答", "faq"),
    ("/reports", "报表", "reports"),
)


def environment(svc: Services) -> jinja2.Environment:
    """Templates from the package; every value is HTML-escaped unless marked safe."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("bot.web", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    tz = svc.config.tz

    def local(ts: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
        return ts.astimezone(tz).strftime(fmt) if ts is not None else ""

    env.filters["local"] = local
    env.globals["action_label"] = ACTION_LABEL
    env.globals["status_label"] = STATUS_LABEL
    return env


def viewer(request: web.Request) -> Viewer:
    """The logged-in viewer the middleware put on the request."""
    return request[VIEWER]


def services(request: web.Request) -> Services:
    """The bot's services."""
    return request.app[SERVICES]


def render(request: web.Request, template: str, *, status: int = 200, **values: Any) -> web.Response:
    """A page from ``templates/``; the viewer and the navigation are always there."""
    names = {r.name for r in request.app.router.resources() if r.name}
    nav = [(path, label) for path, label, name in NAV if name in names]
    html = request.app[TEMPLATES].get_template(template).render(
        viewer=request.get(VIEWER), nav=nav, path=request.path, bot_name=services(request).config.name,
        **values)
    return web.Response(text=html, content_type="text/html", status=status)


def message(request: web.Request, title: str, lines: Sequence[str], *, status: int) -> web.Response:
    """A page that only says something: not logged in, not allowed, not found."""
    return render(request, "message.html", status=status, title=title, lines=lines)
