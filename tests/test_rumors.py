"""bot/rumors.py: the per-process index, age and verdict rules, and what groups read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot import rumors as library
from bot.rumor_match import RumorCache
from bot.store import Store
from bot.store.rumors import RumorData, RumorEntry

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def data(entry_id: str, claim: str, verdict: str = "false") -> RumorData:
    return RumorData(entry_id, claim, verdict, "没有这回事。", "指挥部", date(2022, 4, 2))  # type: ignore[arg-type]


async def test_the_index_is_built_once_and_follows_changes(store: Store) -> None:
    cache = RumorCache()
    await store.rumors.add_many([data("L1", "明天全市封城"), data("L2", "核酸要收费", "unverified")], NOW)
    found = await library.find(store, cache, "网传明天全市封城", NOW)
    assert (found.match.entry_id, found.match.action) == ("L1", "answer")
    built = cache.index
    assert await library.learn(store, cache, data("L3", "明天超市关门"), NOW)
    assert not await library.learn(store, cache, data("L3", "别的"), NOW)
    assert cache.index is built and (await library.find(store, cache, "明天超市关门", NOW)).match.entry_id == "L3"
    await library.retire(store, cache, "L1", NOW)
    assert cache.index is built and (await library.find(store, cache, "明天全市封城", NOW)).entry is None
    # Unverified entries and entries older than answer_for_days are only suggested.
    assert (await library.find(store, cache, "听说核酸要收费", NOW)).match.action == "suggest"
    later = NOW + timedelta(days=15)
    assert (await library.find(store, cache, "明天超市关门", later, 14)).match.action == "suggest"
    assert (await library.find(store, cache, "明天超市关门", later, 0)).match.action == "answer"


def test_a_verdict_makes_an_entry_without_the_hedges() -> None:
    entry = library.from_verdict("R7", "听说明天封城 是真的吗？", "false", "不封城", "李书记", NOW)
    assert (entry.id, entry.claim, entry.verdict, entry.ticket_code) == ("LR7", "明天封城", "false", "R7")


def test_what_groups_read_per_verdict() -> None:
    def text(verdict: str, **more: str) -> str:
        return library.answer_text(RumorEntry(data("L1", "3栋电话13812345678的人确诊", verdict), NOW, None), **more)

    assert text("false").startswith("【辟谣】关于「3栋电话138****5678的人确诊」：经核实是谣言")
    assert "（来源：指挥部，2022-04-02）。请大家不信谣" in text("false")
    assert "这个说法有误导" in text("misleading")
    assert text("true", code="R2").startswith("【核实】R2 关于")
    assert "尚无定论" in text("unverified")
    assert library.published("2022-04-02T08:00:00") == date(2022, 4, 2) and library.published("去年") is None
