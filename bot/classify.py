"""Turn a resident's loosely typed group message into a ticket request, or into nothing.

Precision first: a false ticket posts an answer into a busy group and pushes work to an
owner, so a keyword counts only when it is a request (not "代买的菜到了吗", "跑腿费多少钱").
A keyword leading the message with nothing usable after it gets a prompt saying what to add;
one inside a sentence counts only when the sentence says what is needed. A life-threatening
emergency counts even without any keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot import keywords as kw
from bot.kinds import REGISTRY, SLASH_KINDS, errand_category, kind_of
from bot.text import chinese_punct, normalize, strip_mentions, strip_quote
from bot.tickets import TEXT_LIMIT, NewTicket

_PUNCT = " \t,.!?;:、，。！？；：~～·…—-()（）[]【】\"'“”‘’《》"
_NUM = r"[0-9一二三四五六七八九十百零两]+"
# A number starts where a run of digits starts: trying every digit of a 100k-digit run as a
# start is quadratic (minutes for one message).
_NUM_START = r"(?<![0-9一二三四五六七八九十百零两])"
_CN_ROOM = r"[零〇一二三四五六七八九]{3,4}"
# Place names: Chinese characters other than the verbs and particles that run into them
# ("有车辆进村" must not yield the place "辆进村").
_NAME = r"(?:(?![进出回到去在住来从的了是有和与车这那个要买送给帮我你他她它们说讲])[\u4e00-\u9fff])"
_ADDRESS_TOKEN = (
    rf"(?:{_NAME}{{2,6}}(?:小区|花园|家园|公寓|新村|苑|府|大院|社区))"
    rf"|(?:{_NAME}{{1,6}}(?:路|街|大道|巷|弄){_NUM}号院?)"
    # 3-2-501, but not a phone number, a date (2026-12-01) or a quantity (2-3包).
    r"|(?:(?<![\d-])\d{1,3}(?:-\d{1,4}){1,3}(?![\d-])(?!\s*[包盒斤个袋瓶元块支片粒只件箱罐桶天号日月年点度岁]))"
    rf"|(?:{_NUM_START}{_NUM}(?:号楼|栋|幢|座|楼|单元|室|层|户|号院|组))"
    r"|(?:\d{1,3}#楼?)|(?:[A-Za-z]座)|(?:[东西南北中]区)|(?:[东西中]单元)"
    rf"|(?:{_NAME}{{2,3}}村)"
)
# After another part, a house number or a room may follow: "李家村5组12号", "3栋2单元501".
_ADDRESS = re.compile(
    rf"(?:{_ADDRESS_TOKEN})(?:[\s,]?(?:{_ADDRESS_TOKEN}|(?<=[组村])\d{{1,4}}号))*"
    rf"(?:(?<=[栋幢楼元座#])\s?(?:\d{{2,5}}|{_CN_ROOM}))?"
)
_ADDRESS_LEAD = re.compile(r"^(?:家住|住在|住|在|地址是?|我家|我们|我是|送到|送至|到|:)+")
# Runs that look like places but are not: "明天全村封控", "隔壁村".
_NOT_PLACES = ("明天", "今天", "后天", "昨天", "全村", "本村", "隔壁", "各村", "整村", "每村", "外村")
_SLASH = re.compile(r"^(/[a-z]+)(?:@\w+)?(?:\s+|$)", re.IGNORECASE)
_QUANTITY = re.compile(r"(?:(?<!\d)\d+|(?<![一二两三四五六七八九十几半])[一二两三四五六七八九十几半]+)"
                       r"\s*[个盒袋斤瓶包箱桶罐支份只件片板]")
# Volunteers offering help ("有需要代买菜的可以私信我") are not asking for it.
_OFFER = ("有需要", "需要的", "的可以", "可以找", "请联系", "私信我", "找我")
_FILLERS = ("一下", "谢谢你们", "谢谢大家", "谢谢", "麻烦", "你好", "您好", "请", "帮忙", "紧急",
            "急", "在吗", "吗", "呢", "吧", "啊", "你们", "大家")


@dataclass(frozen=True, slots=True)
class EmptyRequest:
    """A keyword with nothing usable after it: the resident must be told what to add."""

    kind: str
    keyword: str


@lru_cache(maxsize=64)
def classify(raw: str) -> NewTicket | EmptyRequest | None:
    """Classify one group message; None for ordinary chat, which must get no reply.

    Several fallbacks ask about the same message (is it a request? a campaign answer? a
    question?); the answer is immutable, so the last few are kept instead of worked out again.
    """
    text = strip_quote(strip_mentions(normalize(raw)))
    if not text:
        return None
    slash = _SLASH.match(text)
    if slash:
        kind = SLASH_KINDS.get(slash.group(1).lower())
        if kind is None:
            return None
        return _leading(kind, slash.group(1), text[slash.end():], text)
    found = _find_keyword(text)
    if found is None:
        return _unworded_emergency(text)
    kind, keyword, start, end = found
    before, after = text[:start], text[end:]
    kind = _rumor_or_check(kind, keyword, text)
    if _only_lead_words(before):
        return _leading(kind, keyword, after, text)
    return _inside_sentence(kind, keyword, text)


def _leading(kind: str, keyword: str, after: str, full: str) -> NewTicket | EmptyRequest:
    """The keyword opens the message: what follows it is the request."""
    body = after.strip(_PUNCT)
    for filler in ("一下", "下"):
        if body.startswith(filler):
            body = body[len(filler):].strip(_PUNCT)
    if not _has_content(body):
        return EmptyRequest(kind, keyword)
    # "代买需要自己出钱吗": a question about the service; the prompt says how to ask.
    if not kind_of(kind).questions and _is_question(body) and not _says_what(kind, body):
        return EmptyRequest(kind, keyword)
    return _ticket(kind, keyword, body, full)


def _inside_sentence(kind: str, keyword: str, text: str) -> NewTicket | None:
    """The keyword stands inside a sentence: a request only if the sentence says what is needed."""
    if any(t in text for t in kw.THANKS) or any(o in text for o in _OFFER):
        return None
    if kind_of(kind).leading_only:
        return None
    if kind_of(kind).questions:  # a rumour heard is the whole request
        return _ticket(kind, keyword, text, text) if _has_content(text) else None
    if not _says_what(kind, text):
        return None
    return _ticket(kind, keyword, text, text)


def _unworded_emergency(text: str) -> NewTicket | None:
    """"老伴晕倒了 5栋302 快来人": no keyword, but a life may be at stake."""
    if not kw.is_emergency(text) or _any(text, kw.RECOVERED + kw.HEALTH_RECOVERED + kw.NEWS_WORDS + kw.THANKS):
        return None
    if not (extract_address(text) or _any(text, kw.PLEA_WORDS + kw.HEALTH_PLEA_WORDS)):
        return None
    # Medical whatever else it names: "宝宝奶粉没了" is not a grocery run.
    return NewTicket("errand", "medicine", "urgent", chinese_punct(text), extract_address(text))


def unworded_request(raw: str, kind: str) -> NewTicket:
    """A message without a keyword that an owner registered as ``kind`` (errand or verification),
    read as if the resident had written the keyword in front of it."""
    text = strip_quote(strip_mentions(normalize(raw)))
    return _ticket(kind, "核实" if kind == "verification" else "代办", text, text)


def _rumor_or_check(kind: str, keyword: str, text: str) -> str:
    """"核实 网传…" and "举报 有人造谣…" are about news, not about a household."""
    if kind != "verification":
        return kind
    if keyword == "核实" and any(w in text for w in kw.NEWS_WORDS):
        return "rumor"
    if keyword == "举报" and any(w in text for w in kw.RUMOR_REPORT_WORDS):
        return "rumor"
    return kind


@lru_cache(maxsize=1)
def _keyword_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Every kind's keywords as patterns that also match them typed with a space inside ("代 买"),
    longest first: "举报谣言的功能" must rule out 举报 at the same place."""
    words = sorted(((k.key, w) for k in REGISTRY for w in k.keywords), key=lambda kw_: -len(kw_[1]))
    return tuple((kind, word, re.compile(r"\s?".join(map(re.escape, word)))) for kind, word in words)


