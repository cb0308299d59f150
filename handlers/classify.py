"""Turn a resident's loosely typed group message into a ticket request, or into nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import chinese_punct, normalize, strip_mentions
from bot.tickets import NewTicket
from handlers import keywords as kw

_PUNCT = " \t,.!?;:、，。！？；：~～·…—-()（）[]【】\"'“”‘’《》<>"
_NUM = r"[0-9一二三四五六七八九十百零两]+"
# Place names: Chinese characters other than the verbs and particles that run into them
# ("有车辆进村" must not yield the place "辆进村").
_NAME = r"(?:(?![进出回到去在住来从的了是有和与车这那个要买送给帮我你他她它们说讲])[\u4e00-\u9fff])"
_ADDRESS_TOKEN = (
    rf"(?:{_NAME}{{2,6}}(?:小区|花园|家园|公寓|新村|苑|府|大院|社区))"
    rf"|(?:{_NAME}{{1,6}}(?:路|街|大道|巷|弄){_NUM}号)"
    rf"|(?:\d{{1,4}}(?:-\d{{1,5}}){{1,3}})"
    rf"|(?:{_NUM}(?:号楼|栋|幢|座|楼|单元|室|层|户|号院|组))"
    rf"|(?:{_NAME}{{2,3}}村)"
)
# A bare room number may close the run: "3栋2单元501".
_ADDRESS = re.compile(
    rf"(?:{_ADDRESS_TOKEN})(?:[\s,]?(?:{_ADDRESS_TOKEN}))*(?:(?<=[栋幢楼元座])\d{{2,5}})?"
)
_ADDRESS_LEAD = re.compile(r"^(?:家住|住在|住|在|地址是?|我家|我们|我是|送到|送至|到|:)+")
_SLASH = re.compile(r"^(/[a-z]+)(?:@\w+)?(?:\s+|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EmptyRequest:
    """A keyword with nothing after it: the resident must be told what to add."""

    kind: str
    keyword: str


def classify(raw: str) -> NewTicket | EmptyRequest | None:
    """Classify one group message; None for ordinary chat, which must get no reply."""
    text = strip_mentions(normalize(raw))
    if not text:
        return None
    slash = _SLASH.match(text)
    if slash:
        kind = kw.SLASH_KINDS.get(slash.group(1).lower())
        if kind is None:
            return None
        return _build(kind, slash.group(1), text[slash.end():], text)
    found = _find_keyword(text)
    if found is None:
        return None
    kind, keyword, start = found
    before, after = text[:start], text[start + len(keyword):]
    if _is_past_talk(text, after):
        return None
    if kind == "verification" and keyword == "核实" and any(w in text for w in kw.NEWS_WORDS):
        kind = "rumor"
    if _only_lead_words(before):
        before = ""
    return _build(kind, keyword, (before.strip(_PUNCT) + " " + after).strip(), text)


def _find_keyword(text: str) -> tuple[str, str, int] | None:
    """The earliest keyword that stands at the start of the message or of a clause."""
    tables = (
        ("rumor", kw.RUMOR_KEYWORDS),
        ("verification", kw.VERIFICATION_KEYWORDS),
        ("errand", kw.ERRAND_KEYWORDS),
    )
    best: tuple[str, str, int] | None = None
    for kind, words in tables:
        for word in words:
            for m in re.finditer(re.escape(word), text):
                if not _at_clause_start(text[: m.start()]):
                    continue
                if best is None or m.start() < best[2]:
                    best = (kind, word, m.start())
                break
    return best


def _only_lead_words(before: str) -> bool:
    rest = before.strip(_PUNCT)
    while rest:
        for word in sorted(kw.LEAD_WORDS, key=len, reverse=True):
            if rest.startswith(word):
                rest = rest[len(word):].lstrip(_PUNCT)
                break
        else:
            return False
    return True


def _at_clause_start(before: str) -> bool:
    """True when only greetings, request words or a finished clause precede the keyword."""
    if not before or before[-1] in _PUNCT:
        return True
    rest = before
    while rest:
        for word in sorted(kw.LEAD_WORDS, key=len, reverse=True):
            if rest.endswith(word):
                rest = rest[: -len(word)]
                break
        else:
            return False
        if rest and rest[-1] in _PUNCT:
            return True
    return True


def _is_past_talk(text: str, after: str) -> bool:
    """"代买的菜收到了，谢谢" is thanks for an errand, not a new one."""
    return any(t in text for t in kw.THANKS) and (
        after[:1] in kw.PAST_MARKERS or not after.strip(_PUNCT + "谢谢感多辛苦了")
    )


def _build(kind: str, keyword: str, body: str, full: str) -> NewTicket | EmptyRequest:
    body = body.strip(_PUNCT)
    for filler in ("一下", "下"):
        if body.startswith(filler):
            body = body[len(filler):].strip(_PUNCT)
    if not _has_content(body):
        return EmptyRequest(kind, keyword)
    if kind == "errand":
        category = _errand_category(full)
    elif kind == "verification":
        category = "report" if keyword == "报备" and not _any(full, kw.CHECK_WORDS) else "check"
    else:
        category = "claim"
    return NewTicket(kind, category, _priority(full), chinese_punct(body), extract_address(body))


def _has_content(body: str) -> bool:
    filler = body
    for word in ("一下", "谢谢", "麻烦", "你好", "您好", "请", "帮忙", "急", "紧急"):
        filler = filler.replace(word, "")
    return bool(filler.strip(_PUNCT))


def _errand_category(text: str) -> str:
    for category, words in kw.CATEGORY_WORDS:
        if _any(text, words):
            return category
    return "other"


def _priority(text: str) -> str:
    if _any(text, kw.ACUTE_WORDS):
        return "urgent"
    calm = text
    for word in kw.NOT_URGENT:
        calm = calm.replace(word, "")
    return "urgent" if _any(calm, kw.URGENT_WORDS) else "normal"


def _any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def extract_address(text: str) -> str:
    """The first address-like run in the text (``3-2-501``, ``5栋2单元301``, ``李家村3组``)."""
    best = ""
    for m in _ADDRESS.finditer(text):
        candidate = _ADDRESS_LEAD.sub("", m.group(0)).strip(" ,")
        if len(candidate) > len(best):
            best = candidate
    return best
