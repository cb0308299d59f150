"""Campaigns (接龙 / 报名 / 投票): reading an owner's request and residents' loose answers.

The owner writes ``接龙 [群名：][仅本群] 标题 [选项 A B …] [截止 HH:MM]`` (``报名 … 名额 20``,
``投票 … 选项 A B [记名|不记名]``). Residents answer in the group as they like:
``3-2-501 已做``, ``C1 3-2-501 已做``, ``3号楼2单元501 做了 3人``, or ``已做`` alone once their
account is linked to a household. Texts arrive normalised (``bot.text.normalize``), so both
scripts read the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.address import Address, find_address
from bot.config import GroupConfig
from bot.directory import Directory
from bot.store.campaigns import CampaignKind

#: Answers to a campaign closed this recently get "已截止"; older ones are ordinary chat.
LATE_WINDOW = timedelta(hours=24)

KINDS: dict[str, CampaignKind] = {"接龙": "rollcall", "报名": "signup", "投票": "vote"}
LABEL: dict[CampaignKind, str] = {"rollcall": "接龙", "signup": "报名", "vote": "投票"}
#: The one option of a roll-call or sign-up that names none: the answer is the address itself.
DEFAULT_OPTION: dict[CampaignKind, str] = {"rollcall": "已接龙", "signup": "已报名", "vote": ""}
ONLY_THIS = "仅本群"
MAX_OPTIONS = 9

_KEYWORD = re.compile(r"选项|名额|截止|不记名|记名|仅本群")
_DEADLINE = re.compile(r"^(?:(今天|明天|后天)|(\d{1,2})[-/.月](\d{1,2})日?)?\s*(\d{1,2})\s*[:：点]\s*(\d{2})?分?$")
_OPTION_SPLIT = re.compile(r"[\s、,，/|；;]+")
_GENERIC = re.compile(r"居民|业主|小区|社区|街道|物业|网格|全体|各位|大家|通知|注意|群|村|镇|乡|区")
_LEAD_GROUP = re.compile(r"^([^\s:：]+?)\s*[:：]\s*(.*)$", re.S)
_CODE = re.compile(r"^\s*[Cc]\s*(\d{1,7})(?!\d)[\s:：,，]*")
_PEOPLE = re.compile(r"(\d{1,3}|[一二两三四五六七八九十])\s*(?:个人|人|口|位)")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NEGATION = re.compile(r"[未没不无]")
_MARKERS = re.compile(r"[已了过完未没不无]")
_FILLER = re.compile(r"我们家|我家|家里|全家|好的|收到|谢谢|户|了|啦|的|哦|呢|嗯|[\s,.!?;:，。！？；：、~～·\-—#＃()（）]")


class RequestError(ValueError):
    """An owner's request that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Request:
    """An owner's request, before its groups are resolved."""

    kind: CampaignKind
    title: str
    options: tuple[str, ...]
    deadline: datetime | None
    capacity: int | None
    secret: bool
    group_word: str | None
    subtree: bool


def example(kind: CampaignKind) -> str:
    """How to start one, for error messages."""
    return {"rollcall": "接龙 核酸检测 选项 已做 未做 截止 18:00",
            "signup": "报名 志愿者招募 名额 20 截止 18:00",
            "vote": "投票 是否统一团购 选项 同意 不同意 不记名 截止 18:00"}[kind]


def _deadline(text: str, now: datetime, tz: ZoneInfo, kind: CampaignKind) -> datetime:
    m = _DEADLINE.match(text.strip())
    if m is None:
        raise RequestError(f"截止时间「{text.strip() or '（空）'}」看不懂，请写成「截止 18:00」或「截止 明天 18:00」，"
                           f"例如：{example(kind)}")
    day, month, mday, hour, minute = m.groups()
    local = now.astimezone(tz)
    try:
        when = local.replace(hour=int(hour), minute=int(minute or 0), second=0, microsecond=0)
        if month:
            when = when.replace(month=int(month), day=int(mday))
    except ValueError:
        raise RequestError(f"截止时间「{text.strip()}」不存在，请检查时和分（例如 18:00）。") from None
    when += timedelta(days={"今天": 0, "明天": 1, "后天": 2}.get(day or "", 0))
    if when <= local and not day and not month:
        when += timedelta(days=1)  # "截止 08:00" said in the evening means tomorrow morning
    if when <= local:
        raise RequestError(f"截止时间 {when:%m-%d %H:%M} 已经过去了，请写一个将来的时间。")
    return when


