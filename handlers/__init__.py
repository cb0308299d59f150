"""Every capability's router, listed by hand in the order they are consulted."""

from __future__ import annotations

from bot.dispatcher import Router
from handlers import (
    audit,
    campaigns,
    care,
    faq,
    groups,
    households,
    join,
    join_rate,
    maybe_help,
    notices,
    owner,
    reports,
    resident,
    rumor,
    tickets,
    whoami,
)

ROUTERS: tuple[Router, ...] = (
    owner.router,
    notices.router,
    rumor.router,
    faq.router,
    resident.router,
    groups.router,
    whoami.router,
    audit.router,
    join.router,
    care.router,
    households.router,
    join_rate.router,
    maybe_help.router,
    tickets.router,
    campaigns.router,
    reports.router,
)
