"""Campaign deadlines (schedules/campaigns.py): a reminder before, the result at the deadline,
each exactly once, across restarts; closed campaigns in one digest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from schedules import campaigns as job
from schedules import digest
from tests.campaign_setup import GROUP, group_texts, link, register
from tests.harness import Bot, Clock, to


async def run(bot: Bot) -> list[str]:
    """Run the job at the bot's clock, send what it queued, return ``<chat>|<text>`` lines."""
    before = len(bot.adapter.sent)
    await job.job(bot.app.services, bot.clock())
    await bot.app.outbox.drain("console")
    return [f"{r.chat.chat_id}|{' '.join('@' + m.name for m in r.mentions)}{r.text}"
            for r in bot.adapter.sent[before:]]


async def started(bot: Bot) -> None:
    await register(bot)
    await link(bot, "王阿姨", "3-2-503")
    await link(bot, "张大爷", "3-2-501")
    await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做 截止 18:00")
    await bot.say(GROUP, "张大爷", "已做")


async def test_the_reminder_comes_an_hour_before_and_mentions_only_the_missing(bot: Bot) -> None:
    await started(bot)
    bot.clock.now = bot.clock.now.replace(hour=16, minute=59)
    assert await run(bot) == []
    bot.clock.advance(minutes=1)
    [reminder] = await run(bot)
    assert reminder.startswith(f"{GROUP}|@王阿姨【提醒】【接龙 C1】核酸检测 将于 11-22 18:00 截止，")
    assert "已接龙 1 户，还差 3 户" in reminder and "张大爷" not in reminder and "真名" not in reminder
    assert await run(bot) == []
    bot.clock.advance(minutes=5)
    assert await run(bot) == []


async def test_the_result_goes_out_once_at_the_deadline_even_after_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    bot = await Bot.start(tmp_path, clock=clock)
    await started(bot)
    clock.now = clock.now.replace(hour=18)
    lines = await run(bot)
    [owner] = [line for line in lines if line.startswith("@李书记|")]
    assert "已截止" in owner and "3栋2单元502 李四 13812345672" in owner
    [group] = [line for line in lines if line.startswith(GROUP)]
    assert group == f"{GROUP}|【接龙 C1】核酸检测 已截止：已接龙 1 户，还差 3 户。\n已做 1 户；未做 0 户"
    assert not any("提醒" in line for line in lines)  # past the deadline: no reminder first
    assert await run(bot) == []
    await bot.close()
    again = await Bot.start(tmp_path, clock=clock)
    try:
        clock.advance(minutes=1)
        assert await run(again) == []
        assert "13812345672" not in "\n".join(group_texts(bot))
    finally:
        await again.close()


async def test_a_sub_district_campaign_reports_each_group_to_its_owner(bot: Bot) -> None:
    await register(bot)
    await bot.say("@", "刘主任", "接龙 东城街道群：核酸检测 选项 已做 未做 截止 10:00")
    bot.clock.advance(hours=1)
    lines = await run(bot)
    [author] = [line for line in lines if line.startswith("@刘主任|")]
    assert "共 3 个群" in author and "13812345671" in author
    [xingfu] = [line for line in lines if line.startswith("@李书记|")]
    assert "您负责的 1 个群" in xingfu and "13812345671" in xingfu
    [yangguang] = [line for line in lines if line.startswith("@陈网格员|")]
    assert "13812345671" not in yangguang


async def test_closed_campaigns_are_in_exactly_one_digest(bot: Bot) -> None:
    await started(bot)
    bot.clock.now = bot.clock.now.replace(hour=18)
    await run(bot)
    bot.clock.now += timedelta(hours=2)
    await digest.job(bot.app.services, bot.clock())
    await bot.app.outbox.drain("console")
    [owner] = to(bot.adapter.sent, "@李书记")[-1:]
    assert "接龙 C1「核酸检测」已截止：已接龙 1 户，还差 3 户；已做 1 户；未做 0 户" in owner.text
    staff = to(bot.adapter.sent, "@区指挥部小王")[-1]
    assert "接龙 C1「核酸检测」已截止" in staff.text
    bot.clock.advance(days=1)
    await digest.job(bot.app.services, bot.clock())
    await bot.app.outbox.drain("console")
    assert "C1" not in to(bot.adapter.sent, "@李书记")[-1].text
