"""[sla] through the real job: reminders to the holder before a deadline, escalation at it,
quiet hours, and once-only across a restart (issue 13, "Time limits per kind")."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot import sla_rules
from bot.message import Reply
from bot.store.households import HouseholdData
from schedules import sla
from tests.harness import BASE_TOML, START, Bot, Clock, make_config

GROUP = "幸福小区居民群"
GRIDS = BASE_TOML + '\n[[grids]]\nkey = "xf-1"\ngroup = "xingfu"\nworkers = ["网格员小周"]\n'
QUIET = BASE_TOML + '\n[sla]\nquiet_hours = "22:00-07:00"\n'


async def run(bot: Bot, at: datetime) -> list[tuple[str, str]]:
    """The SLA job at a fixed time: (chat, first line) of everything it queued."""
    bot.clock.now = at
    replies: list[Reply] = await sla.job(bot.app.services, at)
    return [(r.chat.chat_id, r.text.splitlines()[0]) for r in replies]


async def test_urgent_errand_reminded_at_5_minutes_and_escalated_at_10(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")
    assert await run(bot, START + timedelta(minutes=4, seconds=59)) == []
    assert await run(bot, START + timedelta(minutes=5)) == [
        ("@李书记", "【接单提醒】E1 须在 09:10 前接单（时限 10 分钟），请尽快接单或指派。")]
    assert await run(bot, START + timedelta(minutes=9)) == []
    assert await run(bot, START + timedelta(minutes=10)) == [
        ("@刘主任", "【超时提醒】E1 已 10 分钟未接单（时限 10 分钟），请督办：")]


async def test_normal_errand_has_two_hours(bot: Bot) -> None:
    await bot.say(GROUP, "王大爷", "代买 米 3栋")
    assert await run(bot, START + timedelta(minutes=10)) == []
    assert await run(bot, START + timedelta(hours=1, minutes=54)) == []
    assert await run(bot, START + timedelta(hours=1, minutes=55)) == [
        ("@李书记", "【接单提醒】E1 须在 11:00 前接单（时限 2 小时），请尽快接单或指派。")]
    assert await run(bot, START + timedelta(hours=2)) == [
        ("@刘主任", "【超时提醒】E1 已 2 小时未接单（时限 2 小时），请督办：")]


async def test_a_verification_clue_has_ten_minutes(bot: Bot) -> None:
    await bot.say(GROUP, "王大爷", "核实 5栋有人发烧")
    assert [c for c, _ in await run(bot, START + timedelta(minutes=10))] == ["@李书记", "@刘主任"]


async def test_accepted_ticket_races_the_finish_limit_and_its_handler_is_reminded(bot: Bot) -> None:
    await bot.say(GROUP, "王大爷", "代买 米 3栋")
    bot.clock.advance(minutes=30)
    await bot.say("@", "李书记", "接单 E1")
    assert await run(bot, START + timedelta(hours=3)) == []  # accepted: the 2 h limit is met
    assert await run(bot, START + timedelta(hours=23, minutes=54)) == []
    assert await run(bot, START + timedelta(hours=23, minutes=55)) == [
        ("@李书记", "【办结提醒】E1 须在 09:00 前办结（时限 24 小时），请尽快办理，办好后回复 完成 E1。")]
    assert await run(bot, START + timedelta(hours=24)) == [
        ("@刘主任", "【超时提醒】E1 已 24 小时未办结（时限 24 小时），请督办：")]
    await bot.say("@", "李书记", "完成 E1")
    assert await run(bot, START + timedelta(hours=48)) == []


async def test_quiet_hours_hold_a_normal_reminder_until_7_but_not_an_urgent_one(tmp_path: Path) -> None:
    evening = START.replace(hour=20, minute=30)
    bot = await Bot.start(tmp_path, QUIET, Clock(evening))
    try:
        await bot.say(GROUP, "王大爷", "代买 米 3栋")  # due 22:30, reminder 22:25: in quiet hours
        bot.clock.now = evening.replace(hour=23, minute=0)
        await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")  # E2, urgent: due 23:10
        assert await run(bot, evening.replace(hour=22, minute=25)) == []
        assert await run(bot, evening.replace(hour=23, minute=5)) == [
            ("@李书记", "【接单提醒】E2 须在 23:10 前接单（时限 10 分钟），请尽快接单或指派。")]
        assert await run(bot, evening.replace(hour=23, minute=10)) == [
            ("@刘主任", "【超时提醒】E2 已 10 分钟未接单（时限 10 分钟），请督办：")]
        await bot.say("@", "李书记", "接单 E2")
        morning = evening + timedelta(hours=10, minutes=30)  # 07:00 the next day
        assert await run(bot, morning - timedelta(minutes=5)) == []
        sent = await run(bot, morning)
        assert sent[0] == ("@李书记", "【接单提醒】E1 已超过接单时限（11-22 22:30）（时限 2 小时），请尽快接单或指派。")
        assert [c for c, _ in sent[1:]] == ["@区指挥部小王"]  # 10.5 h late: to the top at once
    finally:
        await bot.close()


async def test_a_restart_sends_nothing_twice(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    await bot.say(GROUP, "张阿姨", "求助 老人摔倒了 3栋")
    assert len(await run(bot, START + timedelta(minutes=10))) == 2  # the reminder and the escalation
    await bot.close()
    again = await Bot.start(tmp_path, clock=Clock(START + timedelta(minutes=11)))
    try:
        assert await run(again, START + timedelta(minutes=11)) == []
        # The next moment was planned before the restart: nothing is read until then.
        assert await again.app.store.sla.due(START + timedelta(minutes=19), 10) == []
        assert await run(again, START + timedelta(minutes=20)) == [
            ("@区指挥部小王", "【超时提醒】E1 已 20 分钟未接单（时限 10 分钟），请督办：")]
    finally:
        await again.close()


async def test_a_grid_ticket_reminds_its_grid_worker_then_whoever_accepted_it(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, GRIDS)
    try:
        await bot.app.store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501", grid_key="xf-1"),
                                            bot.clock())
        await bot.say(GROUP, "张阿姨", "代买 胰岛素两盒 3-2-501")
        assert [c for c, _ in await run(bot, START + timedelta(minutes=5))] == ["@网格员小周", "@李书记"]  # medicine: urgent
        await bot.say("@", "网格员小周", "接单 E1")
        assert [c for c, _ in await run(bot, START + timedelta(hours=23, minutes=55))] == ["@网格员小周"]
    finally:
        await bot.close()


def test_the_next_moment_is_the_reminder_then_the_deadline_then_each_further_period() -> None:
    d = sla_rules.Deadline("accept", START, timedelta(minutes=10), START + timedelta(minutes=5))
    assert d.next_after(START) == START + timedelta(minutes=5)
    assert d.next_after(START + timedelta(minutes=5)) == START + timedelta(minutes=10)
    assert d.next_after(START + timedelta(minutes=10)) == START + timedelta(minutes=20)
    assert d.next_after(START + timedelta(minutes=29, seconds=59)) == START + timedelta(minutes=30)


def test_quiet_hours_end_at_their_next_end_in_the_bot_time_zone(tmp_path: Path) -> None:
    night = make_config(tmp_path, QUIET)
    assert sla_rules.quiet_end(night, START.replace(hour=23)) == START.replace(hour=7) + timedelta(days=1)
    assert sla_rules.quiet_end(night, START.replace(hour=2)) == START.replace(hour=7)
    noon = make_config(tmp_path, BASE_TOML + '\n[sla]\nquiet_hours = "12:00-14:30"\n')
    assert sla_rules.quiet_end(noon, START.replace(hour=12, minute=40)) == START.replace(hour=14, minute=30)
    assert not sla_rules.quiet(noon, sla_rules.quiet_end(noon, START.replace(hour=13)))


def test_the_rules_text_changes_with_any_limit_and_only_then(tmp_path: Path) -> None:
    base = sla_rules.rules(make_config(tmp_path, BASE_TOML))
    assert sla_rules.rules(make_config(tmp_path, BASE_TOML)) == base
    for extra in ("[sla.rumor]\nurgent_finish_hours = 12", "[sla]\nremind_before_minutes = 15",
                  '[sla]\nquiet_hours = "22:00-07:00"'):
        assert sla_rules.rules(make_config(tmp_path, f"{BASE_TOML}\n{extra}\n")) != base, extra