def _find_keyword(text: str) -> tuple[str, str, int, int] | None:
    """The earliest keyword used as a request (not as a noun, nor about a past errand)."""
    best: tuple[str, str, int, int] | None = None
    rejected: set[int] = set()  # "举报谣言的功能" rules out 举报 at the same place too
    for kind, word, pattern in _keyword_patterns():
        for m in pattern.finditer(text):
            after = text[m.end():].lstrip()
            noun = after.startswith(kw.NOT_A_REQUEST_AFTER) and not after.startswith(kw.STILL_A_REQUEST)
            noun = noun or after.startswith(kind_of(kind).not_after)
            if noun or text[: m.start()].endswith(kw.NOT_A_REQUEST_BEFORE) or m.start() in rejected:
                rejected.add(m.start())
                continue
            if best is None or m.start() < best[2] or (m.start() == best[2] and m.end() > best[3]):
                best = (kind, word, m.start(), m.end())
            break
    return best


def _only_lead_words(before: str) -> bool:
    """Only greetings and request words ("你好，麻烦") come before the keyword."""
    rest = before.strip(_PUNCT)
    while rest:
        for word in sorted(kw.LEAD_WORDS, key=len, reverse=True):
            if rest.startswith(word):
                rest = rest[len(word):].lstrip(_PUNCT)
                break
        else:
            return False
    return True


