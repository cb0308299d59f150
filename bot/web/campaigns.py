"""The campaign pages: roll-calls, sign-ups and votes with progress per option and per group,
and the households still to answer with head and phone (chat's 接龙进度, on a page)."""

from __future__ import annotations

from aiohttp import web

from bot import campaign_flow
from bot.campaigns import LABEL
from bot.directory import Role
from bot.web.pages import message, render, services, viewer

#: Missing households on the page; the whole list is in ``gridbot campaigns report``.
MISSING_SHOWN = 200
#: Groups broken down one by one (one small aggregate each); a district's 500 villages are
#: summed above and listed in the CLI report.
GROUPS_SHOWN = 60
ANSWERS_SHOWN = 100

OWNERS_ONLY = ["接龙、报名和投票的进度含住户电话，只有群主和指挥部工作人员可以查看。"]


async def list_page(request: web.Request) -> web.StreamResponse:
    """``/campaigns``: the newest campaigns of the viewer's groups."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return message(request, "接龙 / 报名 / 投票", OWNERS_ONLY, status=403)
    recent = await svc.store.campaigns.recent(30, None if who.is_staff else list(who.group_keys))
    return render(request, "campaigns.html", recent=recent, label=LABEL, now=svc.now())


async def campaign_page(request: web.Request) -> web.StreamResponse:
    """``/campaigns/C1``: the tally, per group, and the households to call."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return message(request, "接龙 / 报名 / 投票", OWNERS_ONLY, status=403)
    code = request.match_info["code"].upper()
    c = await svc.store.campaigns.get(int(code[1:])) if code[1:].isdigit() and code[:1] == "C" else None
    keys = campaign_flow.visible_groups(svc, c, who.person.platform, who.person.user_id) if c else []
    if c is None or not keys:
        return message(request, "没有找到", [f"没有找到 {code}，或它不是您负责的群的接龙、报名或投票。"], status=404)
    store = svc.store.campaigns
    tally = await store.tally(c.id, keys)
    per_group = [(svc.directory.group(k), await store.tally(c.id, [k])) for k in keys[:GROUPS_SHOWN]]
    missing = await store.missing(c.id, keys, MISSING_SHOWN) if c.kind == "rollcall" else []
    answers = (await store.answers(c.id, keys, ANSWERS_SHOWN)
               if c.kind == "signup" or (c.kind == "vote" and not c.secret) else [])
    names = {g.key: g.name for g in svc.directory.groups}
    return render(request, "campaign.html", c=c, label=LABEL[c.kind], tally=tally, per_group=per_group,
                  more_groups=max(0, len(keys) - GROUPS_SHOWN), missing=missing, answers=answers,
                  names=names, is_open=c.is_open(svc.now()), shown=MISSING_SHOWN)
