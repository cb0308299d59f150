"""How tickets read in Chinese: one-line summaries, full cards, group notices, buttons."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.keywords import is_emergency
from bot.kinds import kind_of
from bot.message import Button
from bot.privacy import mask
from bot.text import one_line
from bot.tickets import (
    CATEGORY_LABEL,
    OPEN,
    PRIORITY_LABEL,
    Ticket,
    TicketEvent,
)

ACTION_LABEL = {
    "create": "登记", "accept": "接单", "assign": "指派", "progress": "进展", "note": "备注",
    "done": "完成", "reject": "驳回", "debunk": "辟谣", "confirm": "核实属实", "auto": "自动答复",
    "escalate": "超时督办", "answer": "答复", "claim": "志愿者抢单", "giveback": "志愿者退回",
}
#: History a group may read: the moves its notices already announced, never 备注 or 督办.
PUBLIC_ACTIONS = frozenset({"create", "accept", "assign", "progress", "done", "reject", "debunk",
                            "confirm", "auto", "answer"})
#: Of those, the notes written for the resident to read (an assignee's note may hold a phone).
PUBLIC_NOTES = frozenset({"progress", "done", "reject", "debunk", "confirm", "auto", "answer"})
WITHHELD = "内容不在群里公开"
#: The first sentence of the answer to an emergency.
CALL_120 = "情况危急请立即拨打 120 急救电话！"
#: Where a volunteer's name ends and their number begins.
_NAME_ONLY = re.compile(r"[\s,，:：;；、]*[+＋(（0-9０-９]")
_PHONE_WORD = re.compile(r"[\s,，:：;；、]*(?:电话|手机|联系方式|tel)?[\s,，:：;；、]*$", re.IGNORECASE)


def when(ts: datetime, tz: ZoneInfo) -> str:
    """``11-22 18:05`` in the configured zone."""
    return ts.astimezone(tz).strftime("%m-%d %H:%M")


def rateable(t: Ticket) -> bool:
    """Residents rate a service done for them: errands and checks, not reports or verdicts."""
    return t.category in kind_of(t.kind).rated


def confidential(t: Ticket) -> bool:
    """Reports and checks name households and neighbours: their content is for staff only."""
    return kind_of(t.kind).confidential


def public_text(t: Ticket, limit: int = 40) -> str:
    """What a group may read of a ticket's content: one masked line without the address,
    nothing of a report."""
    if confidential(t):
        return f"（{WITHHELD}）"
    text = t.text.replace(t.address, " ") if t.address else t.text
    return one_line(mask(text), limit)


def summary(t: Ticket, *, public: bool = False) -> str:
    """One line for lists: code, urgency, category, group, who, what, status.

    ``public``: for a group, without the address and without a report's content.
    """
    urgent = "【急】" if t.priority == "urgent" else ""
    where = f"（{t.address}）" if t.address and not public else ""
    what = public_text(t, 30) if public else one_line(t.text, 30)
    return (f"{t.code}{urgent} {CATEGORY_LABEL[t.category]}｜{t.group_name}｜{t.requester_name}："
            f"{what}{where}｜{t.status_label}")


def card(t: Ticket, tz: ZoneInfo, history: list[TicketEvent] | None = None,
         rating: int | None = None, *, public: bool = False) -> str:
    """Every field of a ticket, and its history when given.

    ``public``: the card a group may read, whoever asks: status and the moves its notices
    announced; no address, internal notes, volunteer's details or report contents.
    """
    lines = [
        f"工单 {t.code}（{t.kind_label}·{CATEGORY_LABEL[t.category]}·{PRIORITY_LABEL[t.priority]}）",
        f"状态：{t.status_label}",
    ]
    if not public:
        lines += [f"群：{t.group_name}", f"居民：{t.requester_name}"]
    lines.append(f"内容：{public_text(t) if public else t.text}")
    if t.address and not public:
        lines.append(f"地址：{t.address}")
    if t.handler_name:
        lines.append(f"接单：{t.handler_name}")
    if t.assignee and not public:
        lines.append(f"志愿者：{t.assignee}")
    if t.verdict_label:
        lines.append(f"结论：{t.verdict_label}")
    lines.append(f"登记时间：{when(t.created_at, tz)}")
    if rating is not None:
        lines.append(f"居民评价：{rating} 分")
    if public:
        history = [ev for ev in history or () if ev.action in PUBLIC_ACTIONS]
    if history:
        lines.append("记录：")
        for ev in history:
            lines.append(f"· {when(ev.at, tz)} {_event(t, ev, public)}")
    if public and confidential(t):
        lines.append(f"登记人可私聊我发送「进度 {t.code}」查看详情。")
    return "\n".join(lines)


def _event(t: Ticket, ev: TicketEvent, public: bool) -> str:
    action = ACTION_LABEL.get(ev.action, ev.action)
    if not public:
        return f"{ev.actor_name} {action}" + (f"：{ev.note}" if ev.note else "")
    shown = ev.note and ev.action in PUBLIC_NOTES and not confidential(t)
    return action + (f"：{one_line(mask(ev.note), 60)}" if shown else "")


def owner_buttons(t: Ticket) -> tuple[Button, ...]:
    """The one-tap actions that make sense for a ticket's status."""
    if t.is_final:
        return (Button("详情", f"详情 {t.code}"),)
    buttons = []
    if t.status == OPEN:
        buttons.append(Button("接单", f"接单 {t.code}"))
    buttons += [Button(verb, f"{verb} {t.code}") for verb in kind_of(t.kind).close_verbs]
    buttons += [Button("驳回", f"驳回 {t.code}"), Button("详情", f"详情 {t.code}")]
    return tuple(buttons)


