"""FAQ entries and open questions through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.store import Store
from bot.store.faq import FaqData, NewQuestion

NOW = datetime(2022, 5, 1, 9, 0, tzinfo=UTC)


def entry(entry_id: str, question: str = "核酸检测点在哪里", **kw: object) -> FaqData:
    return FaqData(entry_id, question, ("去哪里做核酸",), "社区服务中心门口", "街道防控办",
                   date(2022, 4, 15), **kw)  # type: ignore[arg-type]


def asked(text: str = "请问小区几点开门", group: str = "xingfu") -> NewQuestion:
    return NewQuestion("console", "g1", group, "幸福小区", "u1", "王阿姨", text, NOW)


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


async def test_questions_get_codes_are_answered_once_and_saved(store: Store) -> None:
    q1 = await store.faq.ask(asked())
    q2 = await store.faq.ask(asked("咨询一下物业电话", group="other"))
    assert q1.code == f"Q{q1.id}" and q2.id > q1.id
    assert [q.id for q in await store.faq.open_questions(["xingfu", "other"], 10)] == [q1.id, q2.id]
    later = NOW + timedelta(hours=1)
    done = await store.faq.answer(q1.id, "早上六点", "李书记", later)
    assert done is not None and done.answer == "早上六点" and done.answered_at == later
    assert done.asked.text == "请问小区几点开门" and done.asked.asker_name == "王阿姨"
    assert await store.faq.answer(q1.id, "again", "李书记", later) is None
    assert await store.faq.answer(999, "x", "李书记", later) is None
    assert [q.id for q in await store.faq.open_questions(["xingfu"], 10)] == []
    assert await store.faq.open_questions([], 10) == []
    await store.faq.saved(q1.id, "FQ1")
    saved = await store.faq.question(q1.id)
    assert saved is not None and saved.faq_id == "FQ1"
    assert await store.faq.question(999) is None


async def test_expire_ends_an_entry_and_moves_the_version(store: Store) -> None:
    await store.faq.add_many([entry("P1")], NOW)
    v = await store.faq.version()
    got = await store.faq.expire("P1", date(2022, 4, 30))
    assert got is not None and got.data.valid_until == date(2022, 4, 30)
    assert not got.data.valid_on(NOW.date()) and await store.faq.version() > v
    assert await store.faq.expire("P9", date(2022, 4, 30)) is None
