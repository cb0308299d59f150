"""Match what a resident heard against the rumour library: answer, suggest, or nothing.

Pure: no store, no time. Texts are reduced to claim keys (:func:`bot.text.claim_key`); an
inverted index of character bigrams picks a few candidates, so a match costs the same at 100
entries as at 100,000, and rapidfuzz scores only those. Two claims that differ in a negation
("超市不关门"), a number ("停水3天" / "停水7天") or a day ("明天" / "后天") are never the same claim.
The cut-offs were chosen on ``tests/data/rumor_eval.jsonl`` (``benchmarks/rumor_quality.py``):
``answer`` is the lowest score with no negative above it, ``suggest`` the lowest that still sends
owners more right candidates than wrong ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from bot.text import claim_key

Action = Literal["answer", "suggest", "none"]

#: At or above: the library's refutation is posted at once.
ANSWER_SCORE = 90.0
#: At or above (and below ANSWER_SCORE): an owner confirms the candidate with one tap.
SUGGEST_SCORE = 70.0
#: A claim key shorter than this says too little to be answered without a person.
SHORT_KEY = 4
#: Only this much of a text is compared: a pasted article is not a claim.
KEY_LIMIT = 120
#: How many candidates the bigram index hands to rapidfuzz.
CANDIDATES = 40
#: A bigram in more than this share of entries ("明天") does not narrow the search on its own.
COMMON_SHARE = 0.05

NEGATION = re.compile(r"[不没未无别非勿]")
NUMBER = re.compile(r"\d+")
# Longest first: "大后天" is not "后天".
DAY = re.compile(r"大后天|前天|昨天|今天|明天|后天|今晚|明晚|今早|明早|本周|下周|周末|月底|下个月|本月")


@dataclass(frozen=True, slots=True)
class Profile:
    """What must agree between two claims for them to be one."""

    negations: tuple[str, ...]
    numbers: tuple[str, ...]
    days: tuple[str, ...]
    #: Words of the index's own ``must_agree`` pattern (the FAQ's 红码 / 黄码), like negations.
    marks: tuple[str, ...] = ()


def profile(key: str, must_agree: re.Pattern[str] | None = None) -> Profile:
    """The negations, numbers and days of a claim key (and its ``must_agree`` words)."""
    marks = tuple(sorted(set(must_agree.findall(key)))) if must_agree is not None else ()
    return Profile(tuple(sorted(NEGATION.findall(key))), tuple(sorted(NUMBER.findall(key))),
                   tuple(sorted(DAY.findall(key))), marks)


def _within(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    rest = Counter(big)
    rest.subtract(small)
    return all(n >= 0 for n in rest.values())


def agreement(query: Profile, claim: Profile) -> Action:
    """"answer" when the profiles are the same; "suggest" when the query only adds numbers or
    days ("3号楼的人说明天封城"); "none" when they differ (a negation never may)."""
    if query.negations != claim.negations or query.marks != claim.marks:
        return "none"
    if query.numbers == claim.numbers and query.days == claim.days:
        return "answer"
    if _within(claim.numbers, query.numbers) and _within(claim.days, query.days):
        return "suggest"
    return "none"


def similarity(query: str, claim: str) -> float:
    """0-100: how much of one claim key the other says, with extra words costing a little."""
    if not query or not claim:
        return 0.0
    score = fuzz.ratio(query, claim)
    short, long_ = sorted((query, claim), key=len)
    if len(short) >= 4 and len(long_) > len(short):
        # "我朋友圈看到明天全市封城大家快囤菜" says "明天全市封城" and more: the part that matches
        # counts, scaled by how much of the longer text it covers.
        cover = len(short) / len(long_)
        scale = 0.95 if cover >= 0.7 else 0.88 if cover >= 0.5 else 0.8 if cover >= 0.3 else 0.0
        score = max(score, fuzz.partial_ratio(short, long_) * scale)
    return float(score)


def _bigrams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


@dataclass(frozen=True, slots=True)
class Match:
    """The best library entry for a text, its score and what to do with it."""

    entry_id: str | None
    score: float
    action: Action

    def as_json(self) -> dict[str, object]:
        """The shape ``gridbot rumors match --json`` prints."""
        return {"match": self.entry_id, "score": round(self.score, 1), "action": self.action}


NO_MATCH = Match(None, 0.0, "none")


def query_key(text: str) -> str:
    """The claim key of a resident's text, of bounded length."""
    return claim_key(text[: KEY_LIMIT * 4])[:KEY_LIMIT]


