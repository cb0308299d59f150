"""handlers/rumor_reports.py: reports meet the library (answer, suggest) and join one ticket."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.store import open_store
from bot.store.rumors import RumorData
from tests.harness import Bot, to

ROOT = Path(__file__).resolve().parent.parent
XINGFU, YANGGUANG = "幸福小区居民群", "阳光花园居民群"


async def load_sample(bot: Bot) -> None:
    rows = [json.loads(line) for line in (ROOT / "data" / "rumors.jsonl").read_text(encoding="utf-8").splitlines()]
    await bot.app.store.rumors.add_many(
        [RumorData(r["id"], r["claim"], r["verdict"], r["refutation"], r["source"],
                   date.fromisoformat(r["published_at"])) for r in rows], bot.clock())


async def test_a_question_without_keyword_is_answered_from_the_library(bot: Bot) -> None:
    await load_sample(bot)
    [answer] = await bot.say(XINGFU, "张阿姨", "网传明天全市封城，是真的吗？")
    assert answer.chat.chat_id == XINGFU and [m.user_id for m in answer.mentions] == ["张阿姨"]
    assert "【辟谣】" in answer.text and "没有封城计划" in answer.text and "来源：市疫情防控指挥部" in answer.text
    assert await bot.app.store.tickets.list() == []  # nothing for an owner to do
    for chat in ("大家早上好", "明天全市不封城吧？", "明天全市停电了吗", "听说后天全市封城"):
        assert await bot.say(XINGFU, "王大爷", chat) == []
    # An owner's announcement in the group is not answered back.
    assert await bot.say(XINGFU, "李书记", "网传明天全市封城，是真的吗？") == []


async def test_a_keyword_report_is_closed_with_the_entry_and_its_source(bot: Bot) -> None:
    await load_sample(bot)
    replies = await bot.say(XINGFU, "张阿姨", "求證 聽說喝板藍根可以預防新冠")
    [notice] = to(replies, XINGFU)
    assert "【辟谣】R1" in notice.text and "板蓝根不能预防新冠" in notice.text and "市卫健委" in notice.text
    [info] = to(replies, "@李书记")
    assert "R1 与谣言库 L19 相同" in info.text
    ticket = await bot.app.store.tickets.get("R1")
    assert ticket is not None and ticket.status == "done" and ticket.verdict == "false"


async def test_a_suggested_entry_reaches_the_owner_for_one_tap(bot: Bot) -> None:
    await load_sample(bot)
    replies = await bot.say(XINGFU, "张阿姨", "求证 听说明天封城")
    [ack] = to(replies, XINGFU)
    assert "已收到求证 R1" in ack.text
    [push] = to(replies, "@李书记")
    assert "L1「明天全市封城」" in push.text and push.buttons[0].command == "辟谣 R1 按 L1"
    replies = await bot.say("@", "李书记", push.buttons[0].command)
    [notice] = to(replies, XINGFU)
    assert "【辟谣】R1" in notice.text and "没有封城计划" in notice.text and notice.mentions[0].user_id == "张阿姨"
    assert "已按谣言库 L1 答复 R1" in to(replies, "@李书记")[0].text
    # The one-tap answer adds nothing to the library: the entry is there already.
    assert await bot.app.store.rumors.get("LR1") is None


async def test_reports_of_one_claim_join_one_ticket_and_every_group_hears_the_verdict(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "求证 听说明天超市关门")
    replies = await bot.say(YANGGUANG, "小陈", "求證 網傳明天超市關門，是真的嗎")
    [told] = to(replies, YANGGUANG)
    assert "R1" in told.text and "已有 2 人求证" in told.text
    [owner] = to(replies, "@陈网格员")
    assert "「阳光花园居民群」也有人求证 R1" in owner.text and "幸福小区居民群、阳光花园居民群" in owner.text
    replies = await bot.say(YANGGUANG, "老周", "求证 明天超市关门吗")
    assert "已有 3 人求证" in to(replies, YANGGUANG)[0].text and to(replies, "@陈网格员") == []
    replies = await bot.say("@", "李书记", "辟谣 R1 超市正常营业")
    [xingfu] = to(replies, XINGFU)
    [yangguang] = to(replies, YANGGUANG)  # once for the group, @ both reporters there
    assert "【辟谣】R1" in xingfu.text and "超市正常营业" in yangguang.text
    assert [m.user_id for m in yangguang.mentions] == ["小陈", "老周"]
    assert any("已加入谣言库 LR1" in r.text for r in to(replies, "@李书记"))
    # The verdict is in the library now: the next report is answered at once.
    [answer] = to(await bot.say(YANGGUANG, "小李", "求证 明天超市关门了？"), YANGGUANG)
    assert "【辟谣】R2" in answer.text and "超市正常营业（同 R1）" in answer.text


async def test_reports_after_the_window_open_a_new_ticket(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "求证 听说明天超市关门")
    bot.clock.advance(days=2)
    [ack, *_] = await bot.say(YANGGUANG, "小陈", "求证 明天超市关门")
    assert "已收到求证 R2" in ack.text


async def test_an_import_by_another_process_is_seen_without_a_restart(bot: Bot, tmp_path: Path) -> None:
    assert await bot.say(XINGFU, "张阿姨", "网传明天全市封城，是真的吗？") == []  # index built, empty
    other = await open_store(bot.app.config.database)
    try:
        await other.rumors.add_many([RumorData("X1", "明天全市封城", "false", "不封城", "指挥部",
                                               date(2022, 4, 2))], bot.clock())
    finally:
        await other.close()
    [answer] = await bot.say(XINGFU, "王大爷", "网传明天全市封城，是真的吗？")
    assert "不封城" in answer.text


async def test_emoji_only_and_huge_reports_get_a_clear_answer(bot: Bot) -> None:
    await load_sample(bot)
    [hint] = await bot.say(XINGFU, "张阿姨", "求证 😀😀😀")
    assert "请写上听到的说法" in hint.text and await bot.app.store.tickets.list() == []
    assert await bot.say(XINGFU, "张阿姨", "😀" * 5000) == []
    [answer] = await bot.say(XINGFU, "王大爷", "网传明天全市封城，是真的吗？" + "。" * 100_000)
    assert "没有封城计划" in answer.text
    replies = await bot.say(XINGFU, "刘阿姨", "求证 听说" + "明天封城" * 20_000)
    assert "已收到求证 R1" in to(replies, XINGFU)[0].text
