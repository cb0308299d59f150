"""Telegram's ``parse_mode=HTML``, the way the Bot API (TDLib's ``parse_html``) reads it.

Only ``<`` and ``&`` are special: a ``<`` must open or close a supported tag, an ``&``
that starts no known entity stays a literal ``&``. Errors carry TDLib's wording and byte
offsets; entity offsets and lengths count UTF-16 code units, as in the real API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Tag -> entity type (``a`` and ``span`` are decided by their attributes).
TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_ATTR = re.compile(r"\s*([a-zA-Z-]+)\s*(?:=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*)))?")
_TAG_NAME = re.compile(r"[^\s>]*")
_USER_LINK = re.compile(r"^tg://user\?id=(\d+)$")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; the message is the Bot API's description tail."""


@dataclass
class _Open:
    tag: str
    utf16_start: int
    attrs: dict[str, str] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(html: str, known_users: dict[int, dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted message; raises HtmlError like the API."""
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(html):
        ch = html[i]
        if ch == "&":
            m = _ENTITY.match(html, i)
            decoded = _decode(m) if m else None
            if m and decoded is not None:
                out.append(decoded)
                pos16 += utf16_len(decoded)
                i = m.end()
                continue
        if ch != "<":
            out.append(ch)
            pos16 += utf16_len(ch)
            i += 1
            continue
        begin = i
        if html.startswith("</", i):
            close = html.find(">", i)
            if close < 0:
                raise HtmlError(f"Unclosed end tag at byte offset {_bytes(html, begin)}")
            name = html[i + 2:close].strip().lower()
            i = close + 1
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {_bytes(html, begin)}")
            top = stack.pop()
            if name and name != top.tag:
                raise HtmlError(f'Unmatched end tag at byte offset {_bytes(html, begin)}, '
                                f'expected "</{top.tag}>", found "</{name}>"')
            entity = _entity(top, pos16, known_users)
            if entity is not None:
                entities.append(entity)
            continue
        tag = _TAG_NAME.match(html, i + 1)
        assert tag is not None  # the pattern matches the empty string
        name = tag.group().lower()
        close = html.find(">", tag.end())
        if tag.end() >= len(html):
            raise HtmlError(f"Unclosed start tag at byte offset {_bytes(html, begin)}")
        if name not in TAGS:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {_bytes(html, begin)}')
        if close < 0:
            raise HtmlError(f"Unclosed start tag at byte offset {_bytes(html, begin)}")
        attrs = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                 for m in _ATTR.finditer(html, tag.end(), close) if m.group(1)}
        i = close + 1
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {_bytes(html, begin)}')
        stack.append(_Open(name, pos16, attrs))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _bytes(text: str, index: int) -> int:
    """The UTF-8 byte offset TDLib reports for a character index."""
    return len(text[:index].encode("utf-8"))


def _decode(m: re.Match[str]) -> str | None:
    dec, hexa, name = m.groups()
    if name is not None:
        return NAMED.get(name)
    code = int(dec) if dec is not None else int(hexa, 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def _entity(open_tag: _Open, end16: int, known_users: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    length = end16 - open_tag.utf16_start
    if length <= 0:
        return None
    entity: dict[str, Any] = {"type": TAGS[open_tag.tag], "offset": open_tag.utf16_start, "length": length}
    if open_tag.tag == "a":
        href = open_tag.attrs.get("href", "")
        user = _USER_LINK.match(href)
        if user:
            known = known_users.get(int(user.group(1)))
            if known is None:
                return None  # a user the bot cannot see: Telegram drops the link, keeps the text
            return {"type": "text_mention", "offset": entity["offset"], "length": length, "user": known}
        if not href:
            return None
        entity["url"] = href
    if open_tag.tag == "pre" and "class" in open_tag.attrs:
        entity["language"] = open_tag.attrs["class"].removeprefix("language-")
    if open_tag.tag == "tg-emoji":
        entity["custom_emoji_id"] = open_tag.attrs.get("emoji-id", "")
    return entity
