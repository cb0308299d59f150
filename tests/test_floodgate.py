"""Per-person flood limit on new tickets, through the real dispatcher, store and outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.config import LimitsConfig
from bot.floodgate import Burst, Verdict, decide
from tests.harness import BASE_TOML, START, Bot, Clock, to

GROUP = "幸福小区居民群"


async def flood(bot: Bot, user: str, n: int, start: int = 0) -> list[list[str]]:
    """``n`` different requests from ``user``, a few seconds apart; each one's replies as chat|text."""
    out = []
    for i in range(start, start + n):
        # Ids unique across restarts of the harness (it numbers messages from 1 each start).
        msg = replace(bot.message(GROUP, user, f"代买 第{i}样东西 5栋{i}"), message_id=f"flood{i}")
        out.append([f"{r.chat.chat_id}|{r.text}" for r in await bot.send(msg)])
        bot.clock.advance(seconds=5)
    return out


async def held(bot: Bot, user: str = "张阿姨") -> int:
    burst = await bot.app.store.tickets.flood_burst("console", user, "xingfu")
    return burst.held if burst else 0


async def test_past_the_limit_one_warning_one_owner_notice_then_silence(bot: Bot) -> None:
    replies = await flood(bot, "张阿姨", 12)
    assert all(any("已登记代办工单" in r for r in rs) for rs in replies[:5])
    [warn, notice] = replies[5]
    assert warn.startswith(f"{GROUP}|您在 10 分钟内已登记 5 张工单，请稍后再发") and "拨打 120" in warn
    assert notice.startswith("@李书记|提醒：张阿姨 在「幸福小区居民群」10 分钟内已登记 5 张工单")
    assert "已暂存 1 条" in notice and "「待办」" in notice
    assert replies[6:] == [[]] * 6
    assert len(await bot.app.store.tickets.list()) == 5
    assert await held(bot) == 7
    assert await bot.app.store.messages.count() == 12  # nothing lost: every request is stored


async def test_others_and_other_groups_are_not_held_back(bot: Bot) -> None:
    await flood(bot, "张阿姨", 7)
    ok = await bot.say(GROUP, "王大爷", "代买 大米 3栋101")
    assert "已登记代办工单 E6" in to(ok, GROUP)[0].text
    there = await bot.say("阳光花园居民群", "张阿姨", "代买 酱油 1栋101")
    assert "已登记代办工单 E7" in to(there, "阳光花园居民群")[0].text


async def test_when_the_window_passes_requests_are_accepted_again(bot: Bot) -> None:
    await flood(bot, "张阿姨", 7)
    bot.clock.advance(minutes=10)
    [ack, push] = await bot.say(GROUP, "张阿姨", "代买 鸡蛋 5栋301")
    assert "已登记代办工单 E6" in ack.text and push.chat.chat_id == "@李书记"


async def test_a_new_burst_after_a_quiet_window_warns_again(bot: Bot) -> None:
    await flood(bot, "张阿姨", 7)
    bot.clock.advance(minutes=11)  # quiet for a whole window: the burst is over
    again = await flood(bot, "张阿姨", 7, start=100)
    assert [len(rs) for rs in again] == [2, 2, 2, 2, 2, 2, 0]
    assert "您在 10 分钟内已登记 5 张工单" in again[5][0]


async def test_a_flood_that_never_stops_is_warned_once(bot: Bot) -> None:
    """A slot frees up every now and then; the resident is not warned again each time."""
    warnings = notices = 0
    for i in range(120):  # one request a minute for two hours
        for r in await bot.say(GROUP, "张阿姨", f"代买 第{i}样 5栋{i}"):
            warnings += "请稍后再发" in r.text
            notices += r.text.startswith("提醒：")
        bot.clock.advance(minutes=1)
    assert (warnings, notices) == (1, 1)
    assert len(await bot.app.store.tickets.list()) == 60  # 5 per 10 minutes


