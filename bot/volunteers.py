"""Volunteer teams: who signs up where, who approves, which team takes an errand, and the texts.

Shared by the handlers (sign-up, claims, tasks) and the dispatch job; nothing here sends.
"""

from __future__ import annotations

import re

from bot.address import normalise_address
from bot.config import Config, TeamConfig
from bot.directory import Directory, Role
from bot.message import Button, ChatRef, Mention, Reply
from bot.privacy import mask
from bot.render import public_text
from bot.store.volunteers import Volunteer
from bot.text import one_line
from bot.tickets import Ticket

#: A mainland mobile number, written with spaces or dashes or +86 in front.
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
#: A number the masker starred, with the word that introduced it: a card shows none of it.
_STARRED = re.compile(r"(?:电话|手机|联系方式|tel)?[\s:：]*[0-9０-９]*\*+[0-9０-９*\-]*", re.IGNORECASE)
SIGN_UP = "志愿者报名 姓名 电话 小分队"
#: What an approved volunteer may write in private, for the welcome and for hints.
VOLUNTEER_HELP = ("· 我的任务　看交给您的工单\n· 进展 E12 说明　告诉居民进展\n"
                  "· 完成 E12 [说明]　办结\n· 退回 E12 原因　办不了时交还")


def phone_of(text: str) -> str | None:
    """``139 0000 1111`` / ``+86-13900001111`` -> ``13900001111``; None if not a mobile number."""
    m = _MOBILE.fullmatch(re.sub(r"[\s\-()（）]", "", text))
    return m.group(1) if m else None


def find_team(config: Config, written: str) -> TeamConfig | None:
    """A team by key or name, or the one whose name starts with what was written (配送)."""
    exact = next((t for t in config.teams if written in (t.key, t.name)), None)
    if exact is not None or not written:
        return exact
    starts = [t for t in config.teams if t.name.startswith(written)]
    return starts[0] if len(starts) == 1 else None


def team_names(config: Config) -> str:
    """Every team's name, for hints."""
    return "、".join(t.name for t in config.teams)


def team_platform(directory: Directory, team: TeamConfig) -> str:
    """The platform the team's group is on: its volunteers are there."""
    group = directory.group(team.group)
    return group.platform if group else ""


def may_approve(directory: Directory, platform: str, user_id: str, team: TeamConfig) -> bool:
    """The team's leaders, its group's owners (and owners above it) and staff decide sign-ups."""
    if team_platform(directory, team) != platform:
        return directory.is_staff(platform, user_id)
    return user_id in team.leaders or directory.may_manage(platform, user_id, team.group)


def overseen_teams(directory: Directory, platform: str, user_id: str) -> list[TeamConfig]:
    """The teams whose sign-ups this person decides and whose numbers they see."""
    return [t for t in directory.config.teams if may_approve(directory, platform, user_id, t)]


def approver_chats(directory: Directory, team: TeamConfig) -> list[ChatRef]:
    """Who hears of a sign-up: the leaders, else the team group's owners, else staff."""
    platform = team_platform(directory, team)
    group = directory.group(team.group)
    people = team.leaders or (group.owners if group else ()) or directory.config.staff.get(platform, ())
    return [ChatRef.private(platform, p) for p in people]


def team_for(directory: Directory, t: Ticket) -> TeamConfig | None:
    """The first team (config order) that takes this errand's category from its group.

    Only teams on the errand's platform: their volunteers reach the resident there, and the
    ticket's handler id must be an id on that platform (SLA reminders use it).
    """
    if t.kind != "errand" or t.is_final:
        return None
    for team in directory.config.teams:
        if t.category not in team.categories or team_platform(directory, team) != t.platform:
            continue
        if not team.serves or any(g.key == t.group_key for s in team.serves for g in directory.subtree(s)):
            return team
    return None


def area(t: Ticket) -> str:
    """Where, as far as a team group may know: the group and the building, never the flat."""
    found = normalise_address(t.address) if t.address else None
    if found is None or found.building is None:
        return t.group_name
    unit = "组" if found.kind == "village" else "栋"
    return f"{t.group_name}·{found.place or ''}{found.building}{unit}"


def card(directory: Directory, team: TeamConfig, t: Ticket, *, again: bool = False) -> Reply:
    """The errand as the team group sees it: category, area, urgency and a masked gist only."""
    group = directory.group(team.group)
    assert group is not None
    urgent = "【急】" if t.priority == "urgent" else ""
    head = "【仍待接单】" if again else "【待接单】"
    text = (f"{head}{t.code}{urgent} {t.category_label}\n地点：{area(t)}\n内容：{gist(t)}\n"
            f"点「我来」或回复「抢单 {t.code}」接单，先到先得。")
    return Reply(ChatRef(group.platform, group.chat_id), text, buttons=(Button("我来", f"抢单 {t.code}"),))


def gist(t: Ticket) -> str:
    """What the errand is about, for a group: no address, and no number even masked."""
    return _STARRED.sub(" ", public_text(t, 80)).strip()[:40] or "（详见接单后的私信）"


def taken_card(t: Ticket, name: str) -> str:
    """The card once someone took the errand."""
    return f"【已接单】{t.code} {t.category_label}\n地点：{area(t)}\n已由 {name} 接单。"


def briefing(t: Ticket, phone: str) -> str:
    """What the volunteer who took an errand needs, in private: who, where, how to reach them."""
    lines = [f"您已接下 {t.code}（{t.category_label}{'，紧急' if t.priority == 'urgent' else ''}）。",
             f"居民：{t.requester_name}（{t.group_name}）",
             f"电话：{phone or '未留电话，请在群里联系居民'}"]
    if t.address:
        lines.append(f"地址：{t.address}")
    lines += [f"内容：{t.text}",
              f"有进展发「进展 {t.code} 说明」，办好发「完成 {t.code} [说明]」，办不了发「退回 {t.code} 原因」。"]
    return "\n".join(lines)


def resident_phone(t: Ticket, household_phone: str = "") -> str:
    """The resident's number: the household register's, else one written in the request."""
    if household_phone:
        return household_phone
    found = _PHONE_IN_TEXT.search(t.text)
    return found.group(0) if found else ""


def on_the_way(t: Ticket, name: str) -> Reply:
    """The resident hears a volunteer is coming: a name, never a number."""
    chat = ChatRef(t.platform, t.chat_id)
    text = f"您的工单 {t.code} 已由志愿者 {mask(name)} 接单，正在赶来，请保持电话畅通。"
    if chat.is_private:
        return Reply(chat, text)
    return Reply(chat, text, (Mention(t.requester_id, t.requester_name),))


def owner_chats(directory: Directory, t: Ticket) -> list[ChatRef]:
    """Who manages the errand: the same people a new ticket of its group goes to."""
    group = directory.group(t.group_key)
    return directory.new_ticket_chats(group, t.kind, t.grid_key) if group else []


def who(v: Volunteer, team: TeamConfig | None) -> str:
    """``王小明（配送小分队，13900001111）`` for owners and leaders (private chats only)."""
    return f"{v.name}（{team.name if team else v.team_key}，{v.phone}）"


def is_manager(directory: Directory, platform: str, user_id: str) -> bool:
    """Owners, grid workers and staff: they use the owners' ticket commands."""
    return directory.role(platform, user_id) >= Role.GRID


def line(t: Ticket) -> str:
    """One task in 我的任务."""
    urgent = "【急】" if t.priority == "urgent" else ""
    where = f"（{t.address}）" if t.address else ""
    return f"{t.code}{urgent} {t.category_label}｜{t.requester_name}：{one_line(t.text, 30)}{where}｜{t.status_label}"
