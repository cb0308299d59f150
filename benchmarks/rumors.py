"""Rumour match latency against libraries of 1k, 10k and 100k entries.

Run:  .venv/bin/python benchmarks/rumors.py [--sizes 1000,10000,100000] [--queries 500]   (~1 min)

Each size builds a synthetic library of distinct claims (places × events × days × numbers, the
shape of real ones: many share 明天/封城/停水) and times ``RumorIndex.match`` on phrasings of
library claims (hedged, Traditional, with extra words) and on unrelated chat. Two floors are
measured in the same run: ``floor_ms``, normalising the text alone (``query_key``: what any
matcher must do), and ``brute_ms``, rapidfuzz's C loop ``process.extractOne`` with
``fuzz.ratio`` over every key (what the bigram index saves). One JSON line per size.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.rumor_match import RumorIndex, query_key  # noqa: E402

PLACES = "幸福阳光和平东风红星光明建设新华人民友谊长江黄河金山银湖翠竹桃园"
KINDS = ("小区", "街道", "花园", "新村", "镇", "村", "社区", "大厦")
EVENTS = ("封城", "封控", "停水", "停电", "超市关门", "菜市场停业", "全员核酸", "公交停运", "学校停课",
          "发现确诊病例", "要集中隔离", "银行暂停营业", "药店不卖退烧药", "快递停运", "断网")
DAYS = ("明天", "后天", "今晚", "下周", "本周", "周末")
HEDGES = ("听说", "网传", "群里都在传", "朋友圈说", "")
TAILS = ("，是真的吗？", "真的假的", "吗", "", "，大家注意")
CHAT = ("大家早上好", "今天的菜什么时候到", "谢谢志愿者", "收到", "楼下快递到了吗", "晚上几点做核酸")


def claim(i: int) -> str:
    """The i-th distinct synthetic claim."""
    rng = random.Random(i)
    place = "".join(rng.sample(PLACES, 2)) + rng.choice(KINDS)
    return f"{place}{rng.choice(DAYS)}{rng.choice(EVENTS)}{i % 97 + 1}天"


def queries(size: int, n: int) -> list[str]:
    """Phrasings of library claims, and ordinary chat (one in four)."""
    rng = random.Random(size)
    out = []
    for k in range(n):
        if k % 4 == 3:
            out.append(rng.choice(CHAT))
            continue
        text = claim(rng.randrange(size))
        out.append(f"{rng.choice(HEDGES)}{text}{rng.choice(TAILS)}")
    return out


def timed(fn: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """Median and p99 in milliseconds of ``fn`` over ``texts``."""
    times = []
    for text in texts:
        began = time.perf_counter()
        fn(text)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def _brute(text: str, keys: list[str]) -> object:
    return process.extractOne(query_key(text), keys, scorer=fuzz.ratio, score_cutoff=70)


def main() -> None:
    """One JSON line per library size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        began = time.perf_counter()
        index = RumorIndex((f"L{i}", claim(i)) for i in range(size))
        build_s = time.perf_counter() - began
        texts = queries(size, args.queries)
        index.match(texts[0])  # warm OpenCC and rapidfuzz
        found = sum(1 for t in texts if index.match(t).action != "none")
        median, p99 = timed(index.match, texts)
        floor, _ = timed(query_key, texts)
        keys = [query_key(claim(i)) for i in range(size)]
        brute, _ = timed(partial(_brute, keys=keys), texts[:100])
        print(json.dumps({"entries": size, "median_ms": round(median, 3), "p99_ms": round(p99, 3),
                          "floor_ms": round(floor, 3), "brute_ms": round(brute, 3),
                          "matched": round(found / len(texts), 2), "build_s": round(build_s, 2)}))


if __name__ == "__main__":
    main()
