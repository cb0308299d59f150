"""Daily check-ins through the ``Store`` protocol, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.households import HouseholdData

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = "2026-03-01"


async def _home(store: Store, address: str, tags: tuple[str, ...], group: str = "xingfu") -> int:
    home, _ = await store.households.save(HouseholdData(group, address, address, tags=tags), NOW)
    return home.id


async def test_tagged_matches_whole_tags_only(store: Store) -> None:
    alone = await _home(store, "3-2-501", ("独居老人", "慢病"))
    await _home(store, "3-2-502", ("独居老人家属",))  # contains the tag's text, is not the tag
    disabled = await _home(store, "1-1-101", ("残疾",), group="yangguang")
    await _home(store, "1-1-102", ())
    assert [h.id for h in await store.care.tagged(["独居老人"])] == [alone]
    assert [h.id for h in await store.care.tagged(["残疾", "独居老人"])] == [alone, disabled]
    assert await store.care.tagged([]) == []


async def test_a_member_is_asked_once_a_day_and_the_latest_answer_counts(store: Store) -> None:
    home = await _home(store, "3-2-501", ("独居老人",))
    other = await _home(store, "3-2-502", ("独居老人",))
    assert await store.care.ask(DAY, home, "console", "张奶奶", NOW)
    assert not await store.care.ask(DAY, home, "console", "张奶奶", NOW + timedelta(minutes=1))
    assert await store.care.ask("2026-03-02", home, "console", "张奶奶", NOW + timedelta(days=1))
    [checkin] = await store.care.of_person("console", "张奶奶", DAY)
    assert checkin.answer == "" and checkin.answered_at is None and checkin.asked_at == NOW
    assert await store.care.of_person("console", "路人", DAY) == []
    assert await store.care.asked(DAY, [home, other]) == {home}
    assert await store.care.answered(DAY, [home, other]) == set()

    ok = await store.care.answer(checkin, "ok", NOW + timedelta(hours=1))
    assert ok.answer == "ok" and ok.answered_at == NOW + timedelta(hours=1)
    help_ = await store.care.answer(ok, "help", NOW + timedelta(hours=2))
    assert help_.answer == "help"
    assert await store.care.answered(DAY, [home, other]) == {home}
    assert await store.care.answered("2026-03-02", [home]) == set()
    assert await store.care.answered(DAY, []) == set()


async def test_the_errand_of_the_day_is_remembered_per_household(store: Store) -> None:
    home = await _home(store, "3-2-501", ("独居老人",))
    await store.care.ask(DAY, home, "console", "张奶奶", NOW)
    await store.care.ask(DAY, home, "console", "张奶奶的儿子", NOW)
    assert await store.care.ticket_of(DAY, home) == ""
    await store.care.set_ticket(DAY, home, "E7")
    assert await store.care.ticket_of(DAY, home) == "E7"
    assert [c.ticket_code for c in await store.care.of_person("console", "张奶奶的儿子", DAY)] == ["E7"]
    assert await store.care.ticket_of("2026-03-02", home) == ""


async def test_deleting_a_household_drops_its_check_ins(store: Store) -> None:
    home = await _home(store, "3-2-501", ("独居老人",))
    await store.care.ask(DAY, home, "console", "张奶奶", NOW)
    assert await store.households.delete(home)
    assert await store.care.of_person("console", "张奶奶", DAY) == []


async def test_answered_looks_at_more_households_than_one_statement_may_name(store: Store) -> None:
    await store.households.save_many(
        [HouseholdData("xingfu", f"{i}-1-101", f"{i}-1-101", tags=("独居老人",)) for i in range(1900)], NOW)
    ids = [h.id for h in await store.care.tagged(["独居老人"])]
    last = ids[-1]
    checkin_made = await store.care.ask(DAY, last, "console", "张奶奶", NOW)
    [checkin] = await store.care.of_person("console", "张奶奶", DAY)
    await store.care.answer(checkin, "ok", NOW)
    assert checkin_made and len(ids) == 1900
    assert await store.care.answered(DAY, ids) == {last} and await store.care.asked(DAY, ids) == {last}