async def test_the_limit_is_configurable(tmp_path: Path) -> None:
    toml = BASE_TOML + "\n[limits]\ntickets_per_window = 2\nwindow_minutes = 60\n"
    bot = await Bot.start(tmp_path, toml)
    try:
        replies = await flood(bot, "张阿姨", 4)
        assert [len(rs) for rs in replies] == [2, 2, 2, 0]
        assert "您在 60 分钟内已登记 2 张工单" in replies[2][0]
        bot.clock.advance(minutes=59)
        assert await bot.say(GROUP, "张阿姨", "代买 盐 5栋1") == []
        bot.clock.advance(minutes=2)  # the first tickets are an hour old now
        assert "已登记代办工单 E3" in (await bot.say(GROUP, "张阿姨", "代买 糖 5栋1"))[0].text
    finally:
        await bot.close()


async def test_a_restart_mid_burst_keeps_the_warning_given(tmp_path: Path) -> None:
    clock = Clock()
    bot = await Bot.start(tmp_path, clock=clock)
    await flood(bot, "张阿姨", 6)
    await bot.close()
    bot = await Bot.start(tmp_path, clock=clock)
    try:
        assert await flood(bot, "张阿姨", 3, start=50) == [[], [], []]
        assert await held(bot) == 4
        assert len(await bot.app.store.tickets.list()) == 5
        assert await bot.app.store.messages.count() == 9
    finally:
        await bot.close()


def test_decide() -> None:
    limit = LimitsConfig(tickets_per_window=5, window_minutes=10)
    recent = Burst(START, START, 3)
    assert decide(4, recent, limit, START) is Verdict.ACCEPT
    assert decide(5, None, limit, START) is Verdict.WARN
    assert decide(5, recent, limit, START + timedelta(minutes=9)) is Verdict.SILENT
    assert decide(5, recent, limit, START + timedelta(minutes=10)) is Verdict.WARN


async def test_the_same_request_again_and_again_is_pointed_to_its_ticket_once_per_window(bot: Bot) -> None:
    first = await bot.say(GROUP, "张阿姨", "代买 大米 5栋307")
    assert "已登记代办工单 E1" in first[0].text
    again = [await bot.say(GROUP, "张阿姨", "代买 大米 5栋307") for _ in range(30)]
    assert "您已登记过 E1" in again[0][0].text and again[1:] == [[]] * 29
    bot.clock.advance(minutes=10)
    later = await bot.say(GROUP, "张阿姨", "代买 大米 5栋307！")
    assert "您已登记过 E1" in later[0].text
    assert len(await bot.app.store.tickets.list()) == 1


async def test_two_bots_on_one_database_share_the_count_and_the_warning(tmp_path: Path) -> None:
    """The state is in the database, not in a process: what one bot counted, the other sees."""
    clock = Clock()
    first, second = await Bot.start(tmp_path, clock=clock), await Bot.start(tmp_path, clock=clock)
    try:
        replies = []
        for i in range(8):
            bot = (first, second)[i % 2]
            msg = replace(bot.message(GROUP, "张阿姨", f"代买 第{i}样 5栋{i}"), message_id=f"two{i}")
            replies.append(len(await bot.send(msg)))
            clock.advance(seconds=5)
        assert replies == [2, 2, 2, 2, 2, 2, 0, 0]  # 5 tickets, 1 warning + 1 notice, silence
        assert len(await second.app.store.tickets.list()) == 5
    finally:
        await first.close()
        await second.close()


async def test_a_keyword_sent_alone_again_and_again_gets_its_hint_once_per_window(bot: Bot) -> None:
    hints = [await bot.say(GROUP, "张阿姨", "代买") for _ in range(20)]
    assert "「代买」后面请写上要办的事和地址" in hints[0][0].text and hints[1:] == [[]] * 19
    other = await bot.say(GROUP, "张阿姨", "求证")  # another keyword: its own hint
    assert "「求证」后面请写上听到的说法" in other[0].text
    assert "「代买」后面请写上" in (await bot.say(GROUP, "王大爷", "代买"))[0].text  # someone else
    bot.clock.advance(minutes=10)
    assert "「代买」后面请写上" in (await bot.say(GROUP, "张阿姨", "代买"))[0].text
