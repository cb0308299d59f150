"""The rumour library at run time: one in-memory index per process, kept current.

The index is built from the store once and then changed in place when this process adds or
retires an entry. Another process (``gridbot rumors import`` while the bot runs) bumps the
library version; a match reads that one number and rebuilds only when it moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.privacy import mask
from bot.rumor_match import NO_MATCH, Match, RumorCache, RumorIndex
from bot.store import Store
from bot.store.rumors import RumorData, RumorEntry, Verdict
from bot.text import one_line

_LEAD = re.compile(r"^(?:听说|网传|据说|有人说|群里都在传|群里有人说|朋友圈说|网上说)[\s,，:：]*")
_TAIL = re.compile(r"[\s,，]*(?:是真的吗|是不是真的|真的假的|真的吗|是谣言吗|吗)?[\s?？!！。.]*$")
VERDICT_WORDS = {"false": "谣言", "true": "属实", "misleading": "有误导", "unverified": "尚无定论"}


@dataclass(frozen=True, slots=True)
class Found:
    """A match and its library entry (None when nothing matched)."""

    match: Match
    entry: RumorEntry | None


async def index(store: Store, cache: RumorCache) -> RumorIndex:
    """The current index: the cached one unless the library changed since it was built."""
    version = await store.rumors.version()
    if cache.index is None or cache.version != version:
        cache.index = RumorIndex([(e.id, e.data.claim) async for e in store.rumors.scan()])
        cache.version = version
    return cache.index


async def find(store: Store, cache: RumorCache, text: str, now: datetime,
               answer_for_days: int = 0) -> Found:
    """The library entry a text states, and whether to answer or suggest it.

    An entry older than ``answer_for_days`` (0: no limit) or still unverified is only suggested.
    """
    m = (await index(store, cache)).match(text)
    if m.entry_id is None:
        return Found(NO_MATCH, None)
    entry = await store.rumors.get(m.entry_id)
    if entry is None or entry.retired:  # retired by another process a moment ago
        return Found(NO_MATCH, None)
    stale = bool(answer_for_days) and now - entry.added_at > timedelta(days=answer_for_days)
    if m.action == "answer" and (stale or entry.data.verdict == "unverified"):
        # An old verdict may no longer hold, and "not yet known" is no answer: a person decides.
        m = Match(m.entry_id, m.score, "suggest")
    return Found(m, entry)


async def learn(store: Store, cache: RumorCache, data: RumorData, now: datetime) -> bool:
    """Add one entry and index it; False when its id is taken."""
    was = await store.rumors.version()
    if await store.rumors.add_many([data], now):
        return False
    if cache.index is not None and cache.version == was:  # nobody else changed it meanwhile
        cache.index.add(data.id, data.claim)
        cache.version = await store.rumors.version()
    return True


async def retire(store: Store, cache: RumorCache, entry_id: str, now: datetime) -> RumorEntry | None:
    """Retire one entry and drop it from the index; None when there is no such id."""
    was = await store.rumors.version()
    entry = await store.rumors.retire(entry_id, now)
    if entry is not None and cache.index is not None and cache.version == was:
        cache.index.retire(entry_id)
        cache.version = await store.rumors.version()
    return entry


def from_verdict(code: str, claim: str, verdict: str, statement: str, who: str, now: datetime,
                 ) -> RumorData:
    """The library entry an owner's verdict on rumour ticket ``code`` makes (id ``L`` + code)."""
    kind: Verdict = "true" if verdict == "true" else "false"
    bare = _TAIL.sub("", _LEAD.sub("", claim)) or claim  # "听说X是真的吗" is stored as "X"
    return RumorData(f"L{code}", bare, kind, statement, who, now.date(), code)


def answer_text(entry: RumorEntry, *, code: str = "", about: str = "") -> str:
    """What a group reads when a report matches the library: about ``about`` (what the resident
    wrote; the entry's claim by default), the verdict, the statement and where it comes from."""
    d = entry.data
    claim = one_line(mask(about or d.claim))
    head = f"{code} " if code else ""
    if d.ticket_code:  # learned from a verdict in chat: the report it answered is the source
        source = f"（同 {d.ticket_code}）"
    else:
        source = f"（来源：{d.source}，{d.published_at:%Y-%m-%d}）" if d.source else f"（{d.published_at:%Y-%m-%d}）"
    if d.verdict == "true":
        return f"【核实】{head}关于「{claim}」：经核实情况属实。{d.refutation.rstrip('。')}{source}。"
    if d.verdict == "unverified":
        return f"【求证】{head}关于「{claim}」：目前尚无定论。{d.refutation.rstrip('。')}{source}。请以官方发布为准，不要转发。"
    label = "经核实是谣言" if d.verdict == "false" else "这个说法有误导"
    return f"【辟谣】{head}关于「{claim}」：{label}。官方说法：{d.refutation.rstrip('。')}{source}。请大家不信谣、不传谣。"


def published(value: str) -> date | None:
    """``2022-04-02`` or an ISO date-time, as a date; None when it is neither."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
