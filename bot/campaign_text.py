"""What campaigns say: the post in each group, progress lines, reminders, results, reports.

Group texts carry counts only: never an address, a head's name or a phone number of anyone
(the reminder @-mentions linked members instead of listing who is missing). Private texts for
owners and staff carry the missing households with head and phone, for follow-up calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.campaigns import DEFAULT_OPTION, LABEL, shown_options
from bot.store.campaigns import Answer, Campaign, Tally
from bot.store.households import Household


def heading(c: Campaign) -> str:
    """``【接龙 C1】核酸检测``."""
    return f"【{LABEL[c.kind]} {c.code}】{c.title}"


def when(at: datetime, tz: ZoneInfo) -> str:
    """A deadline as people read it."""
    return f"{at.astimezone(tz):%m-%d %H:%M}"


def _named(c: Campaign) -> bool:
    return c.options != (DEFAULT_OPTION[c.kind],)


def post(c: Campaign, tz: ZoneInfo) -> str:
    """The campaign as each group reads it."""
    first = c.options[0]
    lines = [heading(c)]
    if c.kind == "vote":
        lines[0] += "（不记名）" if c.secret else "（记名，结果公布投票人）"
        lines += [f"选项：{shown_options(c.options)}",
                  f"已实名登记的居民请在群里回复选项，例如「{first}」或「{c.code} 1」；每人一票，以最后一次为准。"]
    else:
        if c.capacity:
            lines[0] += f"（名额 {c.capacity} 人）"
        how = f"门牌号 {first}" if _named(c) else "门牌号"
        if _named(c):
            lines.append(f"选项：{shown_options(c.options)}")
        lines.append(f"请在群里回复「{how}」，例如：3-2-501{' ' + first if _named(c) else ''}"
                     f"{'（几个人就写 2人）' if c.kind == 'signup' else ''}；"
                     "已实名登记的居民可以只回复选项。每户以最后一次为准，不用重复发。")
    if c.deadline:
        lines.append(f"截止：{when(c.deadline, tz)}{'，截止后公布结果' if c.kind == 'vote' else ''}")
    return "\n".join(lines)


def _counts(c: Campaign, t: Tally) -> str:
    if c.kind == "signup":
        left = f"，名额 {c.capacity}，还剩 {max(c.capacity - t.people, 0)}" if c.capacity else ""
        return f"已报名 {t.answers} 户 {t.people} 人{left}"
    if c.kind == "vote":
        return f"已有 {t.answers} 人投票"
    if t.households:
        return f"已接龙 {t.answered} 户，还差 {max(t.households - t.answered, 0)} 户"
    return f"已接龙 {t.answers} 户"


def progress(c: Campaign, t: Tally) -> str:
    """The group's progress line: counts only."""
    return f"{heading(c)}：{_counts(c, t)}。"


def options_line(c: Campaign, t: Tally) -> str:
    """``已做 40 户（120 人）；未做 5 户``: per option."""
    unit = "票" if c.kind == "vote" else "户"
    parts = []
    for option in c.options:
        n, people = t.options.get(option, (0, 0))
        more = f"（{people} 人）" if c.kind != "vote" and people != n else ""
        parts.append(f"{option} {n} {unit}{more}")
    return "；".join(parts)


def reminder(c: Campaign, t: Tally, tz: ZoneInfo, mentioned: int) -> str:
    """The reminder before the deadline (the @-mentions travel with the reply)."""
    assert c.deadline is not None
    text = f"【提醒】{heading(c)} 将于 {when(c.deadline, tz)} 截止，{_counts(c, t)}。"
    if mentioned:
        text += "请被@的住户尽快回复。"
    elif c.kind == "rollcall":
        text += "还没回复的住户请尽快回复。"
    return text


def group_result(c: Campaign, t: Tally, voters: Sequence[Answer]) -> str:
    """What the group reads at the deadline: counts, and for open votes who chose what."""
    lines = [f"{heading(c)} 已截止：{_counts(c, t)}。"]
    if c.kind == "vote" or _named(c):
        lines.append(options_line(c, t))
    if c.kind == "vote" and not c.secret and voters:
        for option in c.options:
            names = [a.name for a in voters if a.option == option]
            if names:
                lines.append(f"{option}：{'、'.join(names[:50])}{' 等' if len(names) > 50 else ''}")
    return "\n".join(lines)


def owner_report(c: Campaign, t: Tally, missing: Sequence[Household], tz: ZoneInfo, scope: str,
                 answers: Sequence[Answer] = ()) -> str:
    """``接龙进度 C1`` and the result at the deadline (private): counts, then who is missing."""
    state = ("已截止" if c.closed_at else
             f"截止 {when(c.deadline, tz)}" if c.deadline else "进行中（发送「结束接龙 " + c.code + "」结束）")
    lines = [f"{heading(c)}（{state}）{scope}", f"{_counts(c, t)}。", options_line(c, t)]
    if t.households and c.kind != "vote":
        lines[1] = f"{_counts(c, t)}（已回复 {t.answered}/{t.households} 户）。"
    if c.kind == "vote" and not c.secret and answers:
        lines += [f"{a.name}：{a.option}" for a in answers[:30]]
    if c.kind == "signup" and answers:
        lines.append("报名名单：" + "、".join(f"{a.address or a.name}{f'（{a.people}人）' if a.people > 1 else ''}"
                                           for a in answers[:30]) + (" 等" if len(answers) > 30 else ""))
    if missing and c.kind == "rollcall":
        more = t.households - t.answered - len(missing)
        lines.append("未回复的住户（请电话跟进）：")
        lines += [f"{h.address} {h.head or '（户主未登记）'} {h.phone or '（无电话）'}" for h in missing]
        if more > 0:
            lines.append(f"……还有 {more} 户，完整名单：gridbot campaigns report {c.code} --format xlsx")
    return "\n".join(lines)


def digest_line(c: Campaign, t: Tally) -> str:
    """One line per campaign closed since the last digest."""
    return f"{LABEL[c.kind]} {c.code}「{c.title}」已截止：{_counts(c, t)}；{options_line(c, t)}"
