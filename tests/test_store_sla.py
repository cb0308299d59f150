"""The SLA scan's plan (``store.sla``) kept in step with the tickets, on every backend, and
migration 018 on a database that already holds open tickets."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.message import ChatRef, Incoming
from bot.store import Store
from bot.store.sqlite import SqliteStore
from bot.store.sqlite.base import _migrations, _split_sql
from bot.tickets import DONE, NewTicket, Ticket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


class Group:
    key, name = "xingfu", "幸福小区"


async def file(store: Store, mid: str) -> Ticket:
    msg = Incoming(ChatRef("console", "幸福小区居民群"), "u1", "王阿姨", "代买 米", mid, NOW)
    row = await store.messages.record(msg, NOW)
    return await store.tickets.create(NewTicket("errand", "groceries", "normal", "代买 米", ""),
                                      Group(), msg, row, NOW)


async def codes(store: Store, at: datetime) -> list[str]:
    return [t.code for t in await store.sla.due(at, 100)]


async def test_a_new_ticket_is_due_at_once_then_at_its_planned_moment(store: Store) -> None:
    e1, e2 = await file(store, "m1"), await file(store, "m2")
    assert await codes(store, NOW) == ["E1", "E2"]
    await store.sla.plan({e1.id: NOW + timedelta(minutes=30), e2.id: NOW + timedelta(minutes=10)})
    assert await codes(store, NOW + timedelta(minutes=9)) == []
    assert await codes(store, NOW + timedelta(minutes=10)) == ["E2"]
    assert await codes(store, NOW + timedelta(minutes=30)) == ["E2", "E1"]  # earliest first
    assert await store.sla.due(NOW + timedelta(minutes=30), 1) == [await store.tickets.get("E2")]


async def test_a_moment_between_seconds_is_never_read_early(store: Store) -> None:
    e1 = await file(store, "m1")
    await store.sla.plan({e1.id: NOW + timedelta(seconds=10, milliseconds=200)})
    assert await codes(store, NOW + timedelta(seconds=10)) == []
    assert await codes(store, NOW + timedelta(seconds=11)) == ["E1"]


async def test_a_change_of_phase_or_holder_makes_it_due_again_a_history_note_does_not(store: Store) -> None:
    e1 = await file(store, "m1")
    await store.sla.plan({e1.id: LATER})
    await store.tickets.note([(e1, "超时升级到东城街道群")], now=NOW, actor_id="bot", actor_name="网格助手",
                             action="escalate")
    assert await codes(store, NOW) == []  # an escalation's note changes nothing it is racing
    [event] = [e for e in await store.tickets.history(e1) if e.action == "escalate"]
    assert (event.note, event.from_status, event.to_status) == ("超时升级到东城街道群", "open", "open")
    accepted = await store.tickets.update(e1, now=NOW, actor_id="o1", actor_name="李书记", action="accept",
                                          to_status="accepted", handler_id="o1", handler_name="李书记")
    assert await codes(store, NOW) == ["E1"]  # the finish limit now, and a holder to remind
    await store.sla.plan({e1.id: LATER})
    await store.tickets.update(accepted, now=NOW, actor_id="o1", actor_name="李书记", action="assign",
                               handler_id="o2", handler_name="张师傅")
    assert await codes(store, NOW) == ["E1"]


async def test_a_finished_ticket_leaves_the_plan(store: Store) -> None:
    e1, e2 = await file(store, "m1"), await file(store, "m2")
    await store.tickets.update(e1, now=NOW, actor_id="o1", actor_name="李书记", action="close",
                               to_status=DONE)
    await store.sla.plan({e2.id: None})  # the scan found it finished
    assert await codes(store, LATER) == []


async def test_other_rules_make_every_ticket_due_again_once(store: Store) -> None:
    e1, e2 = await file(store, "m1"), await file(store, "m2")
    assert await store.sla.replan("rules A") == 0  # every ticket is due already
    await store.sla.plan({e1.id: LATER, e2.id: LATER})
    assert await store.sla.replan("rules A") == 0 and await codes(store, NOW) == []
    assert await store.sla.replan("rules B") == 2
    assert await codes(store, NOW) == ["E1", "E2"]


def _before_018(path: Path) -> None:
    """A database as the release before 018 left it, with open, accepted and finished tickets."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for version, _, sql in _migrations():
        if version >= 18:
            break
        for statement in _split_sql(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, ?)", (version, NOW.isoformat()))
    for i, status in enumerate(("open", "accepted", "done", "rejected"), 1):
        conn.execute("INSERT INTO tickets (id, code, kind, category, priority, status, group_key, group_name,"
                     " platform, chat_id, requester_id, requester_name, text, created_at, updated_at)"
                     " VALUES (?, ?, 'errand', 'groceries', 'normal', ?, 'xingfu', '幸福小区', 'console',"
                     " 'g', 'u', '张阿姨', '大米', ?, ?)", (i, f"E{i}", status, NOW.isoformat(), NOW.isoformat()))
    conn.close()


async def test_migration_018_plans_the_tickets_open_before_it(tmp_path: Path) -> None:
    _before_018(tmp_path / "old.db")
    store = await SqliteStore(tmp_path / "old.db").open()
    try:
        assert await codes(store, NOW) == ["E1", "E2"]  # open and accepted; done and rejected not
    finally:
        await store.close()


def test_a_trigger_is_one_statement_to_the_migrations() -> None:
    sql = "CREATE TABLE a (x);\n-- a note; with a semicolon\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n" \
          "    DELETE FROM a WHERE x = 1;\n    DELETE FROM a WHERE x = 2;\nEND;\nDROP TABLE a;\n"
    assert [s.split()[:2] for s in _split_sql(sql)] == [["CREATE", "TABLE"], ["CREATE", "TRIGGER"],
                                                        ["DROP", "TABLE"]]
