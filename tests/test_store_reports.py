"""Report figures in SQL against hand-made data: every figure checked by hand, every plan an index."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import open_store
from bot.store.reports import HeldTicket, LowRating, Spread, UnitRows
from bot.store.sqlite import reports as sql

DAY = datetime(2026, 11, 10, tzinfo=UTC)
H = timedelta(hours=1)
#: (kind, priority) -> (accept, finish): an urgent errand is accepted within 10 minutes.
LIMITS = {(k, p): (timedelta(minutes=10) if (k, p) == ("errand", "urgent") else 2 * H, 24 * H)
          for k in ("errand", "verification", "rumor") for p in ("urgent", "normal")}
UNITS = {"a": ["a"], "b": ["b"], "all": ["a", "b"]}


def t(hours: float) -> str:
    """The stored form of DAY + hours."""
    return (DAY + timedelta(hours=hours)).isoformat(timespec="seconds")


# id, code, kind, category, priority, status, group, created, updated, handler
TICKETS = [
    (1, "E1", "errand", "groceries", "normal", "done", "a", 1, 5, "u1"),
    (2, "E2", "errand", "medicine", "urgent", "done", "a", 2, 2 + 1 / 3, "u1"),
    (3, "V1", "verification", "check", "normal", "rejected", "b", 3, 4, "u2"),
    (4, "R1", "rumor", "claim", "normal", "done", "a", 6, 6, ""),  # the library answered at once
    (5, "R2", "rumor", "claim", "normal", "done", "b", 7, 9, "u2"),
    (6, "E3", "errand", "groceries", "normal", "open", "b", 8, 8, ""),
    (7, "E4", "errand", "other", "normal", "accepted", "a", -14, -13.5, "u1"),  # filed the day before
    (8, "E5", "errand", "groceries", "normal", "done", "a", -12, 1, "u1"),
]
# ticket, hours, actor, from, to
EVENTS = [(1, 1.5, "u1", "open", "accepted"), (1, 5, "u1", "accepted", "done"),
          (2, 2 + 1 / 3, "u1", "open", "done"), (3, 4, "u2", "open", "rejected"),
          (4, 6, "bot", "open", "done"), (5, 9, "u2", "open", "done"),
          (7, -13.5, "u1", "open", "accepted"), (8, -11.5, "u1", "open", "accepted"),
          (8, 1, "u1", "accepted", "done")]


def _fill(path: Path) -> None:
    con = sqlite3.connect(path)
    with con:
        for i, code, kind, cat, prio, status, g, created, updated, handler in TICKETS:
            con.execute("""INSERT INTO tickets (id, code, kind, category, priority, status, group_key,
                group_name, platform, chat_id, requester_id, requester_name, text, handler_id,
                handler_name, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'console',?,'r','居民','x',?,?,?,?)""",
                        (i, code, kind, cat, prio, status, g, f"群{g}", g, handler,
                         "李" if handler == "u1" else "", t(created), t(updated)))
        for ticket, at, actor, frm, to in EVENTS:
            con.execute("""INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action,
                from_status, to_status) VALUES (?,?,?,?,?,?,?)""", (ticket, t(at), actor, actor, "x", frm, to))
        con.executemany("INSERT INTO ratings (ticket_id, score, rater_id, comment, at) VALUES (?,?,?,?,?)",
                        [(1, 2, "r", "太慢", t(6)), (8, 5, "r", "", t(2)), (5, 4, "r", "", t(10))])
        con.execute("""INSERT INTO notices (id, code, origin_key, author_platform, author_id, author_name,
            text, created_at) VALUES (1, 'N1', 'a', 'console', 's', 's', '通知', ?)""", (t(1),))
        for g, confirmed in (("a", t(1 + 1 / 6)), ("b", t(26))):
            con.execute("""INSERT INTO notice_deliveries (notice_id, group_key, group_name, platform, chat_id,
                depth, state, outbox_key, queued_at, confirmed_at) VALUES (1,?,?,'console',?,1,'queued',?,?,?)""",
                        (g, g, g, f"k{g}", t(1), confirmed))
        for hid, g in ((1, "a"), (2, "a"), (3, "b")):
            con.execute("""INSERT INTO households (id, group_key, address_key, address, created_at, updated_at)
                VALUES (?,?,?,?,?,?)""", (hid, g, f"h{hid}", f"{hid}号", t(-48), t(-48)))
        for uid, g, hid, status, decided in (("m1", "a", 1, "approved", -20), ("m2", "a", 2, "pending", None),
                                             ("m3", "b", 3, "approved", 12)):
            con.execute("""INSERT INTO members (platform, user_id, group_key, household_id, status, joined_at,
                decided_at) VALUES ('console',?,?,?,?,?,?)""",
                        (uid, g, hid, status, t(-30), None if decided is None else t(decided)))
        con.execute("""INSERT INTO campaigns (id, kind, title, options, origin_key, author_platform, author_id,
            created_at) VALUES (1, 'rollcall', '核酸', '已做', 'a', 'console', 's', ?)""", (t(5),))
        con.execute("INSERT INTO campaign_groups (campaign_id, group_key, progress_at) VALUES (1, 'a', ?)", (t(5),))
        con.execute("""INSERT INTO campaign_answers (campaign_id, group_key, voter, household_id, option,
            platform, user_id, first_at, answered_at) VALUES (1, 'a', 'h:1', 1, '已做', 'console', 'm1', ?, ?)""",
                    (t(6), t(6)))
    con.close()


@pytest.fixture
async def figures(tmp_path: Path) -> tuple[dict[str, UnitRows], dict[str, UnitRows]]:
    """The hand-made day (2026-11-10 UTC) and the day before, read at noon the day after."""
    path = tmp_path / "r.db"
    await (await open_store(path)).close()  # migrated
    _fill(path)
    store = await open_store(path)
    try:
        now = DAY + 36 * H
        day = await store.reports.period(UNITS, DAY, DAY + 24 * H, now, LIMITS)
        before = await store.reports.period(UNITS, DAY - 24 * H, DAY, now, LIMITS)
    finally:
        await store.close()
    return day, before


async def test_tickets_by_kind_and_category_filed_closed_and_open_at_the_end(figures) -> None:  # type: ignore[no-untyped-def]
    day, before = figures
    a, b, both = day["a"], day["b"], day["all"]
    assert a.filed == {("errand", "groceries"): 1, ("errand", "medicine"): 1, ("rumor", "claim"): 1}
    assert b.filed == {("verification", "check"): 1, ("rumor", "claim"): 1, ("errand", "groceries"): 1}
    assert both.done == {("errand", "groceries"): 2, ("errand", "medicine"): 1, ("rumor", "claim"): 2}
    assert both.rejected == {("verification", "check"): 1}
    assert a.open == {"errand": 1} and b.open == {"errand": 1}  # E4 and E3
    assert before["all"].filed == {("errand", "other"): 1, ("errand", "groceries"): 1}
    assert before["a"].open == {"errand": 2}  # E4 and E5 were open at midnight


async def test_time_to_accept_and_finish_are_nearest_rank_percentiles(figures) -> None:  # type: ignore[no-untyped-def]
    day, _ = figures
    # Accepted: E1 30 min, E2 20 min, R2 2 h (R1 by the library, V1 rejected, E3 waiting).
    assert day["all"].accept == Spread(3, 1800, 7200)
    assert day["a"].accept == Spread(2, 1200, 1800)
    # Finished in the day: E2 20 min, R2 2 h, E1 4 h, E5 13 h (R1's instant answer apart).
    assert day["all"].finish == Spread(4, 7200, 46800)


async def test_late_tickets_and_the_overdue_list_with_holders(figures) -> None:  # type: ignore[no-untyped-def]
    day, _ = figures
    # E2 accepted after 20 of its 10 minutes; E3 still waiting at midnight after 16 hours.
    assert (day["a"].late, day["b"].late, day["all"].late) == (1, 1, 2)
    both = day["all"]
    assert both.overdue == 2
    assert both.overdue_list == [
        HeldTicket("E4", "群a", "errand", "accepted", "李", DAY - 14 * H),
        HeldTicket("E3", "群b", "errand", "open", "", DAY + 8 * H)]


async def test_ratings_rumours_notices_households_and_campaigns(figures) -> None:  # type: ignore[no-untyped-def]
    day, before = figures
    a, both = day["a"], day["all"]
    assert (a.ratings, a.rating_sum, both.ratings, both.rating_sum) == (2, 7, 3, 11)
    assert both.lowest == [LowRating("E1", "群a", 2, "太慢")]
    assert (both.rumors_auto, both.rumors_staff, a.rumors_auto, day["b"].rumors_staff) == (1, 1, 1, 1)
    # b confirmed the notice after the day ended: not a receipt of that day.
    assert (both.notices, both.confirmed, both.confirm) == (2, 1, Spread(1, 600, 600))
    assert (a.households, a.joined, both.households, both.joined) == (2, 1, 3, 2)
    assert (before["all"].households, before["all"].joined) == (3, 1)  # m3 approved at noon
    assert (a.campaign_asked, a.campaign_answered, day["b"].campaign_asked) == (2, 1, 0)


def test_every_statement_reads_index_ranges_not_tables(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "p.db"
    asyncio.run(_migrated(path))
    con = sqlite3.connect(path)
    values = {"units": json.dumps([["a", "a"]]), "start": t(0), "end": t(24), "end_s": 0, "asof": t(30), "asof_s": 0, "top": 5}
    for name in ("_FILED", "_ACCEPT", "_LATE", "_CLOSED", "_FINISH", "_OPEN", "_OVERDUE", "_RATINGS", "_LOWEST",
                 "_NOTICES"):
        text = getattr(sql, name).replace(sql.ACCEPT_LIMIT, "60").replace(sql.FINISH_LIMIT, "600")
        query, params = sql._bind(text, values)
        plan = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + query, params)]
        scanned = {step.split()[1] for step in plan if step.startswith("SCAN ")}
        # Only the units, the limits and the period's own rows (CTEs) are scanned whole.
        scanned = {s for s in scanned if not s.startswith("(subquery")}  # window functions' own rows
        assert scanned <= {"json_each", "u", "g", "r", "w", "o", "f"}, (name, plan)
    con.close()


async def _migrated(path: Path) -> None:
    await (await open_store(path)).close()
