"""Policy Q&A (政策问答) at run time: which messages are questions, and which entry answers one.

Matching reuses the rumour library's machinery (:class:`bot.rumor_match.RumorIndex`: the same
normalising, bigram index, rapidfuzz scoring and number/day/negation guards) with a key of its
own: a question drops 请问 / 咨询一下 and reads "能不能" as "能", so "不" in it is no negation.
Every phrasing of an entry is indexed (``P3#0`` the question, ``P3#1`` … its variants); expired
entries and entries scoped to other parts of the tree are passed over at match time. The cut-offs
were chosen on ``tests/data/faq_eval.jsonl`` (``benchmarks/faq_quality.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.config.groups import GroupConfig
from bot.privacy import mask
from bot.rumor_match import NO_MATCH, Match, RumorIndex
from bot.store import Store
from bot.store.faq import FaqData
from bot.text import claim_key, normalize, one_line

#: At or above: the entry's answer is posted at once.
ANSWER_SCORE = 85.0
#: At or above (and below ANSWER_SCORE): the owner is shown the entry as a one-tap answer.
SUGGEST_SCORE = 65.0

# Politeness and asking words say that something is asked, not what.
_ASKING = re.compile(
    r"请问一下|请问下|请问|咨询一下|咨询下|咨询|想问一下|想问下|想问问|想问|问一下|问下|打听一下|打听下|"
    r"有谁知道|谁知道|有人知道|麻烦问下|麻烦问一下|麻烦|大家好|你好|您好|各位好|谢谢|多谢|老师|群主")
# "A不A" asks; its 不 is no negation.
_A_NOT_A = re.compile(r"([能可要需让用行准许会])[不没]\1")
# Spoken and written forms of one question; "核算" is how many type 核酸.
_SAME = (("可不可以", "可以"), ("需不需要", "需要"), ("允不允许", "允许"), ("有没有", "有"), ("是不是", "是"),
         ("咋", "怎么"), ("怎么整", "怎么办"), ("怎么弄", "怎么办"), ("怎么搞", "怎么办"), ("该怎么办", "怎么办"),
         ("啥时候", "什么时候"), ("啥", "什么"), ("能否", "能"), ("是否", "是"), ("可否", "可以"),
         ("核算", "核酸"))
#: Two questions that differ in these are different questions however alike they read: a red
#: code is not a yellow one, a contact not a contact's contact.
MUST_AGREE = re.compile(r"红|黄|绿|次密接|密接")
#: Words that make a message a question someone wants answered (and recorded when unmatched).
ASK_WORDS = ("请问", "咨询", "想问", "问一下", "问下", "打听", "谁知道", "有人知道", "怎么办", "咋办")
#: Words of a plain question: answered when an entry matches, otherwise left alone.
QUESTION_WORDS = ("吗", "?", "怎么", "怎样", "如何", "哪里", "哪儿", "在哪", "几点", "多久", "多长时间",
                  "什么时候", "能不能", "可不可以", "是否", "需不需要", "要不要", "有没有", "多少", "几天",
                  "啥时候", "咋")


def question_key(text: str) -> str:
    """The substance of a question: normalised, without asking words; numbers and days kept."""
    folded = normalize(text)
    for word, same in _SAME:
        folded = folded.replace(word, same)
    folded = _A_NOT_A.sub(r"\1", _ASKING.sub("", folded))
    return claim_key(folded)


def asking(text: str) -> str | None:
    """"ask" for 请问 / 咨询 / 怎么办, "plain" for other questions (…吗？, 哪里…), None otherwise."""
    folded = normalize(text)
    if any(w in folded for w in ASK_WORDS):
        return "ask"
    if any(w in folded for w in QUESTION_WORDS):
        return "plain"
    return None


def new_index(entries: list[FaqData] | None = None) -> RumorIndex:
    """An empty (or filled) index with the FAQ's key and cut-offs."""
    index = RumorIndex(key=question_key, answer_score=ANSWER_SCORE, suggest_score=SUGGEST_SCORE,
                       must_agree=MUST_AGREE)
    for d in entries or []:
        add(index, d)
    return index


