"""FAQ entries through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.store import Store
from bot.store.faq import FaqData

NOW = datetime(2022, 5, 1, 9, 0, tzinfo=UTC)


def entry(entry_id: str, question: str = "核酸检测点在哪里", **kw: object) -> FaqData:
    return FaqData(entry_id, question, ("去哪里做核酸",), "社区服务中心门口", "街道防控办",
                   date(2022, 4, 15), **kw)  # type: ignore[arg-type]


async def test_entries_keep_ids_variants_validity_and_scope(store: Store) -> None:
    v0 = await store.faq.version()
    until = entry("P2", "黄码怎么办", valid_until=date(2022, 6, 30), scope="dongcheng")
    assert await store.faq.add_many([entry("P1"), until], NOW) == []
    assert await store.faq.version() > v0
    v1 = await store.faq.version()
    assert await store.faq.add_many([entry("P2", "别的"), entry("P3")], NOW) == ["P2"]
    assert await store.faq.version() > v1
    got = await store.faq.get("P2")
    assert got is not None and got.data == until and got.added_at == NOW
    first = await store.faq.get("P1")
    assert first is not None and first.data.variants == ("去哪里做核酸",) and first.data.valid_until is None
    assert [e.id async for e in store.faq.scan(page=2)] == ["P1", "P2", "P3"]
    assert await store.faq.get("P9") is None


async def test_a_batch_of_only_taken_ids_leaves_the_version(store: Store) -> None:
    await store.faq.add_many([entry("P1")], NOW)
    v = await store.faq.version()
    assert await store.faq.add_many([entry("P1")], NOW) == ["P1"]
    assert await store.faq.version() == v


async def test_expire_ends_an_entry_and_moves_the_version(store: Store) -> None:
    await store.faq.add_many([entry("P1")], NOW)
    v = await store.faq.version()
    got = await store.faq.expire("P1", date(2022, 4, 30))
    assert got is not None and got.data.valid_until == date(2022, 4, 30)
    assert not got.data.valid_on(NOW.date()) and await store.faq.version() > v
    assert await store.faq.expire("P9", date(2022, 4, 30)) is None
