"""换班: a person hands a shift to another rostered person, who accepts with one tap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.message import Button
from schedules import rosters as roster_job
from tests.harness import Bot, Clock
from tests.test_rosters import DAY, SHIFT, TOML


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML, Clock(DAY))
    await roster_job.job(bot.app.services, DAY)  # today's and tomorrow's fixed shifts
    yield bot
    await bot.close()


async def test_swap_is_asked_accepted_with_one_tap_and_the_reminder_follows(bot: Bot) -> None:
    asked = await bot.say("@", "王小明", "换班 11-23 早班 李四")
    assert [r.chat.chat_id for r in asked] == ["@王小明", "@李四"]
    assert asked[0].text == "已请 李四 确认替您值 2026-11-23 早班，对方同意后会通知您。"
    question = asked[1]
    assert "王小明 请您替他/她值 2026-11-23「北门卡点」早班（08:00-16:00）" in question.text
    accept, decline = question.buttons
    assert isinstance(accept, Button) and accept.label == "同意换班" and decline.label == "不同意"
    tapped = bot.message("@", "李四", accept.command, tapped_message_id="m2")
    done = await bot.send(tapped)
    by_chat = {r.chat.chat_id: r for r in done}
    assert by_chat["@李四"].edit_message_id == "m2" and "已同意换班" in by_chat["@李四"].text
    assert by_chat["@王小明"].text == "李四 已同意替您值 2026-11-23「北门卡点」早班（08:00-16:00），这个班您不用去了。"
    assert "王小明 → 李四" in by_chat["@卡点组长老周"].text
    again = await bot.send(bot.message("@", "李四", accept.command, tapped_message_id="m2"))
    assert "已经处理过" in again[0].text  # a second tap changes nothing
    bot.clock.now = SHIFT - timedelta(minutes=30)
    await roster_job.job(bot.app.services, bot.clock.now)
    await bot.app.outbox.drain("console")
    reminded = [r.chat.chat_id for r in bot.adapter.sent if "上岗提醒" in r.text]
    assert "@李四" in reminded and "@王小明" not in reminded
    gone = await bot.say("@", "王小明", "到岗 北门卡点")
    assert gone[0].text.startswith("您现在不在「北门卡点」的排班里")


async def test_declined_swap_tells_the_asker(bot: Bot) -> None:
    asked = await bot.say("@", "王小明", "换班 今天 08:00 李四")
    done = await bot.say("@", "李四", asked[1].buttons[1].command)
    assert [r.chat.chat_id for r in done] == ["@李四", "@王小明"]
    assert "没有同意替您值" in done[1].text


async def test_swap_with_someone_not_on_the_roster_or_a_wrong_shift_gets_a_clear_answer(bot: Bot) -> None:
    nobody = await bot.say("@", "王小明", "换班 11-23 早班 孙悟空")
    assert nobody[0].text.startswith("「孙悟空」不在排班表上，不能换给他/她。")
    wrong = await bot.say("@", "王小明", "换班 11-23 夜班 李四")
    assert wrong[0].text == "您 2026-11-23 没有「夜班」这个班。您那天的班：北门卡点 早班（08:00-16:00）。"
    busy = await bot.say("@", "王小明", "换班 11-23 早班 赵六")  # 南门's 早班 at the same time
    assert busy[0].text == "赵六 那时已在「南门卡点」值 2026-11-23 早班（08:00-16:00），时间冲突，请换给其他人。"
    same = await bot.say("@", "王小明", "换班 11-23 早班 张三")
    assert same[0].text == "张三 已经在这个班上了，请换给其他人。"
    unknown = await bot.say("@", "李四", "换班 11-23 夜班 张三")  # on the roster, never identified
    assert "还没有在机器人上确认过身份" in unknown[0].text
    assert "不是日期" in (await bot.say("@", "王小明", "换班 下周 早班 李四"))[0].text
    assert "请这样写" in (await bot.say("@", "王小明", "换班 李四"))[0].text
    assert "不能和自己换班" in (await bot.say("@", "王小明", "换班 11-23 早班 王小明"))[0].text
    stranger = await bot.say("@", "路人甲", "同意换班 1")
    assert "没有找到给您的换班请求" in stranger[0].text
    later = await bot.say("@", "王小明", "换班 11-28 早班 李四")  # a day no job made yet
    assert later[0].text.startswith("已请 李四 确认替您值 2026-11-28 早班")
    bot.clock.now = SHIFT
    assert "已经开始" in (await bot.say("@", "王小明", "换班 11-23 早班 李四"))[0].text
