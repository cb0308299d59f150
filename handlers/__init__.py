"""Every capability's router, listed by hand in the order they are consulted."""

from __future__ import annotations

from bot.dispatcher import Router
from handlers import (
    audit,
    campaigns,
    care,
    charts,
    faq,
    groups,
    households,
    join,
    join_rate,
    maybe_help,
    notices,
    owner,
    picklist,
    resident,
    rosters,
    rumor,
    tickets,
    volunteer_stats,
    volunteer_tasks,
    volunteers,
    web_login,
    whoami,
)

ROUTERS: tuple[Router, ...] = (
    owner.router,
    volunteers.router,
    volunteer_tasks.router,
    volunteer_stats.router,
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
    rosters.router,
    picklist.router,
    web_login.router,
    charts.router,
)
