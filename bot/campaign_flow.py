"""Campaign steps that read the store and say something: reminders, closing, progress reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import campaign_text as text
from bot.config import GridConfig
from bot.message import Button, ChatRef, Mention, Reply
from bot.store.campaigns import Campaign

if TYPE_CHECKING:
    from bot.services import Services

#: Missing households listed in a private report; the rest are in the CLI report.
REPORT_MISSING = 30
#: @-mentions per reminder message (a wall of names helps nobody; several messages do).
MENTIONS_PER_MESSAGE = 40


def visible_groups(svc: Services, c: Campaign, platform: str, user_id: str) -> list[str]:
    """The campaign's groups this person may look at: all for staff, the author and owners at or
    above the origin; otherwise the groups they manage."""
    d = svc.directory
    if (d.is_staff(platform, user_id) or (c.author_platform, c.author_id) == (platform, user_id)
            or d.may_manage(platform, user_id, c.origin_key)):
        return list(c.group_keys)
    return [k for k in c.group_keys if d.may_manage(platform, user_id, k)]


def visible_grids(svc: Services, c: Campaign, platform: str, user_id: str) -> list[GridConfig]:
    """The grids of the campaign's groups this person works in (a grid worker's view)."""
    return [g for g in svc.directory.grids_of(platform, user_id) if g.group in c.group_keys]


async def report(svc: Services, c: Campaign, group_keys: Sequence[str],
                 grids: Sequence[GridConfig] | None = None) -> str:
    """The private report of a campaign over some groups (or only some grids of them, for their
    grid worker): counts and missing households."""
    store, tz = svc.store, svc.config.tz
    grid_keys = None if grids is None else [g.key for g in grids]
    t = await store.campaigns.tally(c.id, group_keys, grid_keys)
    missing = (await store.campaigns.missing(c.id, group_keys, REPORT_MISSING, grid_keys)
               if c.kind == "rollcall" else [])
    # Who signed up or voted is the owners' to read; a grid worker chases their households only.
    answers = (await store.campaigns.answers(c.id, group_keys, 100)
               if grids is None and (c.kind == "signup" or (c.kind == "vote" and not c.secret)) else [])
    if grids is not None:
        scope = f"您的网格：{'、'.join(g.name or g.key for g in grids)}"
    elif len(group_keys) == len(c.group_keys):
        scope = f"共 {len(group_keys)} 个群" if len(group_keys) > 1 else ""
    else:
        scope = f"您负责的 {len(group_keys)} 个群"
    return text.owner_report(c, t, missing, tz, scope, answers)


async def reminder(svc: Services, c: Campaign) -> list[Reply]:
    """Each group's reminder, @-mentioning the linked members of households yet to answer."""
    out: list[Reply] = []
    for key in c.group_keys:
        group = svc.directory.group(key)
        if group is None:
            continue
        t = await svc.store.campaigns.tally(c.id, [key])
        mentions: list[Mention] = []
        if c.kind != "signup":  # a sign-up is voluntary: nobody is chased for it
            missing = await svc.store.campaigns.missing(c.id, [key])
            voted = ({a.voter for a in await svc.store.campaigns.answers(c.id, [key])}
                     if c.kind == "vote" else set())
            for m in await svc.store.members.linked([h.id for h in missing]):
                if f"m:{m.platform}:{m.user_id}" not in voted and m.platform == group.platform:
                    # The name they show in the group: a real name given for 实名 stays private.
                    mentions.append(Mention(m.user_id, m.name or m.real_name))
        chat = ChatRef(group.platform, group.chat_id)
        first = text.reminder(c, t, svc.config.tz, len(mentions))
        chunks = [mentions[i:i + MENTIONS_PER_MESSAGE] for i in range(0, len(mentions), MENTIONS_PER_MESSAGE)]
        out.append(Reply(chat, first, tuple(chunks[0]) if chunks else ()))
        out += [Reply(chat, "请尽快回复：", tuple(chunk)) for chunk in chunks[1:]]
    return out


async def closing(svc: Services, c: Campaign) -> list[Reply]:
    """At the deadline: each group reads the counts; the author (and each group's owners) the report."""
    out: list[Reply] = []
    author = ChatRef.private(c.author_platform, c.author_id)
    told = {author}
    for key in c.group_keys:
        group = svc.directory.group(key)
        if group is None:
            continue
        t = await svc.store.campaigns.tally(c.id, [key])
        voters = (await svc.store.campaigns.answers(c.id, [key])
                  if c.kind == "vote" and not c.secret else [])
        out.append(Reply(ChatRef(group.platform, group.chat_id), text.group_result(c, t, voters)))
        for chat in svc.directory.owner_chats(group):
            if chat not in told:
                told.add(chat)
                mine = visible_groups(svc, c, chat.platform, chat.user_id)
                out.append(Reply(chat, await report(svc, c, mine)))
    if c.author_platform in {g.platform for g in svc.directory.groups}:
        button = (Button("进度", f"接龙进度 {c.code}"),)
        out.insert(0, Reply(author, await report(svc, c, c.group_keys), buttons=button))
    return out


#: Closed campaigns named in one digest; the rest are counted.
DIGEST_LINES = 10


async def digest_lines(svc: Services, closed: Sequence[Campaign], group_keys: Sequence[str] | None,
                       ) -> list[str]:
    """Lines for campaigns closed since the last digest, over these groups (all when None)."""
    lines: list[str] = []
    mine = [(c, [k for k in c.group_keys if group_keys is None or k in group_keys]) for c in closed]
    mine = [(c, keys) for c, keys in mine if keys]
    for c, keys in mine[:DIGEST_LINES]:
        lines.append(text.digest_line(c, await svc.store.campaigns.tally(c.id, keys)))
    if len(mine) > DIGEST_LINES:
        lines.append(f"另有 {len(mine) - DIGEST_LINES} 个已截止的接龙/报名/投票，发送「接龙进度」查看。")
    return lines
