"""The ``Store`` protocol's behaviour, run against every backend in ``tests/store_backends.py``.

Only the protocol is used here (no SQL, no driver): a new backend passes these or it is not done.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bot.message import ChatRef, Incoming, Reply
from bot.store import BoundGroup, Store, StoreUnavailable, make_store, open_store
from bot.store.audit import Actor
from bot.store.retention import ADDRESS_GONE
from bot.tickets import DONE, NewTicket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
GROUP = ChatRef("console", "幸福小区居民群")
ME = Actor("console", "u1", "王阿姨")


class Group:
    key, name = "xingfu", "幸福小区"


def said(text: str, mid: str = "m1", at: datetime = NOW) -> Incoming:
    return Incoming(GROUP, "u1", "王阿姨", text, mid, at)


async def file(store: Store, text: str = "代买 药 幸福小区3栋 13800001111", mid: str = "m1") -> int:
    row = await store.messages.record(said(text, mid), NOW)
    assert row is not None
    ticket = await store.tickets.create(NewTicket("errand", "药品", "normal", text, "幸福小区3栋"),
                                        Group(), said(text, mid), row, NOW)
    return ticket.id


async def test_a_message_is_stored_once_and_handled_once(store: Store) -> None:
    row = await store.messages.record(said("你好"), NOW)
    assert row is not None and await store.messages.record(said("你好"), NOW) is None
    assert await store.messages.row_of(said("你好")) == row
    assert [(r, m.text) for r, m in await store.messages.unhandled()] == [(row, "你好")]
    await store.messages.mark_handled(row, NOW)
    assert await store.messages.unhandled() == [] and await store.messages.count() == 1


async def test_tickets_are_numbered_per_kind_and_keep_their_history(store: Store) -> None:
    await file(store)
    await file(store, mid="m2")
    first = await store.tickets.get("E1")
    assert first is not None and (await store.tickets.get("E2")) is not None
    done = await store.tickets.update(first, now=NOW + timedelta(hours=1), actor_id="o1",
                                      actor_name="李书记", action="close", to_status=DONE,
                                      note="已送到", assignee="小张")
    assert (done.status, done.assignee) == (DONE, "小张")
    assert [(e.action, e.to_status) for e in await store.tickets.history(done)] == [
        ("create", "open"), ("close", DONE)]
    assert [t.code for t in await store.tickets.list(open_only=True)] == ["E2"]
    assert await store.tickets.rate(done, 5, "u1", "谢谢", NOW) is True
    assert await store.tickets.rate(done, 1, "u1", "", NOW) is False
    assert await store.tickets.rating(done) == 5
    [(ticket, rating, closing), _] = await store.tickets.export_rows()
    assert ticket.code == "E1" and rating is not None and closing is not None
    assert (rating.score, rating.comment, closing.by, closing.note) == (5, "谢谢", "李书记", "已送到")


async def test_intake_counts_a_persons_tickets_and_lists_their_open_ones(store: Store) -> None:
    await file(store)
    await file(store, mid="m2")
    first = await store.tickets.get("E1")
    assert first is not None
    await store.tickets.update(first, now=NOW, actor_id="o1", actor_name="李书记", action="close",
                               to_status=DONE)
    hour = timedelta(hours=1)
    filed, recent = await store.tickets.intake("console", "u1", Group.key, "errand", NOW - hour, NOW - hour, 5)
    assert filed == 2 and [t.code for t in recent] == ["E2"]  # both count; only the open one repeats
    assert await store.tickets.intake("console", "u1", Group.key, "rumor", NOW, NOW - hour, 5) == (0, [])
    assert (await store.tickets.intake("console", "u2", Group.key, "errand", NOW - hour, NOW - hour, 5)) == (0, [])


async def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.tx():
            await file(store)
            raise RuntimeError("handler broke")
    assert await store.tickets.list() == [] and await store.messages.count() == 0


async def test_outbox_dedupes_keeps_chat_order_and_records_sends(store: Store) -> None:
    first = await store.outbox.enqueue(Reply(GROUP, "一"), NOW, dedupe_key="k1")
    assert first is not None and await store.outbox.enqueue(Reply(GROUP, "again"), NOW, "k1") is None
    await store.outbox.enqueue(Reply(GROUP, "二"), NOW)
    [due] = await store.outbox.due("console", NOW, limit=10)
    assert due.reply.text == "一"  # one per chat, oldest first
    await store.outbox.mark_retry(due.id, "network", NOW + timedelta(seconds=30))
    assert await store.outbox.due("console", NOW, limit=10) == []
    assert await store.outbox.next_due_at("console") == NOW + timedelta(seconds=30)
    await store.outbox.mark_sent(due.id, "p1", NOW)
    sent = await store.outbox.by_dedupe_key("k1")
    assert sent is not None and (sent.status, sent.platform_message_id, sent.attempts) == ("sent", "p1", 2)
    assert [i.reply.text for i in await store.outbox.pending("console")] == ["二"]


async def test_every_backend_masks_phone_numbers_queued_for_a_group(store: Store) -> None:
    await store.outbox.enqueue(Reply(GROUP, "联系 13800001111"), NOW)
    [item] = await store.outbox.items()
    assert "13800001111" not in item.reply.text


async def test_groups_bind_once_and_take_a_parent(store: Store) -> None:
    group = BoundGroup("console", "c1", "xingfu", "幸福小区", "o1")
    assert await store.groups.bind(group, NOW) is True
    assert await store.groups.bind(group, NOW) is False
    await store.groups.set_parent("xingfu", "jiedao")
    assert [(g.key, g.parent) for g in await store.groups.all()] == [("xingfu", "jiedao")]


async def test_notices_post_once_per_fire_key_and_are_confirmed_once(store: Store) -> None:
    author = ("console", "o1", "李书记")
    notice = await store.notices.create("jiedao", author, "停水通知", NOW, fire_key="S1:0900")
    assert notice is not None and notice.code.startswith("N")
    assert await store.notices.create("jiedao", author, "停水通知", NOW, fire_key="S1:0900") is None
    key = await store.notices.add_delivery(notice, "xingfu", "幸福小区", "console", "c1", 1, held=False)
    await store.outbox.enqueue(Reply(ChatRef("console", "c1"), "停水通知"), NOW, dedupe_key=key)
    [delivery] = await store.notices.deliveries(notice)
    assert (delivery.group_key, delivery.state, delivery.send_status) == ("xingfu", "queued", "pending")
    assert [(n.code, g) for n, g in await store.notices.unconfirmed(["xingfu"])] == [(notice.code, "xingfu")]
    assert await store.notices.confirm(notice, "xingfu", "o2", NOW) is True
    assert await store.notices.confirm(notice, "xingfu", "o2", NOW) is False
    assert await store.notices.approve(notice, "jiedao", "o1", NOW) is True
    assert await store.notices.approvals(notice) == {"jiedao"}


async def test_schedules_keep_one_row_per_config_key_and_finish(store: Store) -> None:
    author = ("config", "config", "bot.toml")
    first = await store.notices.add_schedule("xingfu", False, "每天 09:00", "早", author, NOW, "cfg1")
    again = await store.notices.add_schedule("xingfu", True, "每天 10:00", "晚", author, NOW, "cfg1")
    assert first.code == again.code and (again.subtree, again.text) == (True, "晚")
    await store.notices.finish_schedule(again, NOW)
    assert await store.notices.schedules() == []
    [kept] = await store.notices.schedules(include_inactive=True)
    assert kept.finished and not kept.active


async def test_audit_pages_newest_first(store: Store) -> None:
    ids = [await store.audit.record(ME, "export", f"t{i}", "", NOW + timedelta(minutes=i)) for i in range(3)]
    await store.audit.amend(ids[0], "3 行")
    page = await store.audit.latest(limit=2)
    assert [e.target for e in page] == ["t2", "t1"]
    rest = await store.audit.latest(limit=2, before=(page[-1].at, page[-1].id))
    assert [(e.target, e.detail) for e in rest] == [("t0", "3 行")]


async def test_retention_purges_old_texts_and_anonymises_closed_tickets(store: Store) -> None:
    await file(store)
    [(row, _)] = await store.messages.unhandled()
    await store.messages.mark_handled(row, NOW)
    ticket = await store.tickets.get("E1")
    assert ticket is not None
    await store.tickets.update(ticket, now=NOW, actor_id="o1", actor_name="李书记", action="close",
                               to_status=DONE)
    later = NOW + timedelta(days=60)
    assert await store.retention.count_messages(later) == 1
    assert await store.retention.anonymise_tickets(later, later, limit=10) == 1
    gone = await store.tickets.get("E1")
    assert gone is not None and "13800001111" not in gone.text and ADDRESS_GONE in gone.text
    assert await store.retention.count_tickets(later) == 0
    assert await store.retention.count_messages(later) == 0  # the source request went with it


async def test_the_job_store_url_reaches_the_same_database(store: Store) -> None:
    engine = create_engine(store.jobstore_url)
    try:
        assert "tickets" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


async def test_a_sqlite_location_may_name_its_scheme(tmp_path: Path) -> None:
    plain, named = make_store(tmp_path / "a.db"), make_store(f"sqlite:{tmp_path / 'a.db'}")
    assert plain.jobstore_url == named.jobstore_url


async def test_an_unusable_location_says_why_without_the_driver(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        await open_store(tmp_path)  # a folder
    assert caught.value.reason == "这是一个文件夹，不是数据库文件"
