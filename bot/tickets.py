"""The ticket model: kinds, categories, statuses and the moves between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Kinds, their labels and categories are declared in bot.kinds; these names derive from it.
from bot.kinds import CATEGORY_LABEL as CATEGORY_LABEL
from bot.kinds import CODE_RE as CODE_RE
from bot.kinds import KIND_LABEL as KIND_LABEL
from bot.kinds import KINDS as KINDS
from bot.kinds import kind_of

PRIORITY_LABEL = {"urgent": "紧急", "normal": "普通"}

OPEN, ACCEPTED, ASSIGNED, DONE, REJECTED = "open", "accepted", "assigned", "done", "rejected"
STATUSES = (OPEN, ACCEPTED, ASSIGNED, DONE, REJECTED)
FINAL = frozenset({DONE, REJECTED})
STATUS_LABEL = {
    OPEN: "待处理",
    ACCEPTED: "已接单",
    ASSIGNED: "已指派",
    DONE: "已完成",
    REJECTED: "已驳回",
}
VERDICT_FALSE, VERDICT_TRUE = "false", "true"
VERDICT_LABEL = {VERDICT_FALSE: "谣言", VERDICT_TRUE: "属实"}
#: A finished rumour report reads as its verdict, in chat and in the ledger alike.
RUMOR_DONE_LABEL = {VERDICT_FALSE: "已辟谣", VERDICT_TRUE: "经核实属实"}

#: A ticket keeps this much of what the resident wrote: pushes, cards and lists never repeat a
#: megabyte. The inbound message row keeps the whole text.
TEXT_LIMIT = 1000



@dataclass(frozen=True, slots=True)
class Ticket:
    """One errand, verification or rumour report."""

    id: int
    code: str
    kind: str
    category: str
    priority: str
    status: str
    group_key: str
    group_name: str
    platform: str
    chat_id: str
    requester_id: str
    requester_name: str
    text: str
    address: str
    assignee: str
    handler_id: str
    handler_name: str
    verdict: str
    created_at: datetime
    updated_at: datetime
    #: The household it came from (the sender's, or the one at its address), if known.
    household_id: int | None = None
    #: That household's grid (网格): its grid workers may act on the ticket.
    grid_key: str = ""

    @property
    def is_final(self) -> bool:
        """Done or rejected: no further moves."""
        return self.status in FINAL

    @property
    def status_label(self) -> str:
        """The status in Chinese, with the rumour verdict where there is one."""
        if self.kind == "rumor" and self.status == DONE and self.verdict in RUMOR_DONE_LABEL:
            return RUMOR_DONE_LABEL[self.verdict]
        if self.status == DONE:
            return kind_of(self.kind).done_label
        return STATUS_LABEL[self.status]

    @property
    def verdict_label(self) -> str:
        """谣言 / 属实 for a rumour with a verdict, else empty."""
        return VERDICT_LABEL.get(self.verdict, "") if self.kind == "rumor" else ""

    @property
    def category_label(self) -> str:
        """The category in Chinese."""
        return CATEGORY_LABEL.get(self.category, self.category)

    @property
    def priority_label(self) -> str:
        """紧急 or 普通."""
        return PRIORITY_LABEL.get(self.priority, self.priority)

    @property
    def kind_label(self) -> str:
        """The kind in Chinese."""
        return kind_of(self.kind).label


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One line of a ticket's history."""

    at: datetime
    actor_id: str
    actor_name: str
    action: str
    from_status: str | None
    to_status: str
    note: str


@dataclass(frozen=True, slots=True)
class Rating:
    """A resident's score for a finished ticket, and what they wrote with it."""

    score: int
    comment: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Closing:
    """Who closed a ticket, when, and in what words (completion note, reason, statement)."""

    at: datetime
    by: str
    note: str


@dataclass(frozen=True, slots=True)
class NewTicket:
    """What the parser found in a resident's message."""

    kind: str
    category: str
    priority: str
    text: str
    address: str

    def __post_init__(self) -> None:
        kind_of(self.kind)  # an undeclared kind never reaches the store
        object.__setattr__(self, "text", cap_text(self.text))
        object.__setattr__(self, "address", self.address[:100])


def cap_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """At most ``limit`` characters of ``text``, saying how much was cut."""
    if len(text) <= limit:
        return text
    cut = limit
    # Never keep half a phone or ID number: the masker knows only whole ones.
    while cut > limit - 30 and text[cut - 1].isdigit() and text[cut].isdigit():
        cut -= 1
    return f"{text[:cut]}…（以下 {len(text) - cut} 字已截去）"


def normalize_code(text: str) -> str | None:
    """``e 12`` / ``E12`` / ``Ｅ１２`` (already NFKC-folded) -> ``E12``; None if not a code."""
    m = CODE_RE.fullmatch(text.strip())
    if not m:
        return None
    return f"{m.group(1).upper()}{int(m.group(2))}"


def can_move(ticket: Ticket, to_status: str) -> str | None:
    """Why ``ticket`` cannot move to ``to_status`` (in Chinese), or None if it can."""
    if ticket.is_final:
        return f"{ticket.code} 已是「{ticket.status_label}」状态，不能再更改。"
    if to_status == ACCEPTED and ticket.status != OPEN:
        return f"{ticket.code} 当前是「{ticket.status_label}」，已有人接单。"
    return None
