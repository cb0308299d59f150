"""The dashboard's aiohttp application, and serving it (``gridbot web`` and ``gridbot run``)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.dispatcher import Dispatcher
from bot.services import Services
from bot.web import auth, campaigns, faq, library, notices, overview, report_files, reports, tickets
from bot.web.login import LOGIN_PATH
from bot.web.pages import DISPATCHER, SERVICES, TEMPLATES, environment

STATIC = Path(__file__).parent / "static"


def make_app(svc: Services, dispatcher: Dispatcher) -> web.Application:
    """The dashboard over the bot's services; actions run through ``dispatcher`` (chat's routes)."""
    app = web.Application(middlewares=[auth.security_headers, auth.authenticate],
                          client_max_size=1024 * 1024)
    app[SERVICES] = svc
    app[DISPATCHER] = dispatcher
    app[TEMPLATES] = environment(svc)
    r = app.router
    r.add_get(LOGIN_PATH + "{token}", auth.login_page)
    r.add_post(LOGIN_PATH + "{token}", auth.login_post)
    r.add_post("/logout", auth.logout)
    r.add_get("/", overview.page, name="overview")
    r.add_get("/tickets", tickets.list_page, name="tickets")
    r.add_get("/tickets/{code}", tickets.ticket_page)
    r.add_post("/tickets/{code}", tickets.act)
    r.add_get("/notices", notices.list_page, name="notices")
    r.add_post("/notices", notices.publish)
    r.add_get("/notices/{code}", notices.notice_page)
    r.add_get("/notices/{code}/receipts", notices.receipts)
    r.add_post("/notices/{code}/approve", notices.approve)
    r.add_get("/campaigns", campaigns.list_page, name="campaigns")
    r.add_get("/campaigns/{code}", campaigns.campaign_page)
    r.add_get("/library", library.list_page, name="library")
    r.add_post("/library", library.add)
    r.add_post("/library/import", library.import_file)
    r.add_get("/library/{id}", library.edit_page)
    r.add_post("/library/{id}/retire", library.retire)
    r.add_get("/faq", faq.list_page, name="faq")
    r.add_post("/faq", faq.add)
    r.add_post("/faq/import", faq.import_file)
    r.add_get("/faq/{id}", faq.edit_page)
    r.add_post("/faq/{id}/retire", faq.retire)
    app[report_files.CHARTS] = report_files.ChartCache()
    r.add_get("/reports", reports.page, name="reports")
    r.add_get("/reports/ranking", reports.ranking_page)
    r.add_get("/reports/chart/{n}.png", report_files.chart)
    r.add_get("/reports/ledger.{fmt}", report_files.ledger)
    r.add_static("/static", STATIC)
    return app


async def start(svc: Services, dispatcher: Dispatcher, host: str, port: int) -> web.AppRunner:
    """Serve the dashboard on ``host:port`` until the runner is cleaned up."""
    runner = web.AppRunner(make_app(svc, dispatcher), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
