"""Sessions on every request: the cookie, the role (looked up afresh), CSRF on every POST."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from bot.web import login
from bot.web.pages import VIEWER, message, render, services
from bot.web.viewer import viewer_of

COOKIE = "gridbot_session"
#: Reachable without a session: the login link itself and the stylesheet it uses.
PUBLIC = (login.LOGIN_PATH, "/static/")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NOT_LOGGED_IN = ["请在私聊里给机器人发送「登录」（Telegram 也可发 /login），打开它发来的链接。",
                 "链接 10 分钟内有效，只能用一次。"]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No framing, no inline scripts, no referrer (a login link never leaks to another site);
    ``Server-Timing`` says how long the page took (benchmarks/web.py reads it)."""
    started = time.perf_counter()
    response = await handler(request)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page but the login link needs a live session and a chat role; POSTs a CSRF token."""
    if request.method == "POST" and _cross_site(request):
        # Before the login link too: another site must not log a browser into its own session.
        return message(request, "请求已拒绝", ["这个请求来自其他网站，已拒绝。"], status=403)
    if request.path.startswith(PUBLIC):
        return await handler(request)
    svc = services(request)
    cookie = request.cookies.get(COOKIE, "")
    session = await svc.store.web.session(login.digest(cookie), svc.now()) if cookie else None
    if session is None:
        return message(request, "请先登录", NOT_LOGGED_IN, status=401)
    found = viewer_of(svc.directory, session.person, session.csrf)
    if found is None:  # removed from bot.toml since logging in: the session opens nothing
        return message(request, "没有权限", ["您现在不是群主、网格员或指挥部工作人员，不能使用网页。"], status=403)
    request[VIEWER] = found
    if request.method == "POST":
        sent = request.headers.get("X-CSRF-Token") or str((await request.post()).get("csrf", ""))
        if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            return message(request, "请求已失效", ["页面已过期或来自其他网站。请刷新页面后再操作。"], status=403)
    return await handler(request)


def _cross_site(request: web.Request) -> bool:
    """A POST a browser says came from another site (Sec-Fetch-Site, or an Origin not ours)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin != "null" and urlsplit(origin).netloc != request.host


async def login_page(request: web.Request) -> web.StreamResponse:
    """The link opens a page with one button: link previews in chat apps fetch it without spending it."""
    return render(request, "login.html", token=request.match_info["token"])


async def login_post(request: web.Request) -> web.StreamResponse:
    """Spend the link (its token is the proof; no session exists yet) and set the session cookie."""
    svc = services(request)
    opened = await login.open_session(svc, request.match_info["token"], svc.now())
    if opened.state != "ok":
        why = {"expired": "这个登录链接已过期（10 分钟内有效）。",
               "used": "这个登录链接已经用过了（每个链接只能用一次）。",
               "unknown": "这个登录链接无效。"}[opened.state]
        return message(request, "无法登录", [why, "请在私聊里给机器人发送「登录」获取新链接。"], status=403)
    response = web.Response(status=303, headers={"Location": "/"})
    response.set_cookie(COOKIE, opened.session_id, httponly=True, samesite="Strict",
                        secure=svc.config.web.secure, path="/",
                        max_age=int(svc.config.web.session_hours * 3600))
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """The page's 退出 button: end this session and drop the cookie."""
    svc = services(request)
    person = request[VIEWER].person
    now = svc.now()
    async with svc.store.tx():
        await svc.store.web.end_session(login.digest(request.cookies.get(COOKIE, "")), now)
        await svc.store.audit.record(login.actor(person), "web_logout", "", "在网页上退出登录", now)
    request.pop(VIEWER)
    response = message(request, "已退出", ["已退出网页登录。再次使用请在私聊里发送「登录」。"], status=200)
    response.del_cookie(COOKIE, path="/")
    return response
