"""Migration 015 drops the kind CHECK of tickets: rows, history, ratings and indexes survive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store.sqlite import SqliteStore
from tests.old_schema import database_before

REBUILD = 15
NOW = "2026-11-22T01:00:00+00:00"


def _previous_version(path: Path) -> tuple[list[tuple[object, ...]], set[tuple[str, str]]]:
    """A database as the release before 015 left it, with tickets, history and a rating."""
    conn = database_before(path, REBUILD, NOW)
    conn.execute("INSERT INTO households (id, group_key, address_key, address, grid_key, created_at,"
                 " updated_at) VALUES (1, 'xingfu', '3-2-501', '3栋2单元501', 'g1', ?, ?)", (NOW, NOW))
    for i, (code, kind, category) in enumerate((("E1", "errand", "groceries"),
                                                ("V1", "verification", "report"),
                                                ("R1", "rumor", "claim")), 1):
        conn.execute(
            "INSERT INTO tickets (id, code, kind, category, priority, status, group_key, group_name,"
            " platform, chat_id, requester_id, requester_name, text, created_at, updated_at,"
            " household_id, grid_key) VALUES (?, ?, ?, ?, 'normal', 'done', 'xingfu', '幸福小区',"
            " 'console', 'g', 'u', '张阿姨', '大米', ?, ?, 1, 'g1')",
            (i, code, kind, category, NOW, NOW))
        conn.execute("INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,"
                     " from_status, to_status, note) VALUES (?, ?, 'u', '张阿姨', 'create', NULL,"
                     " 'open', '')", (i, NOW))
    conn.execute("INSERT INTO ratings (ticket_id, score, rater_id, comment, at) VALUES (1, 5, 'u', '好', ?)",
                 (NOW,))
    try:  # the constraint this migration removes
        conn.execute("UPDATE tickets SET kind = 'feedback' WHERE id = 1")
        raise AssertionError("the old schema took a kind outside its CHECK")
    except sqlite3.IntegrityError:
        pass
    before = conn.execute("PRAGMA table_info(tickets)").fetchall(), _indexes(conn)
    conn.close()
    return before


def _indexes(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """Every index on tickets, by name and definition (a later migration's too)."""
    return {(name, sql) for name, sql in _schema(conn) if name != "tickets"}


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'tickets' AND sql IS NOT NULL")}


async def test_rebuild_keeps_rows_history_ratings_and_indexes(tmp_path: Path) -> None:
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    columns, indexes = _previous_version(old)
    for path in (old, fresh):
        store = SqliteStore(path)
        await store.open()
        await store.close()
    with sqlite3.connect(old) as conn, sqlite3.connect(fresh) as new:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert [r[0] for r in conn.execute("SELECT code FROM tickets ORDER BY id")] == ["E1", "V1", "R1"]
        assert conn.execute("SELECT household_id, grid_key FROM tickets WHERE id = 1").fetchone() == (1, "g1")
        assert conn.execute("SELECT COUNT(*) FROM ticket_events").fetchone() == (3,)
        assert conn.execute("SELECT score FROM ratings WHERE ticket_id = 1").fetchone() == (5,)
        # The same table and indexes as a database created at this version, and no kind CHECK.
        assert _schema(conn) == _schema(new)
        assert "kind IN" not in dict(_schema(conn))["tickets"]
        # Exactly the columns it had, every index it had: nothing an earlier migration added is lost.
        assert conn.execute("PRAGMA table_info(tickets)").fetchall() == columns
        assert indexes <= _indexes(conn)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("UPDATE tickets SET kind = 'feedback', code = 'F1' WHERE id = 1")
        try:  # history still points at tickets that exist
            conn.execute("INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,"
                         " from_status, to_status, note) VALUES (99, ?, 'u', 'x', 'note', NULL, 'open', '')",
                         (NOW,))
            raise AssertionError("an event for a missing ticket was accepted")
        except sqlite3.IntegrityError:
            pass
