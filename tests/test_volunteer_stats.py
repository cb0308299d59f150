"""志愿者统计 and 感谢名单 through the dispatcher: numbers over the owner's groups, published once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Bot, to
from tests.volunteer_setup import GROUP, TEAM_GROUP, TOML, volunteer


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML)
    await volunteer(bot, "小明", "王小明", "13900001111")
    await volunteer(bot, "小红", "李小红", "13900002222")
    for i, (who, minutes) in enumerate((("小明", 20), ("小明", 60), ("小红", 30))):
        await bot.say(GROUP, "张阿姨", f"代买 大米{i + 1}袋 5栋30{i}")
        await bot.say(TEAM_GROUP, who, f"抢单 E{i + 1}")
        bot.clock.advance(minutes=minutes)
        await bot.say("@", who, f"完成 E{i + 1}")
        await bot.say(GROUP, "张阿姨", f"评价 E{i + 1} {5 - i}")
    await bot.say(GROUP, "张阿姨", "代买 面粉 5栋309")
    await bot.say(TEAM_GROUP, "小红", "抢单 E4")  # taken, not done
    yield bot
    await bot.close()


async def test_the_owner_sees_the_month_per_team_and_per_volunteer(bot: Bot) -> None:
    [r] = await bot.say("@", "李书记", "志愿者统计")
    assert r.text.splitlines()[:2] == ["2026年11月志愿者统计：", "【小分队】"]
    assert "· 配送小分队：接单 4，完成 3，用时中位 30 分钟" in r.text
    assert "· 王小明（配送小分队）：接单 2，完成 2，用时中位 40 分钟，平均评分 4.5" in r.text
    assert "· 李小红（配送小分队）：接单 2，完成 1，用时中位 30 分钟，平均评分 3.0" in r.text
    [leader] = await bot.say("@", "王队长", "志愿者统计 2026-11")
    assert leader.text == r.text
    [other] = await bot.say("@", "李书记", "志愿者统计 10月")
    assert other.text == "2026年10月还没有志愿者接过您负责范围内的工单。"
    [bad] = await bot.say("@", "李书记", "志愿者统计 明年")
    assert bad.text == "「明年」不是月份。月份可写：本月、上月、11月、2026-11。"
    [resident] = await bot.say("@", "张阿姨", "志愿者统计")
    assert "给群主、小分队队长和指挥部工作人员使用" in resident.text


async def test_the_thank_you_list_is_previewed_then_published_once(bot: Bot) -> None:
    [preview] = await bot.say("@", "李书记", "感谢名单")
    assert preview.text.startswith("【2026年11月志愿者感谢名单】") and "（预览。" in preview.text
    replies = await bot.say("@", "李书记", "感谢名单 发布")
    assert to(replies, "@李书记")[0].text == "已在「幸福小区居民群」发布2026年11月感谢名单。"
    [posted] = to(replies, GROUP)
    assert "王小明（配送小分队）完成 2 单" in posted.text and "李小红（配送小分队）完成 1 单" in posted.text
    assert "139" not in posted.text and "（预览" not in posted.text
    again = await bot.say("@", "李书记", "感谢名单 发布 2026-11")
    assert [r.text for r in again] == ["「幸福小区居民群」已发布过，不再重复。"]
    [none] = await bot.say("@", "李书记", "感谢名单 发布 上月")
    assert none.text == "2026年10月还没有志愿者完成过工单，暂无感谢名单。"
    [leader] = await bot.say("@", "王队长", "感谢名单 发布")
    assert "您没有自己负责的居民群" in leader.text
