"""Messages that read like a request but carry no keyword ("谁能帮忙去药店买盒布洛芬，8号楼602").

Precision first: such a message is never filed in the group on its own. It goes to the group's
owners in private as 「可能需要帮助」, and an owner decides (handlers/maybe_help.py). This
module only says whether a message reads like one, and as which kind of ticket it would be
registered by default.
"""

from __future__ import annotations

import re

from bot import keywords as kw
from bot.classify import EmptyRequest, classify, extract_address
from bot.text import normalize, strip_mentions, strip_quote
from bot.tickets import NewTicket

# Asking someone to go or come and do something: a request on its own.
STRONG_CUES = (
    "能不能派", "可不可以派", "能否派", "可以派", "派个人", "派人", "上门", "帮我去", "帮忙去", "帮我带",
    "帮忙带", "帮我送", "帮忙送", "帮我取", "帮忙取", "帮我拿", "帮忙拿", "帮我跑", "帮忙跑", "买不到",
    "买不着", "帮我买", "帮忙买", "谁能去", "谁能帮我去", "替我去",
)
# Asking for help in general: a request only when the message also says what is needed.
WEAK_CUES = (
    "谁能帮", "谁可以帮", "谁能给", "谁有空", "有没有人能", "有没有人可以", "有没有人帮", "有人能帮",
    "有人可以帮", "能不能帮", "能否帮", "可不可以帮", "可以帮我", "能帮我", "帮帮忙", "求帮忙",
    "拜托", "哪里能买", "哪里可以买", "哪儿能买", "哪里有卖", "哪里买得到", "哪能买", "谁家有",
    "能借", "借我", "急需", "急缺", "麻烦谁", "麻烦哪位", "哪位能", "哪位可以", "需要人", "没人管", "请人", "找人帮", "送点", "送些", "能不能给", "可以给我",
    "怎么办", "咋办", "求求",
)
# "家里没米了", "药吃完了", "奶粉快没了": something needed has run out.
_RUN_OUT = re.compile(
    r"没有?([^,，。.!?！？\s]{1,5}?)了"
    r"|([^,，。.!?！？\s]{1,5}?)(?:吃完|用完|喝完|快没|没了|断了|见底|用光|吃光)"
)
# A household to check, written without 核实 / 举报.
VERIFY_CUES = ("没报备", "未报备", "没有报备", "外地车", "可疑人员", "陌生人", "偷偷回来", "半夜回来")
# Not a request: an offer of help, thanks, news, a problem already solved, a joke.
NOT_A_REQUEST = (
    "有需要", "需要的", "的可以", "可以找", "请联系", "私信我", "找我", "买到了", "已经买", "不用了",
    "搞定", "解决了", "哈哈", "开玩笑", "已送到", "送到了", "收到了", "自己去", "自己买", "接龙",
    "大家都", "你们都",  # talk about how everyone copes, not one household's need
)
# Advice, not an emergency: "老人注意别摔倒".
NOT_AN_EMERGENCY = ("注意", "小心", "别摔", "防止", "预防", "提醒", "新闻", "流感")
# Needs that no errand category names: "没有吃的了".
NEEDS = ("吃的", "喝的", "饭", "水", "快递", "物资", "车", "钱", "烟", "消毒", "酒精")


def route(raw: str) -> NewTicket | EmptyRequest | str | None:
    """Where a group message goes: a ticket or a hint as today (classify), else the kind of
    ticket an owner is offered for it (``errand`` / ``verification``), else nowhere (chat)."""
    found = classify(raw)
    if found is not None:
        return found
    return request_kind(strip_quote(strip_mentions(normalize(raw))))


def request_kind(text: str) -> str | None:
    """``errand`` or ``verification`` when a normalised message without a keyword reads like a
    request for help; None for ordinary chat."""
    if any(w in text for w in NOT_A_REQUEST + kw.THANKS + kw.NEWS_WORDS):
        return None
    if any(w in text for w in VERIFY_CUES) and (
            extract_address(text) or any(w in text for w in kw.VERIFICATION_SIGNALS)):
        return "verification"
    if kw.is_emergency(text) and not any(w in text for w in kw.RECOVERED + kw.HEALTH_RECOVERED
                                         + NOT_AN_EMERGENCY):
        return "errand"  # an emergency without a plea or an address: not filed, but not lost
    if any(w in text for w in STRONG_CUES) or _ran_out(text):
        return "errand"
    if any(w in text for w in WEAK_CUES) and _names_a_need(text):
        return "errand"
    return None


def _names_a_need(text: str) -> bool:
    """An item, a place, a quantity, or a health problem is named."""
    if extract_address(text) or kw.is_emergency(text):
        return True
    return _names_item(text)


def _names_item(text: str) -> bool:
    return any(w in text for w in NEEDS) or any(
        any(w in text for w in words) for _, words in kw.CATEGORY_WORDS)


def _ran_out(text: str) -> bool:
    for m in _RUN_OUT.finditer(text):
        if _names_item(m.group(1) or m.group(2) or ""):
            return True
    return False
