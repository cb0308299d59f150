"""Normalise what people type before anything is matched against it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"\s+")
# WeChat puts U+2005 after an @name; Telegram clients use ordinary spaces.
_MENTION = re.compile(r"^(?:@\S+[\s\u2005]+)+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), Traditional to Simplified, one space between words."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2005", " ")
    return _SPACES.sub(" ", _t2s().convert(folded)).strip()


def strip_mentions(text: str) -> str:
    """Drop leading ``@name`` mentions (a resident @-ing the bot before the keyword)."""
    return _MENTION.sub("", text).strip()


_LEADING_SEPS = " \t\r\n\u3000\u2005:：,，"


def verbatim_tail(raw: str, tail: str) -> str:
    """The end of ``raw`` (as typed) that :func:`normalize` turns into ``tail``, else ``tail``.

    Matching works on normalised text, but a notice should go out as its author wrote it:
    line breaks, full-width punctuation, Traditional script. ``normalize`` only ever
    shortens (whitespace runs), so the start is found by bisecting on the normalised length.
    """
    want = normalize(tail)
    if not want:
        return tail
    lo, hi = 0, len(raw)
    while lo < hi:  # the first start whose normalised rest is no longer than ``want``
        mid = (lo + hi) // 2
        if len(normalize(raw[mid:])) <= len(want):
            hi = mid
        else:
            lo = mid + 1
    for start in range(max(lo - 2, 0), min(lo + 3, len(raw))):
        rest = raw[start:].lstrip(_LEADING_SEPS).rstrip()
        if normalize(rest) == want:
            return rest
    return tail


# A quoted reply: WeChat writes 「name：quoted text」, a dashed line, then the new text.
_QUOTE = re.compile(r"^「[^」]*」\s*(?:[-—]\s*){3,}")


def strip_quote(text: str) -> str:
    """The new part of a quoted reply: "「张阿姨：代买 …」- - - 收到" is just "收到"."""
    return _QUOTE.sub("", text).strip()


def one_line(text: str, limit: int = 40) -> str:
    """A single line of at most ``limit`` characters for summaries."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = limit - 1
    # Never half a phone or ID number: "电话138123…" reads as a wrong number. Drop the whole run.
    if flat[cut].isdigit():
        while cut > 0 and flat[cut - 1].isdigit():
            cut -= 1
    return flat[:cut].rstrip() + "…"


_CN_PUNCT = str.maketrans({",": "，", "!": "！", "?": "？", ";": "；", ":": "："})
_CJK_ADJ = re.compile(r"(?<=[\u4e00-\u9fff])[,!?;:]|[,!?;:](?=[\u4e00-\u9fff])")


def chinese_punct(text: str) -> str:
    """Undo NFKC's half-width punctuation next to Chinese text, for what people read back."""
    return _CJK_ADJ.sub(lambda m: m.group(0).translate(_CN_PUNCT), text)


# Hedges, hearsay and question tails say how a claim was heard, not what it claims: they are
# dropped before rumours are compared, and so are the modal words of a forecast (要/会): "明天要
# 封城" claims what "明天封城" does. Longer phrases first where one contains another.
_CLAIM_FILLER = re.compile(
    r"群里都在传|大家都在传|朋友圈都在传|都在传|群里有人说|朋友圈里|朋友圈|网上都在说|网上说|网上传|"
    r"听说|据说|网传|有人说|传言|传闻|谣传|消息称|据悉|有消息|我看到|看到|刚看到|"
    r"是真的还是假的|是真是假|是真的吗|是不是真的|真的假的|真的吗|是谣言吗|是不是谣言|靠谱吗|可信吗|"
    r"是不是|属实吗|有这回事吗|有这事吗|谁知道|请问|求证|求真|辟谣|核实一下|帮忙|问一下|不知道|"
    r"马上就要|马上要|快要|就要|将要|大家|各位|吗|呢|啊|吧|呀|哦|嘛|了|要|会"
)
_NON_WORD = re.compile(r"[^\w]")
# "明日" and "明天" are one day; numbers written in Chinese are the same numbers.
_DAY_WORDS = (("明日", "明天"), ("今日", "今天"), ("今儿", "今天"), ("明儿", "明天"), ("今夜", "今晚"),
              ("星期", "周"), ("礼拜", "周"))
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=[天日号点人例个名周月年次岁栋楼万千元块小家户所])")


def _cn_int(word: str) -> str:
    """"十四" -> "14", "三百零二" -> "302"; the word itself when it is not a plain number."""
    total, digit = 0, 0
    for ch in word:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "十":
            total, digit = total + (digit or 1) * 10, 0
        elif ch == "百":
            total, digit = total + (digit or 1) * 100, 0
    return str(total + digit)


def claim_key(text: str) -> str:
    """The substance of a rumour claim: normalised, without hedges and punctuation.

    Numbers, days and negations stay (they are what tells two claims apart); Chinese
    numerals before a unit become digits and day synonyms one word.
    """
    folded = normalize(text)
    for word, same in _DAY_WORDS:
        folded = folded.replace(word, same)
    folded = _CN_NUMBER.sub(lambda m: _cn_int(m.group(0)), folded)
    return _NON_WORD.sub("", _CLAIM_FILLER.sub("", folded)).lower()


# C0 controls other than tab, line feed and carriage return, and UTF-16 surrogates: a str
# holding one came from broken input (JSON "\ud800", undecodable bytes read with
# surrogateescape) and cannot be encoded to UTF-8, so SQLite and every platform refuse it.
_UNCLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text safe to store and send: control characters dropped, lone surrogates made U+FFFD."""
    if not _UNCLEAN.search(text):
        return text
    # A surrogate pair split into two code points is rejoined; a lone half becomes U+FFFD.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROLS.sub("", text)