def new_ticket_push(t: Ticket) -> str:
    """What a group's owners get in private when a ticket comes in."""
    urgent = "【紧急】" if t.priority == "urgent" else ""
    lines = [f"新工单 {t.code}{urgent}", f"{t.group_name}·{t.requester_name}", f"{t.kind_label}：{t.text}"]
    if t.address:
        lines.append(f"地址：{t.address}")
    # The buttons (or, where a platform has none, the line the adapter writes for them) carry
    # the one-word actions; only what needs words of the owner's own is spelt out here.
    lines.append(kind_of(t.kind).push_hint.format(code=t.code))
    return "\n".join(lines)


def ack(t: Ticket, *, private: bool = False) -> str:
    """The answer right after a resident's message became a ticket: in the group, or in private
    when the resident filed it there (then nothing at all is said in the group)."""
    cat = CATEGORY_LABEL[t.category]
    urgent = "紧急·" if t.priority == "urgent" else ""
    text = one_line(mask(t.text))
    where = f"，地址 {t.address}" if t.address else ""
    follow = f"发送「进度 {t.code}」可查看进展。"
    # In an emergency the first thing read is the number to call, before any ticket talk.
    danger = CALL_120 if t.kind == "errand" and is_emergency(t.text) else ""
    if private:
        return (f"{danger}已为您在「{t.group_name}」登记{t.kind_label} {t.code}（{urgent}{cat}）：{text}{where}。"
                f"已转给该群的工作人员，群里不会公开，进展只在这里告诉您。{follow}")
    if danger:
        return f"{danger}已登记紧急求助 {t.code}（{cat}）：{text}{where}。工作人员马上联系您。{follow}"
    return kind_of(t.kind).ack(t.category).format(
        code=t.code, urgent=urgent, cat=cat, text=text, where=where, follow=follow, withheld=WITHHELD)


def status_notice(t: Ticket, action: str, note: str = "", *, private: bool = False) -> str:
    """What the resident hears when a ticket moves: in the group, or in private for a ticket
    filed there. A group hears nothing of what a report or check found."""
    who = t.handler_name or "工作人员"
    if not private and confidential(t) and action in ("progress", "done", "reject"):
        moved = {"progress": "有新进展", "done": "已办结", "reject": "未能受理"}[action]
        return f"您的工单 {t.code} {moved}。{WITHHELD}，请私聊我发送「进度 {t.code}」查看说明。"
    if action == "accept":
        return f"您的工单 {t.code} 已由{who}接单，正在处理。"
    if action == "assign":
        # "指派 E1 王小明 13900001111": the resident hears from the volunteer; the group hears a name.
        name = t.assignee if private else _PHONE_WORD.sub("", _NAME_ONLY.split(t.assignee, maxsplit=1)[0])
        who_goes = f"志愿者 {name} " if name else "志愿者"
        return f"您的工单 {t.code} 已安排{who_goes}跟进，请保持电话畅通。"
    if action == "progress":
        return f"工单 {t.code} 进展：{note}"
    if action == "done":
        detail = f"说明：{note.rstrip('。.！!')}。" if note else ""
        rate = f"满意的话请发送「评价 {t.code} 5」（1-5 分）。" if rateable(t) else ""
        return f"您的工单 {t.code} 已完成。{detail}{rate}"
    if action == "reject":
        return f"您的工单 {t.code} 未能受理，原因：{note}。如有疑问请联系群主。"
    if action in ("debunk", "auto"):
        return (f"【辟谣】{t.code} 关于「{one_line(mask(t.text))}」：经核实是谣言。官方说法：{note}"
                "。请大家不信谣、不传谣。")
    if action == "confirm":
        detail = f"说明：{note}" if note else "请大家留意群内通知。"
        return f"【核实】{t.code} 关于「{one_line(mask(t.text))}」：经核实情况属实。{detail}"
    raise ValueError(f"no notice for action {action!r}")

