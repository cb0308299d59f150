"""``指派 E12 王小明``: a registered volunteer is told in private; namesakes are asked about; any
other name is kept as written and the owner hears that nobody will be notified."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Bot, to
from tests.volunteer_setup import GROUP, TOML, volunteer

ERRAND = "代买 大米一袋 5栋301"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML)
    await volunteer(bot, "小明", "王小明", "13900001111")
    await bot.say(GROUP, "张阿姨", ERRAND)
    yield bot
    await bot.close()


async def test_a_registered_volunteer_is_told_and_holds_the_ticket(bot: Bot) -> None:
    replies = await bot.say("@", "李书记", "指派 E1 王小明")
    assert to(replies, "@李书记")[0].text.startswith("已把 E1 指派给志愿者 王小明（13900001111），已私信通知本人。")
    [told] = to(replies, "@小明")
    assert told.text.startswith("李书记 把 E1 交给了您。") and "地址：5栋301" in told.text
    [notice] = to(replies, GROUP)
    assert notice.text == "您的工单 E1 已安排志愿者 王小明 跟进，请保持电话畅通。"
    [mine] = await bot.say("@", "小明", "我的任务")
    assert "E1" in mine.text
    [own] = await bot.say("配送志愿者群", "小明", "抢单 E1")
    assert own.text.startswith("E1 已在您手上")
    await volunteer(bot, "小红", "李小红", "13900002222")
    [late] = await bot.say("配送志愿者群", "小红", "抢单 E1")
    assert late.text.startswith("E1 已由 王小明 接单")  # not the owner who handed it over
    done = await bot.say("@", "小明", "完成 E1")
    assert to(done, GROUP)[0].text.startswith("您的工单 E1 已完成。")


async def test_an_unregistered_name_is_kept_and_the_owner_warned(bot: Bot) -> None:
    replies = await bot.say("@", "李书记", "指派 E1 老周")
    assert to(replies, "@李书记")[0].text.startswith(
        "已把 E1 指派给 老周。「老周」不是登记的志愿者，不会收到通知，请您自己联系对方。")
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.assignee == "老周"
    assert await bot.app.store.volunteers.holder(t) is None


async def test_namesakes_are_asked_about(bot: Bot) -> None:
    await volunteer(bot, "小明2", "王小明", "13900002222")
    [ask] = await bot.say("@", "李书记", "指派 E1 王小明")
    assert "有 2 位志愿者叫「王小明」" in ask.text and "指派 E1 王小明 2222" in ask.text
    t = await bot.app.store.tickets.get("E1")
    assert t is not None and t.status == "open"  # nothing done until the owner says which
    replies = await bot.say("@", "李书记", "指派 E1 王小明 2222")
    assert to(replies, "@小明2") and not to(replies, "@小明")


async def test_a_reassignment_moves_the_task(bot: Bot) -> None:
    await volunteer(bot, "小红", "李小红", "13900003333")
    await bot.say("@", "李书记", "指派 E1 王小明")
    replies = await bot.say("@", "李书记", "指派 E1 李小红")
    assert [r.text for r in to(replies, "@小明")] == ["E1 已改派给其他志愿者，您不用再跑了，谢谢您！"]
    [r] = await bot.say("@", "小明", "完成 E1")
    assert r.text.startswith("E1 不是交给您的任务")
    assert "E1" in (await bot.say("@", "小红", "我的任务"))[0].text
