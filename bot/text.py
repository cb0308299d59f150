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


_CLAIM_FILLER = re.compile(
    r"听说|据说|网传|网上说|有人说|朋友圈|是真的吗|真的吗|真的假的|是不是真的|是谣言吗|是不是谣言|吗|呢|啊|吧"
)
_NON_WORD = re.compile(r"[^\w]")


def claim_key(text: str) -> str:
    """The substance of a rumour claim: normalised, without hedges and punctuation."""
    return _NON_WORD.sub("", _CLAIM_FILLER.sub("", normalize(text)))


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
