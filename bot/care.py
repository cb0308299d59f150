"""The daily check-in (每日平安问询): what is asked, how answers are read, what is listed.

Every morning at ``[care] ask_at`` each approved member linked to a household with a care tag
is asked in private; ``1``/``平安`` or ``2``/``需要帮助`` answers (in either script, full-width
digits too: the dispatcher's text is already normalised). At ``list_at`` the households that
have not answered are listed, in private, to their grid's workers and the group's owners.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.store.care import Answer
from bot.store.households import Household

QUESTION = "今天身体怎么样？回复 1 平安 2 需要帮助"
THANKS = "收到，您今天平安，谢谢！祝您身体健康。有事随时回复 2 或私聊我「求助 需要的帮助」。"
HELP_COMING = ("收到，已通知工作人员，马上有人联系您、上门帮忙，请保持电话畅通。"
               "情况危急请立即拨打 120 急救电话！")
NOBODY = "无人入群，请电话联系"

# "1", "1 平安", "平安", "2", "2 需要帮助", "需要帮助" …, with polite trailing punctuation.
_OK = re.compile(r"(?:1\s*(?:平安|很好|好)?|平安|我很好|都好)")
_HELP = re.compile(r"(?:2\s*(?:需要帮助|要帮助|帮助)?|需要帮助|要帮助)")
_TRAIL = " \t。.!！~～,，"


def parse_answer(text: str) -> Answer | None:
    """``"ok"``, ``"help"`` or None for a normalised private message."""
    body = text.strip().strip(_TRAIL)
    if _OK.fullmatch(body):
        return "ok"
    if _HELP.fullmatch(body):
        return "help"
    return None


def day_of(now: datetime, tz: ZoneInfo) -> str:
    """The local day a check-in belongs to, ``YYYY-MM-DD``."""
    return now.astimezone(tz).date().isoformat()


def question(homes: Sequence[Household]) -> str:
    """The morning question; the address names which household when a person has several."""
    if len(homes) < 2:
        return QUESTION
    where = "、".join(h.address for h in homes)
    return f"{QUESTION}（{where}）"


def help_request(home: Household) -> str:
    """The urgent errand's text; no tags: a resident's 我的工单 in the group shows its start."""
    head = f"（户主 {home.head}）" if home.head else ""
    return f"每日平安问询回复「需要帮助」{head}，请尽快电话联系或上门查看"


def missing_list(day: str, group_name: str, unanswered: Sequence[Household],
                 nobody: Sequence[Household], asked: set[int]) -> str:
    """The private list for a grid worker or owner: who did not answer, who has nobody to ask."""
    lines = [f"【每日平安问询】{day}「{group_name}」"]
    if unanswered:
        lines.append(f"未回复的住户 {len(unanswered)} 户，请电话联系或上门查看：")
        lines += [_line(h) + ("" if h.id in asked else "（今天未能发出问询）") for h in unanswered]
    if nobody:
        lines.append(f"{NOBODY}（{len(nobody)} 户）：")
        lines += [_line(h) for h in nobody]
    return "\n".join(lines)


def _line(h: Household) -> str:
    head = f" 户主 {h.head}" if h.head else ""
    phone = f" 电话 {h.phone}" if h.phone else " 无电话"
    return f"· {h.address}{head}{phone}"