class RumorIndex:
    """The active library entries in memory, by bigram; add and retire keep it current.

    Shared by the FAQ (:mod:`bot.faq`), which passes its own key (questions drop 请问 / 怎么办
    rather than 听说 / 网传) and its own measured cut-offs.
    """

    def __init__(self, entries: Iterable[tuple[str, str]] = (), *, key: Callable[[str], str] = claim_key,
                 answer_score: float | None = None, suggest_score: float | None = None,
                 must_agree: re.Pattern[str] | None = None):
        self._key_of = key
        self._must_agree = must_agree
        # None: the module's cut-offs, read at match time (benchmarks/rumor_quality.py sweeps them).
        self._answer_score = answer_score
        self._suggest_score = suggest_score
        self._keys: dict[str, str] = {}
        self._profiles: dict[str, Profile] = {}
        self._postings: dict[str, set[str]] = {}
        for entry_id, claim in entries:
            self.add(entry_id, claim)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, entry_id: str, claim: str) -> None:
        """Index (or re-index) one entry."""
        self.retire(entry_id)
        key = self._key_of(claim)[:KEY_LIMIT]
        if not key:
            return
        self._keys[entry_id] = key
        self._profiles[entry_id] = profile(key, self._must_agree)
        for gram in _bigrams(key):
            self._postings.setdefault(gram, set()).add(entry_id)

    def retire(self, entry_id: str) -> None:
        """Drop one entry; no-op when it is not indexed."""
        key = self._keys.pop(entry_id, None)
        if key is None:
            return
        del self._profiles[entry_id]
        for gram in _bigrams(key):
            ids = self._postings.get(gram)
            if ids is not None:
                ids.discard(entry_id)
                if not ids:
                    del self._postings[gram]

    def candidates(self, key: str) -> list[str]:
        """Entries sharing the most bigrams with ``key``, rare bigrams first."""
        lists = [ids for gram in _bigrams(key) if (ids := self._postings.get(gram))]
        if not lists:
            return []
        common = max(50, int(len(self._keys) * COMMON_SHARE))
        rare = [ids for ids in lists if len(ids) <= common]
        counts: Counter[str] = Counter()
        for ids in rare or sorted(lists, key=len)[:2]:
            counts.update(ids)
        return [entry_id for entry_id, _ in counts.most_common(CANDIDATES)]

    def match(self, text: str, allow: Callable[[str], bool] | None = None) -> Match:
        """The best entry for a resident's text and whether to answer, suggest or do nothing;
        ``allow`` (when given) says which entry ids may be matched at all."""
        key = self._key_of(text[: KEY_LIMIT * 4])[:KEY_LIMIT]
        if not key:
            return NO_MATCH
        answer_cut = ANSWER_SCORE if self._answer_score is None else self._answer_score
        suggest_cut = SUGGEST_SCORE if self._suggest_score is None else self._suggest_score
        mine = profile(key, self._must_agree)
        best = NO_MATCH
        for entry_id in self.candidates(key):
            if allow is not None and not allow(entry_id):
                continue
            allowed = agreement(mine, self._profiles[entry_id])
            if allowed == "none":
                continue
            score = similarity(key, self._keys[entry_id])
            if score < suggest_cut or score <= best.score:
                continue
            answer = score >= answer_cut and allowed == "answer" and len(key) >= SHORT_KEY
            best = Match(entry_id, score, "answer" if answer else "suggest")
        return best


class OpenClaims:
    """The open rumour tickets' claims, indexed once each and kept across reports.

    Joining a report compares it with up to 200 open tickets; indexing them all again for every
    report (a claim key and a profile each) cost more than the rest of filing it.
    """

    def __init__(self) -> None:
        self.index = RumorIndex()
        self._texts: dict[str, str] = {}

    def match(self, tickets: Iterable[tuple[str, str]], claim: str) -> Match:
        """The best of these (code, text) tickets for ``claim``; the index holds exactly them."""
        wanted = dict(tickets)
        for code in [c for c in self._texts if c not in wanted]:
            self.index.retire(code)
            del self._texts[code]
        for code, text in wanted.items():
            if self._texts.get(code) != text:  # new, or its text was anonymised since
                self.index.add(code, text)
                self._texts[code] = text
        return self.index.match(claim)


class RumorCache:
    """One process's index of the library, and the library version it was built from."""

    def __init__(self) -> None:
        self.index: RumorIndex | None = None
        self.version = -1
