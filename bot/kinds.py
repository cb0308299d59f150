"""Ticket kinds: one declaration each, from which codes, keywords, commands, help and texts derive.

Adding a kind is one :class:`TicketKind` in :data:`REGISTRY` (and, where it needs words of its
own from owners, its handler). The parser, the code patterns, the Telegram command list, the
help cards, the owners' 待办 filters, the acknowledgements, ledgers, digests and the store's
validation all read this registry; nothing else lists the kinds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot import keywords as kw

#: Code letters of things that are not tickets: notices (N3), schedules (S2), join requests
#: (J5), campaigns (C1). A kind's prefix must not take one of them.
OTHER_CODE_LETTERS = "NSJC"


@dataclass(frozen=True, slots=True)
class TicketKind:
    """Everything that makes one kind of ticket: how it is asked for, coded, named and answered."""

    key: str
    #: The code letter: E12, V3, R7, F1.
    prefix: str
    #: The kind in Chinese, in cards, lists, ledgers and digests.
    label: str
    #: Words that file it from a group message; longer first where one contains another. Empty
    #: for a kind that a route of its own files (a question the Q&A could not answer).
    keywords: tuple[str, ...]
    #: The slash command (``/errand``) and its line in Telegram's command list; "" for none.
    slash: str
    command_hint: str
    #: Its lines on the residents' help card.
    help_lines: tuple[str, ...]
    #: What an owner writes after 待办 to list only this kind (the first is shown in hints).
    filter_words: tuple[str, ...]
    #: What a resident who wrote only the keyword is told to add, with an example.
    what_to_add: str
    example: str
    #: The categories it files under, with their Chinese labels, and which one a message gets:
    #: (keyword, whole text) -> category.
    categories: Mapping[str, str]
    category: Callable[[str, str], str]
    #: The acknowledgement template by category ("" for any other); fields: code, urgent, cat,
    #: text, where, follow, withheld.
    acks: Mapping[str, str] = field(default_factory=dict)
    #: Categories a resident rates once done (a service done for them).
    rated: tuple[str, ...] = ()
    #: Its content names households, neighbours or staff: never shown in a group, no @ to its author.
    confidential: bool = False
    #: The verbs that close it, one button each; without 完成, how to close it instead.
    close_verbs: tuple[str, ...] = ("完成",)
    close_usage: str = ""
    #: How a finished ticket's status reads (a rumour's reads as its verdict instead).
    done_label: str = "已完成"
    #: The line of the owner's push that spells out the action needing their own words.
    push_hint: str = "派给志愿者：指派 {code} 姓名"
    #: Extra lines on the owners' help card.
    owner_help: tuple[str, ...] = ()
    #: Whether an address is read out of the request (a rumour's place stays in the claim).
    has_address: bool = True
    #: Words that, right after its keyword, make the keyword no request ("建议大家…").
    not_after: tuple[str, ...] = ()
    #: Whether it counts only when the keyword leads the message ("专家建议…" is news).
    leading_only: bool = False
    #: Whether a question after the keyword is itself the request ("求证 …是真的吗").
    questions: bool = False
    #: Whether its household's grid workers hear of it and may act on it (a complaint may be
    #: about the grid worker).
    to_grid: bool = True
    #: A ``[feedback]``-style table of bot.toml may name contacts who get it instead of the owners.
    has_contacts: bool = False

    def ack(self, category: str) -> str:
        """The acknowledgement template for a ticket of this category."""
        return self.acks.get(category, self.acks[""])


def errand_category(text: str) -> str:
    """What an errand is about, a health need before shopping."""
    for category, words in kw.CATEGORY_WORDS:
        if any(w in text for w in words):
            return category
    return "other"


def _errand(keyword: str, full: str) -> str:
    return errand_category(full)


def _verification(keyword: str, full: str) -> str:
    """A household's own status report, or a request to go and check on someone."""
    return "report" if keyword == "报备" and not any(w in full for w in kw.CHECK_WORDS) else "check"


def _rumor(keyword: str, full: str) -> str:
    return "claim"


def _feedback(keyword: str, full: str) -> str:
    return "complaint" if keyword == "投诉" else "suggestion"


def _question(keyword: str, full: str) -> str:
    return "policy"