def add(index: RumorIndex, d: FaqData) -> None:
    """Index every phrasing of one entry."""
    for n, text in enumerate((d.question, *d.variants)):
        index.add(f"{d.id}#{n}", text)


def entry_id(indexed: str) -> str:
    """The entry id of an indexed phrasing (``P3#1`` -> ``P3``)."""
    return indexed.rpartition("#")[0] or indexed


class FaqCache:
    """One process's FAQ index, the version it was built from, and each entry's scope and end."""

    def __init__(self) -> None:
        self.index: RumorIndex | None = None
        self.version = -1
        self.entries: dict[str, FaqData] = {}


@dataclass(frozen=True, slots=True)
class Found:
    """A match (by entry id) and its entry (None when nothing matched)."""

    match: Match
    entry: FaqData | None


async def load(store: Store, cache: FaqCache) -> FaqCache:
    """The cache, rebuilt when the entries changed since it was built (any process)."""
    version = await store.faq.version()
    if cache.index is None or cache.version != version:
        entries = [e.data async for e in store.faq.scan()]
        cache.entries = {d.id: d for d in entries}
        cache.index = new_index(entries)
        cache.version = version
    return cache


class Tree(Protocol):
    """What :func:`chain` needs of the directory."""

    def group(self, key: str) -> GroupConfig | None:
        """A group by key."""


def chain(tree: Tree, group: GroupConfig) -> tuple[str, ...]:
    """A group's key and the keys of every group above it: the scopes that apply to it."""
    keys = [group.key]
    node: GroupConfig | None = group
    while node is not None and node.parent and node.parent not in keys:
        keys.append(node.parent)
        node = tree.group(node.parent)
    return tuple(keys)


def usable(entries: dict[str, FaqData], now: datetime, scopes: tuple[str, ...] | None,
           ) -> Callable[[str], bool]:
    """Which indexed phrasings may answer now: valid today, and in scope (None: any scope)."""
    today = now.date()

    def allow(indexed: str) -> bool:
        d = entries.get(entry_id(indexed))
        return d is not None and d.valid_on(today) and (scopes is None or not d.scope or d.scope in scopes)

    return allow


def best(index: RumorIndex, entries: dict[str, FaqData], text: str, now: datetime,
         scopes: tuple[str, ...] | None = None) -> Found:
    """The entry that answers ``text`` now, for a group whose chain up the tree is ``scopes``."""
    m = index.match(text, usable(entries, now, scopes))
    if m.entry_id is None:
        return Found(NO_MATCH, None)
    eid = entry_id(m.entry_id)
    return Found(Match(eid, m.score, m.action), entries[eid])


async def find(store: Store, cache: FaqCache, text: str, now: datetime,
               scopes: tuple[str, ...] | None = None) -> Found:
    """The entry in the store that answers ``text`` now (see :func:`best`)."""
    c = await load(store, cache)
    assert c.index is not None
    return best(c.index, c.entries, text, now, scopes)


async def learn(store: Store, cache: FaqCache, d: FaqData, now: datetime) -> bool:
    """Add one entry (the cache rebuilds on next use); False when its id is taken."""
    return not await store.faq.add_many([d], now)


def answer_text(d: FaqData, *, about: str = "") -> str:
    """What a group reads: the question (the resident's words, or the entry's), the answer, where
    it comes from and when."""
    question = one_line(mask(about or d.question), 60)
    until = f"，有效期至 {d.valid_until:%Y-%m-%d}" if d.valid_until else ""
    source = f"来源：{d.source}，{d.published_at:%Y-%m-%d}" if d.source else f"{d.published_at:%Y-%m-%d}"
    return f"【政策问答】关于「{question}」：{d.answer.rstrip('。')}。（{source}{until}）"

