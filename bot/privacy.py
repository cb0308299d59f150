"""The one masking step for text posted to a group: phone numbers and ID numbers.

Mainland mobiles (``13812345678`` -> ``138****5678``, also written ``+86 138-1234-5678``),
landlines (``010-12345678`` -> ``010-****5678``, ``(0755)1234567``) and ID numbers (18 digits,
``110101199003071234`` -> ``110101********1234``; the old 15-digit form too). A number only
counts as a whole digit run: an order number ``202611251381234567890`` holds no phone. ID numbers
must carry a plausible birth date, so an 18-digit order number passes unmasked, while a
mistyped check digit is still masked (a wrong ID is still somebody's).

:func:`leaks` reports what :func:`mask` would hide; ``leaks(mask(t)) == []`` for every text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from bot.message import Reply

log = logging.getLogger(__name__)

#: Digits as people type them: ASCII and full-width (the raw text is not NFKC-folded).
_D = "[0-9０-９]"
_SEP = "[ \t\\-－]"
_BEFORE = rf"(?<!{_D})"
_AFTER = rf"(?!{_D})"

_YEAR18 = "(?:1[89]|20|１[８９]|２０)" + _D * 2
_MONTH = "(?:[0０][1-9１-９]|[1１][0-2０-２])"
_DAY = "(?:[0０][1-9１-９]|[12１２]" + _D + "|[3３][01０１])"

# Order matters: ID numbers first, so a phone-like run inside one is already gone.
_ID18 = re.compile(
    rf"{_BEFORE}(?P<head>[1-9１-９]{_D}{{5}}){_SEP}?(?P<mid>{_YEAR18}{_MONTH}{_DAY}){_SEP}?"
    rf"(?P<tail>{_D}{{3}}[0-9０-９Xx])(?![0-9０-９A-Za-z])"
)
_ID15 = re.compile(
    rf"{_BEFORE}(?P<head>[1-9１-９]{_D}{{5}})(?P<mid>{_D}{{2}}{_MONTH}{_DAY})(?P<tail>{_D}{{3}}){_AFTER}"
)
_MOBILE = re.compile(
    rf"{_BEFORE}(?P<prefix>(?:(?:\+|＋|00|００)?(?:86|８６){_SEP}?)?)"
    rf"(?P<head>[1１][3-9３-９]{_D}){_SEP}?(?P<mid>{_D}{{4}}){_SEP}?(?P<tail>{_D}{{4}}){_AFTER}"
)
#: Area codes: 010 and 020-029 have three digits, every other one (0311, 0755…) four.
_AREA = rf"[0０](?:[1１][0０]|[2２]{_D}|[3-9３-９]{_D}{{2}})"
#: The local number: 7 or 8 digits, maybe split "1234-5678".
_LOCAL = rf"(?P<mid>[1-9１-９]{_D}{{2,3}}){_SEP}?(?P<tail>{_D}{{4}}){_AFTER}"
_LANDLINE = re.compile(
    rf"{_BEFORE}(?P<head>[(（]{_AREA}[)）]{_SEP}?|{_AREA}{_SEP}?){_LOCAL}"
)

def _id(m: re.Match[str]) -> str:
    return m["head"] + "*" * len(m["mid"]) + m["tail"]


def _mobile(m: re.Match[str]) -> str:
    return f"{m['prefix']}{m['head']}****{m['tail']}"


def _landline(m: re.Match[str]) -> str:
    return m["head"] + "*" * len(m["mid"]) + m["tail"]


_MASKERS = ((_ID18, _id), (_ID15, _id), (_MOBILE, _mobile), (_LANDLINE, _landline))


def mask(text: str) -> str:
    """``text`` with every phone and ID number masked; idempotent."""
    if not any(c.isdigit() for c in text):
        return text  # the common case: chat without numbers costs one scan
    for pattern, hide in _MASKERS:
        text = pattern.sub(hide, text)
    return text


def leaks(text: str) -> list[str]:
    """The phone and ID numbers left readable in ``text`` (empty when it is safe for a group)."""
    found: list[str] = []
    for pattern, hide in _MASKERS:
        found += [m.group(0) for m in pattern.finditer(text)]
        text = pattern.sub(hide, text)
    return found


#: Said in a group instead of a file that may hold private data.
FILE_WITHHELD = "（文件「{name}」可能含个人信息，只在私聊中发送。）"


def for_chat(reply: Reply) -> Reply:
    """The reply as it may be sent: masked unless it goes to a private chat.

    No mask can read a file, so a group gets only attachments marked ``group_safe``; any
    other is dropped here (logged) and the group reads a note in its place.
    """
    if reply.chat.is_private:
        return reply
    masked = mask(reply.text)
    file = reply.attachment
    if file is not None and not file.group_safe:
        log.error("attachment %s (%s) is not group-safe: withheld from group %s",
                  file.name, file.path, reply.chat)
        note = FILE_WITHHELD.format(name=file.name)
        return replace(reply, text=f"{masked}\n{note}" if masked else note, attachment=None)
    return reply if masked == reply.text else replace(reply, text=masked)