def _has_content(body: str) -> bool:
    filler = body
    for word in _FILLERS:  # longest first where one contains another (紧急 before 急)
        filler = filler.replace(word, "")
    return bool(filler.strip(_PUNCT))


def _is_question(text: str) -> bool:
    return any(w in text for w in kw.QUESTION_WORDS)


def _says_what(kind: str, text: str) -> bool:
    """The text names what is needed: an item, a place, a symptom, people coming back…"""
    if extract_address(text) or _any(text, kw.ACUTE_WORDS) or _any(text, kw.URGENT_WORDS):
        return True
    if kind == "verification":
        return _any(text, kw.VERIFICATION_SIGNALS) or _any(text, kw.CHECK_WORDS)
    return errand_category(text) != "other" or _QUANTITY.search(text) is not None


def _ticket(kind: str, keyword: str, body: str, full: str) -> NewTicket:
    declared = kind_of(kind)
    category = declared.category(keyword, full)
    text = chinese_punct(body.strip(_PUNCT))
    # A rumour is about news, not a home to visit: a place it names stays in the claim, and an
    # address field would make "听说3栋501确诊" look like that household's own record.
    # Only the kept part of a request is searched: an address past the cap would point at text
    # nobody can read, and a 4,000-character paste full of 栋/号 must not cost milliseconds.
    address = extract_address(body[:TEXT_LIMIT]) if declared.has_address else ""
    return NewTicket(kind, category, _priority(full), text, address)


def _priority(text: str) -> str:
    if _any(text, kw.ACUTE_WORDS) or kw.AMBULANCE.search(text):
        return "urgent"
    calm = text
    for word in kw.NOT_URGENT:
        calm = calm.replace(word, "")
    return "urgent" if _any(calm, kw.URGENT_WORDS) else "normal"


def _any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def extract_address(text: str) -> str:
    """The longest address-like run in the text (``3-2-501``, ``5栋2单元301``, ``李家村3组``)."""
    best = ""
    for word in kw.HEARSAY_WORDS:  # "网传阳光花园" is 阳光花园: cut where no address runs across
        text = text.replace(word, "。")
    for m in _ADDRESS.finditer(text):
        candidate = _ADDRESS_LEAD.sub("", m.group(0)).strip(" ,")
        if any(w in candidate for w in _NOT_PLACES) or sum(c.isdigit() for c in candidate) >= 10:
            continue  # a time word, or a phone number written 139-1234-5678
        if len(candidate) > len(best):
            best = candidate
    return best