REGISTRY: tuple[TicketKind, ...] = (
    # In the order help cards and command lists show them.
    TicketKind(
        key="errand", prefix="E", label="代办", keywords=kw.ERRAND_KEYWORDS,
        slash="errand", command_hint="代买/代办/跑腿/求助：/errand 大米一袋 3栋501",
        help_lines=("· 代买/代办/跑腿/求助 + 事情和地址，例：代买 大米一袋 3栋2单元501",),
        filter_words=("代办", "代买", "跑腿", "求助", "errand"),
        what_to_add="要办的事和地址", example="代买 大米一袋 3栋2单元501",
        categories={"groceries": "买菜/生活物资", "medicine": "买药/就医", "trash": "垃圾清运",
                    "printing": "打印/复印", "utilities": "水电燃气", "other": "其他"},
        category=_errand,
        acks={"": "已登记代办工单 {code}（{urgent}{cat}）：{text}{where}。工作人员会尽快联系您，{follow}"},
        rated=("groceries", "medicine", "trash", "printing", "utilities", "other"),
    ),
    TicketKind(
        key="verification", prefix="V", label="核实", keywords=kw.VERIFICATION_KEYWORDS,
        slash="verify", command_hint="报备/核实/举报：/verify 3-2-501 一家三口返乡",
        help_lines=("· 报备 + 地址、人员、情况，例：报备 3-2-501 一家三口从外地返回",
                    "· 核实/举报 + 要核实的情况，例：举报 有陌生车辆进村 李家村3组"),
        filter_words=("核实", "报备", "举报", "verification", "verify"),
        what_to_add="地址、人员和情况", example="报备 3-2-501 一家三口 从外地返回 居家观察",
        categories={"report": "居家报备", "check": "上门核实"}, category=_verification,
        acks={"report": "已收到报备 {code}，感谢配合。内容只转给工作人员，不在群里公开。{follow}",
              "": "已收到您的核实/举报 {code}，工作人员会私下核实处理，{withheld}。以后也可以私聊我发送，更加保密。"},
        rated=("check",), confidential=True,
    ),
    TicketKind(
        key="rumor", prefix="R", label="谣言求证", keywords=kw.RUMOR_KEYWORDS,
        slash="rumor", command_hint="求证/辟谣：/rumor 听说明天停水是真的吗",
        help_lines=("· 求证/辟谣 + 听到的说法，例：求证 听说明天停水是真的吗",),
        filter_words=("谣言", "辟谣", "求证", "rumor"),
        what_to_add="听到的说法", example="求证 听说明天超市关门，是真的吗",
        categories={"claim": "待核实传言"}, category=_rumor,
        acks={"": "已收到求证 {code}：「{text}」。核实后会在群里答复，在此之前请不要转发未经证实的消息。"},
        close_verbs=("辟谣", "属实"), close_usage="请用「辟谣 {code} 官方说法」或「属实 {code}」给出结论",
        push_hint="辟谣请附官方说法：辟谣 {code} 官方说法",
        owner_help=("· 辟谣 R7 官方说法 ／ 属实 R7 [说明]",
                    "· 辟谣 R7 按 L12　按谣言库答复 ／ 下发辟谣 L12 [群名]　把谣言库条目作为通知下发"),
        has_address=False, questions=True,
    ),
    TicketKind(
        key="feedback", prefix="F", label="意见建议", keywords=kw.FEEDBACK_KEYWORDS,
        slash="feedback", command_hint="建议/投诉/意见：/feedback 物业消毒不到位",
        help_lines=("· 建议/投诉/意见 + 想反映的事，例：投诉 物业消毒不到位（只转给工作人员，不在群里公开）",),
        filter_words=("建议", "投诉", "意见", "feedback"),
        what_to_add="想反映的事", example="投诉 物业消毒不到位",
        categories={"suggestion": "意见建议", "complaint": "投诉"}, category=_feedback,
        acks={"": "已收到您的{cat} {code}，已转给负责的工作人员，{withheld}。处理结果会通知您，{follow}"},
        confidential=True, push_hint="答复居民：完成 {code} 处理结果",
        not_after=kw.FEEDBACK_NOT_AFTER, leading_only=True, questions=True, to_grid=False, has_contacts=True,
    ),
    # Filed by the policy Q&A (handlers/faq.py) when no entry answers a resident's question:
    # no keyword of its own, since any question may be one.
    TicketKind(
        key="question", prefix="Q", label="居民提问", keywords=(), slash="", command_hint="",
        help_lines=("· 有政策上的问题直接在群里问，例：请问核酸点几点开门？（能答的马上答，不能答的转给群主答复）",),
        filter_words=("提问", "问题", "咨询", "question"),
        what_to_add="想问的问题", example="请问核酸点几点开门？",
        categories={"policy": "政策咨询"}, category=_question,
        acks={"": "您的问题已转给群主（{code}），答复后会在群里告诉您。"},
        close_verbs=("答复",), close_usage="请用「答复 {code} 您的答复」答复（答复会发到群里并@提问的居民）",
        done_label="已答复",
        push_hint="答复居民（会发到群里）：答复 {code} 您的答复",
        owner_help=("· 答复 Q3 答复内容 ／ 答复 Q3 按 P12　答复居民提问（发到群里）",
                    "· 存为问答 Q3 [问题说法]　把答复存入问答库，以后自动答复；待答　列出待答复的提问"),
        has_address=False, to_grid=False,
    ),
)

BY_KEY: dict[str, TicketKind] = {k.key: k for k in REGISTRY}
KINDS: tuple[str, ...] = tuple(BY_KEY)
PREFIXES = "".join(k.prefix for k in REGISTRY)
#: A ticket code anywhere in a text: a kind's letter (either case) and up to 7 digits.
CODE_RE = re.compile(rf"([{PREFIXES}{PREFIXES.lower()}])\s*(\d{{1,7}})")
SLASH_KINDS: dict[str, str] = {f"/{k.slash}": k.key for k in REGISTRY if k.slash}
KIND_LABEL: dict[str, str] = {k.key: k.label for k in REGISTRY}
CATEGORY_LABEL: dict[str, str] = {c: label for k in REGISTRY for c, label in k.categories.items()}


def kind_of(key: str) -> TicketKind:
    """The declaration of a kind; ValueError (in Chinese) for one that is not declared."""
    found = BY_KEY.get(key)
    if found is None:
        raise ValueError(f"没有这种工单类别：{key!r}（可用：{'、'.join(KINDS)}）")
    return found


def by_filter_word(word: str) -> TicketKind | None:
    """The kind an owner means with ``待办 <word>``, if any."""
    return next((k for k in REGISTRY if word in k.filter_words), None)
