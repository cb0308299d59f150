"""``[privacy]`` retention through the store: purged texts, masked closed tickets, anonymised
campaign answers, deleted care check-ins, dry-run counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import retention
from bot.adapter import SendError
from bot.care import day_of
from bot.config import PrivacyConfig
from bot.store.audit import Actor
from bot.store.retention import ADDRESS_GONE, NAME_GONE
from tests.campaign_setup import register
from tests.harness import TZ, Bot
from tests.retention_setup import CLOSED, OPEN, answered_campaigns, checkins
from tests.store_backends import sqlite_db

VILLAGE = "幸福小区居民群"
REQUEST = "代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234"
PRIVACY = PrivacyConfig(keep_messages_days=30, anonymise_closed_after_days=180)
WHO = Actor("cli", "tester", "命令行")


async def run(bot: Bot, privacy: PrivacyConfig = PRIVACY, batch: int = 500) -> retention.Outcome:
    return await retention.purge(bot.app.store, privacy, bot.clock(), WHO, tz=TZ, batch=batch)


async def texts(bot: Bot) -> list[tuple[str, str, str, str | None]]:
    rows = await sqlite_db(bot.app.store).fetchall(
        "SELECT platform_message_id, text, sender_name, handled_at FROM messages ORDER BY id")
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_old_texts_go_but_a_redelivered_old_message_is_still_seen(bot: Bot) -> None:
    first = bot.message(VILLAGE, "张阿姨", REQUEST)
    await bot.send(first)
    bot.clock.advance(days=20)
    await bot.say(VILLAGE, "王大爷", "代买 大米一袋 3栋")
    bot.clock.advance(days=11)  # the first is 31 days old, the second 11
    plan = await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)
    assert (plan.messages, plan.tickets) == (1, 0)
    done = await run(bot)
    assert (done.messages, done.tickets) == (1, 0)
    [(mid, text, name, handled), (_, kept, kept_name, _)] = await texts(bot)
    assert (mid, text, name) == (first.message_id, "", "") and handled is not None
    assert "大米" in kept and kept_name == "王大爷"
    # The platform sends the old update again (a webhook retry, a restart of getUpdates).
    assert await bot.send(first) == []
    assert [t.code for t in await bot.app.store.tickets.list()] == ["E1", "E2"]
    assert (await run(bot)).messages == 0  # nothing left to purge


async def test_sent_copies_go_with_the_messages_but_pending_ones_stay(bot: Bot) -> None:
    await bot.say(VILLAGE, "张阿姨", REQUEST)  # the owner's push repeats the phone and ID
    bot.adapter.fail_next = [SendError("down", offline=True)]
    await bot.say("@", "李书记", "待办")  # its reply stays queued
    bot.clock.advance(days=31)
    plan = await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)
    done = await run(bot)
    assert plan.outbox == done.outbox >= 2
    rows = await sqlite_db(bot.app.store).fetchall("SELECT status, text, mentions FROM outbox ORDER BY id")
    assert all(r["text"] == "" and r["mentions"] == "[]" for r in rows if r["status"] == "sent")
    assert [r["text"] != "" for r in rows if r["status"] == "pending"] == [True]


async def test_unhandled_messages_are_never_purged(bot: Bot) -> None:
    stuck = bot.message(VILLAGE, "张阿姨", REQUEST)
    await bot.app.store.messages.record(stuck, bot.clock())  # stored, then the process died
    bot.clock.advance(days=90)
    assert (await run(bot)).messages == 0
    [(_, text, _, handled)] = await texts(bot)
    assert text == REQUEST and handled is None
    assert await bot.app.recover() == 1  # recovery still has the whole message to act on
    assert (await bot.app.store.tickets.get("E1")) is not None


async def close_one_keep_one(bot: Bot) -> None:
    """E1 done with a note and an assignee phone; E2 still open; both carry phone and ID."""
    await bot.say(VILLAGE, "张阿姨", REQUEST)
    await bot.say(VILLAGE, "王大爷", "代买 降压药 7栋102 电话13900001111")
    await bot.say("@", "李书记", "备注 E1 家里钥匙在门垫下 电话13812345678 送到5栋301")
    await bot.say("@", "李书记", "指派 E1 王师傅13700002222")
    await bot.say("@", "李书记", "完成 E1")
    [thanks] = await bot.say(VILLAGE, "张阿姨", "评价 E1 5 很好 有事打13812345678")
    assert "5 分" in thanks.text


async def test_closed_tickets_lose_phone_id_and_address_after_n_days_only(bot: Bot) -> None:
    await close_one_keep_one(bot)
    bot.clock.advance(days=179)
    assert (await run(bot)).tickets == 0  # not yet
    e1 = await bot.app.store.tickets.get("E1")
    assert e1 is not None and "13812345678" in e1.text and e1.address == "5栋301"
    bot.clock.advance(days=2)
    plan = await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)
    assert plan.tickets == 1
    assert (await run(bot)).tickets == 1
    e1, e2 = await bot.app.store.tickets.get("E1"), await bot.app.store.tickets.get("E2")
    assert e1 is not None and e2 is not None
    assert e1.address == "" and "5栋301" not in e1.text and ADDRESS_GONE in e1.text
    assert "138****5678" in e1.text and "110101********1234" in e1.text
    assert e1.assignee == "王师傅137****2222" and e1.requester_name == "张阿姨"
    notes = " ".join(ev.note for ev in await bot.app.store.tickets.history(e1))
    assert "13812345678" not in notes and "5栋301" not in notes and "钥匙在门垫下" in notes
    [rating] = await sqlite_db(bot.app.store).fetchall("SELECT comment FROM ratings")
    assert rating["comment"] == "很好 有事打138****5678"
    assert "13900001111" in e2.text and e2.address == "7栋102"  # open: untouched
    # The raw request said the same things: its text is gone even within keep_messages_days.
    assert not any("13812345678" in t for _, t, _, _ in await texts(bot))
    # Idempotent: a second run finds nothing, and changes nothing.
    assert (await run(bot)).tickets == 0
    again = await bot.app.store.tickets.get("E1")
    assert again == e1


async def test_dry_run_changes_nothing_and_counts_what_the_run_does(bot: Bot) -> None:
    await close_one_keep_one(bot)
    bot.clock.advance(days=200)
    before = await texts(bot)
    plan = await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)
    assert await texts(bot) == before and (plan.messages, plan.tickets) == (6, 1)
    assert await bot.app.store.audit.latest() == []
    done = await run(bot, batch=2)  # several batches, one audit entry kept current
    assert (done.messages, done.tickets) == (plan.messages, plan.tickets)
    assert done.cut == plan.cut
    [entry] = await bot.app.store.audit.latest()
    assert entry.action == "purge" and "删除消息原文 6 条、发出存档" in entry.detail
    assert "隐去已办结工单 1 张的电话/身份证号/地址" in entry.detail


async def test_zero_days_keeps_forever(bot: Bot) -> None:
    await close_one_keep_one(bot)
    bot.clock.advance(days=3650)
    forever = replace(PRIVACY, keep_messages_days=0, anonymise_closed_after_days=0)
    done = await run(bot, forever)
    assert (done.messages, done.tickets, done.cut.messages, done.cut.tickets) == (0, 0, None, None)
    assert "永久保留" in retention.describe(done, TZ, done=True)


async def reports(bot: Bot) -> dict[str, list[str]]:
    """What the owner reads for each campaign (``接龙进度 C1``), line by line."""
    return {code: (await bot.say("@", "李书记", f"接龙进度 {code}"))[0].text.splitlines()
            for code in (*CLOSED, OPEN)}


async def answer_rows(bot: Bot) -> list[dict[str, object]]:
    rows = await sqlite_db(bot.app.store).fetchall(
        "SELECT * FROM campaign_answers ORDER BY campaign_id, voter")
    return [dict(r) for r in rows]


async def test_answers_of_long_closed_campaigns_lose_who_gave_them_but_not_the_counts(bot: Bot) -> None:
    await answered_campaigns(bot)
    before = await reports(bot)
    tallies = [await bot.app.store.campaigns.tally(i, ["xingfu"]) for i in (1, 2, 3, 4)]
    bot.clock.advance(days=29)
    assert (await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)).answers == 0
    bot.clock.advance(days=2)  # closed 31 days ago
    plan = await retention.plan(bot.app.store, PRIVACY, bot.clock(), tz=TZ)
    done = await run(bot, batch=1)  # a batch ends inside each campaign: placeholders stay unique
    assert plan.answers == done.answers == 6
    rows = await answer_rows(bot)
    gone = [r for r in rows if r["campaign_id"] != 4]
    assert [(r["campaign_id"], r["voter"]) for r in gone] == [
        (c, f"x:{n}") for c in (1, 2, 3) for n in (1, 2)]
    assert all(r["user_id"] == r["voter"] and r["name"] == r["address"] == "" for r in gone)
    assert not any(who in str(r) for r in gone for who in ("王阿姨", "刘叔", "3栋2单元"))
    [kept] = [r for r in rows if r["campaign_id"] == 4]  # still open: untouched
    assert (kept["voter"], kept["name"]) == ("h:2", "刘叔")
    after = await reports(bot)
    assert [await bot.app.store.campaigns.tally(i, ["xingfu"]) for i in (1, 2, 3, 4)] == tallies
    # The counts, the options' results and the households still missing read the same; the
    # named vote's list of who chose what names nobody any more.
    assert {c: after[c] for c in ("C1", "C3", OPEN)} == {c: before[c] for c in ("C1", "C3", OPEN)}
    assert after["C2"][:3] == before["C2"][:3] and "王阿姨：李四" in before["C2"]
    assert after["C2"][3:] == [f"{NAME_GONE}：张三", f"{NAME_GONE}：李四"]
    [entry] = await bot.app.store.audit.latest()
    assert "隐去接龙回复 6 条的姓名/地址/账号" in entry.detail
    assert (await run(bot)).answers == 0 and await answer_rows(bot) == rows  # nothing left


async def kept_days(bot: Bot) -> list[str]:
    rows = await sqlite_db(bot.app.store).fetchall("SELECT day FROM care_checkins ORDER BY day DESC")
    return [r["day"] for r in rows]


async def test_care_checkins_past_keep_messages_days_go_but_today_and_yesterday_stay(bot: Bot) -> None:
    await register(bot)
    await checkins(bot, (0, 1, 2, 30, 31, 45))
    now = bot.clock()
    days = [day_of(now - timedelta(days=n), TZ) for n in (0, 1, 2, 30, 31, 45)]
    plan = await retention.plan(bot.app.store, PRIVACY, now, tz=TZ)
    assert plan.cut.care_day == days[3] and plan.checkins == 2
    assert (await run(bot)).checkins == 2 and await kept_days(bot) == days[:4]
    one_day = replace(PRIVACY, keep_messages_days=1)
    assert (await run(bot, one_day)).checkins == 2 and await kept_days(bot) == days[:2]
    assert (await run(bot, one_day)).checkins == 0
    forever = replace(PRIVACY, keep_messages_days=0)
    assert (await retention.plan(bot.app.store, forever, now, tz=TZ)).cut.care_day is None


async def test_queries_use_the_partial_indexes(bot: Bot) -> None:
    """Proportional to what changes: no full scan of messages or tickets."""
    db = sqlite_db(bot.app.store)
    for sql, index in (
        ("SELECT COUNT(*) FROM messages WHERE purged_at IS NULL AND received_at < ? "
         "AND handled_at IS NOT NULL", "messages_to_purge"),
        ("SELECT id FROM tickets WHERE anonymised_at IS NULL AND status IN ('done', 'rejected') "
         "AND updated_at < ? ORDER BY updated_at LIMIT 5", "tickets_to_anonymise"),
        ("SELECT * FROM audit WHERE at >= ? ORDER BY at DESC, id DESC LIMIT 20", "audit_at"),
        ("SELECT id FROM tickets WHERE kind = 'question' AND text != '' AND status IN ('done', 'rejected') "
         "AND created_at < ? ORDER BY created_at LIMIT 5", "tickets_questions_to_purge"),
        ("SELECT id FROM outbox WHERE text != '' AND created_at < ? AND status IN ('sent', 'failed') "
         "LIMIT 5", "outbox_to_purge"),
        ("SELECT a.campaign_id, a.voter FROM campaigns c JOIN campaign_answers a "
         "ON a.campaign_id = c.id WHERE c.closed_at < ? AND a.voter < 'x:' ORDER BY c.id, a.voter "
         "LIMIT 5", "PRIMARY KEY (campaign_id=? AND voter<?)"),
        ("SELECT id FROM care_checkins WHERE day < ? LIMIT 5", "sqlite_autoindex_care_checkins_1"),
    ):
        plan = " ".join(str(r[3]) for r in await db.fetchall("EXPLAIN QUERY PLAN " + sql, ("x",)))
        assert index in plan and "TEMP B-TREE" not in plan, plan


async def test_residents_questions_lose_their_text_and_asker_after_keep_messages_days(bot: Bot) -> None:
    from bot.audit import cli_actor
    from bot.retention import plan, purge

    await bot.say(VILLAGE, "张阿姨", "请问小区东门几点开？我电话13812345678")
    await bot.say(VILLAGE, "王大爷", "请问物业电话是多少？")
    question, waiting = await bot.app.store.tickets.list(kind="question")
    assert "13812345678" in question.text
    await bot.say("@", "李书记", f"答复 {question.code} 东门六点开")
    privacy = PrivacyConfig(keep_messages_days=30, anonymise_closed_after_days=0)
    tz = bot.app.config.tz
    assert (await plan(bot.app.store, privacy, bot.clock(), tz=tz)).questions == 0
    later = bot.clock() + timedelta(days=31)
    assert (await plan(bot.app.store, privacy, later, tz=tz)).questions == 1
    assert (await purge(bot.app.store, privacy, later, cli_actor(), tz=tz)).questions == 1
    kept = await bot.app.store.tickets.get(question.code)
    assert kept is not None and (kept.text, kept.requester_name, kept.status) == ("", "", "done")
    # The answer stays in the history; a question still waiting keeps its words to be answered.
    assert [e.note for e in await bot.app.store.tickets.history(kept) if e.action == "answer"] == ["东门六点开"]
    still = await bot.app.store.tickets.get(waiting.code)
    assert still is not None and still.text == "请问物业电话是多少?"  # NFKC-folded, as every ticket
    assert (await purge(bot.app.store, privacy, later, cli_actor(), tz=tz)).questions == 0


async def test_checkpoint_duty_phones_go_after_keep_messages_days_and_who_stood_stays(bot: Bot) -> None:
    from bot.audit import cli_actor
    from bot.retention import describe, plan, purge

    store, now = bot.app.store, bot.clock()
    old, _ = await store.rosters.add_shift("north", "2026-10-01", "早班", "08:00", "16:00",
                                           now - timedelta(days=40), now - timedelta(days=40) + timedelta(hours=8),
                                           "import")
    recent, _ = await store.rosters.add_shift("north", "2026-11-20", "早班", "08:00", "16:00",
                                              now - timedelta(days=2), now - timedelta(days=2) + timedelta(hours=8),
                                              "import")
    for shift in (old, recent):
        await store.rosters.add_duty(shift, "王小明", "console", "", "13800138000")
    privacy = PrivacyConfig(keep_messages_days=30, anonymise_closed_after_days=0)
    tz = bot.app.config.tz
    planned = await plan(store, privacy, now, tz=tz)
    assert planned.roster_phones == 1 and "将删除 1 条卡点值班人员的电话" in describe(planned, tz, done=False)
    assert (await purge(store, privacy, now, cli_actor(), tz=tz)).roster_phones == 1
    [gone] = await store.rosters.on_day("2026-10-01")
    [kept] = await store.rosters.on_day("2026-11-20")
    assert (gone.name, gone.phone, kept.phone) == ("王小明", "", "13800138000")
    assert (await purge(store, privacy, now, cli_actor(), tz=tz)).roster_phones == 0