def parse_request(kind: CampaignKind, args: str, now: datetime, tz: ZoneInfo) -> Request:
    """Read what follows 接龙 / 报名 / 投票; raises :class:`RequestError` with a Chinese answer."""
    text = args.strip()
    subtree = ONLY_THIS not in text
    text = text.replace(ONLY_THIS, " ")
    found = list(_KEYWORD.finditer(text))
    head = text[: found[0].start()] if found else text
    options: tuple[str, ...] = ()
    capacity: int | None = None
    secret = kind == "vote"  # a vote is secret unless the owner says 记名
    deadline = None
    for i, m in enumerate(found):
        value = text[m.end(): found[i + 1].start() if i + 1 < len(found) else len(text)]
        value = value.strip(" :：,，。")
        if m.group() == "选项":
            options = tuple(dict.fromkeys(o for o in _OPTION_SPLIT.split(value) if o))
        elif m.group() == "名额":
            digits = re.fullmatch(r"(\d{1,5})\s*(?:人|个|名)?", value)
            if digits is None or int(digits.group(1)) < 1:
                raise RequestError(f"名额「{value or '（空）'}」应是正整数，例如：{example('signup')}")
            capacity = int(digits.group(1))
        elif m.group() == "截止":
            deadline = _deadline(value, now, tz, kind)
        elif m.group() in ("记名", "不记名"):
            secret = m.group() == "不记名"
            head += " " + value  # the flag stands alone: what follows is still text
    group_word, title = None, head.strip(" :：,，。")
    lead = _LEAD_GROUP.match(title)
    if lead is not None:
        group_word, title = lead.group(1), lead.group(2).strip(" :：,，。")
    if not title:
        raise RequestError(f"请写上{LABEL[kind]}的标题，例如：{example(kind)}")
    if kind == "vote" and len(options) < 2:
        raise RequestError(f"投票至少要有两个选项，请在「选项」后列出，用空格分开，例如：{example('vote')}")
    if len(options) > MAX_OPTIONS:
        raise RequestError(f"选项最多 {MAX_OPTIONS} 个，您写了 {len(options)} 个。")
    if capacity is not None and kind != "signup":
        raise RequestError(f"「名额」只用于报名，例如：{example('signup')}")
    return Request(kind, title[:60], options or (DEFAULT_OPTION[kind],), deadline, capacity, secret,
                   group_word, subtree)


def target_groups(directory: Directory, platform: str, user: str, request: Request,
                  ) -> tuple[GroupConfig, list[GroupConfig], str] | str:
    """(origin, groups, title) for a request, or a Chinese answer saying why not.

    A group named before ``：`` must be one this person manages; a word that names no group
    at all is part of the title ("注意：明天核酸").
    """
    managed = {g.key: g for g in directory.reachable_groups(platform, user)}
    title, origin = request.title, None
    word = request.group_word
    if word is not None:
        exact = directory.find(word)
        # Part of a name only when it is distinctive: "居民：请回复" is a title, not a group.
        fuzzy = len(_GENERIC.sub("", word)) >= 2
        named = [exact] if exact is not None else directory.named(word) if fuzzy else []
        if not named:
            title = f"{word}：{request.title}"
        else:
            own = [g for g in named if g.key in managed]
            if not own:
                return f"您不是「{named[0].name}」的负责人，不能在那里发起{LABEL[request.kind]}。"
            if len(own) > 1:
                names = "、".join(g.name for g in own[:8])
                return f"「{word}」对应您负责的 {len(own)} 个群：{names}。请写完整群名再发一次。"
            origin = own[0]
    if origin is None:
        owned = directory.owned_groups(platform, user)
        tops = [g for g in owned if g.parent is None or g.parent not in managed]
        if len(tops) != 1:
            names = "、".join(g.name for g in tops[:8])
            return (f"您负责多个群（{names}），请写明在哪个群发起，例如：{LABEL[request.kind]} "
                    f"{tops[0].name if tops else '群名'}：{request.title}")
        origin = tops[0]
    groups = directory.subtree(origin.key) if request.subtree else [origin]
    return origin, groups, title


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a group message says, before it is matched to a campaign."""

    code: int | None
    address: Address | None
    people: int | None
    #: The text without code, address and head count: where the option is looked for.
    rest: str


def read(text: str) -> Reading:
    """Split a message into campaign code, address, head count and the rest."""
    code = None
    m = _CODE.match(text)
    if m is not None:
        code, text = int(m.group(1)), text[m.end():]
    address = None
    found = find_address(text)
    if found is not None:
        address, start, end = found
        text = f"{text[:start]} {text[end:]}"
    people = None
    p = _PEOPLE.search(text)
    if p is not None:
        n = p.group(1)
        people = int(n) if n.isdigit() else _CN_NUM[n]
        text = f"{text[:p.start()]} {text[p.end():]}"
    return Reading(code, address, people, text.strip())


def leftover(text: str) -> str:
    """What remains of ``text`` once fillers and punctuation are gone ('' = nothing else said)."""
    return _FILLER.sub("", text)


def match_option(rest: str, options: Sequence[str]) -> tuple[str, str, bool] | None:
    """(option, what is left, written out) for the option ``rest`` names, or None.

    Written out: the option itself or its number ("2"). Loosely: "做了" is 已做 and "没做" is
    未做 (same core, same negation), which counts only when nothing else is said.
    """
    for option in sorted(options, key=len, reverse=True):
        at = rest.lower().find(option.lower())
        if option and at >= 0:
            return option, rest[:at] + rest[at + len(option):], True
    bare = leftover(rest)
    if bare.isdigit() and 1 <= int(bare) <= len(options):
        return options[int(bare) - 1], "", True
    negated = bool(_NEGATION.search(rest))
    loose = [o for o in options if (core := _MARKERS.sub("", o)) and core in rest
             and bool(_NEGATION.search(o)) == negated]
    if len(loose) == 1:
        core = _MARKERS.sub("", loose[0])
        return loose[0], _MARKERS.sub("", rest.replace(core, "", 1)), False
    return None


def shown_options(options: Sequence[str]) -> str:
    """``1.已做 2.未做``: how options are listed (the number answers too)."""
    return " ".join(f"{i}.{o}" for i, o in enumerate(options, 1))
