"""日报 / 周报 / 月报 and 排名 in private chat, through the dispatcher, store and outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import BASE_TOML, Bot, to

XINGFU, YANGGUANG = "幸福小区居民群", "阳光花园居民群"


async def _day(bot: Bot) -> None:
    """A morning: two errands in 幸福小区 (one done, rated low), an urgent one waiting in 阳光花园."""
    await bot.say(XINGFU, "张阿姨", "代买 大米一袋 3栋501")  # E1
    bot.clock.advance(minutes=10)
    await bot.say("@", "李书记", "接单 E1")
    bot.clock.advance(hours=2)
    await bot.say("@", "李书记", "完成 E1")
    await bot.say(XINGFU, "张阿姨", "评价 E1 2 送得太晚 电话13812345678")
    await bot.say(YANGGUANG, "王大爷", "求助 老伴发烧 5栋303")  # E2, urgent
    bot.clock.advance(hours=3)  # 14:10


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.start(tmp_path)
    await _day(b)
    yield b
    await b.close()


async def test_a_village_owner_gets_their_group_day_with_the_low_rating(bot: Bot) -> None:
    [r] = await bot.say("@", "李书记", "日报")
    assert r.chat.chat_id == "@李书记"
    assert r.text.startswith("【工作日报】幸福小区居民群 · 2026-11-22（截至 14:10）")
    assert "新增 1（+1），办结 1（+1）" in r.text
    assert "接单 中位 10 分钟" in r.text and "办结 中位 2.2 小时" in r.text
    assert "平均 2.0 分，1 条" in r.text and "E1 幸福小区居民群 2 分「送得太晚" in r.text
    assert "E2" not in r.text  # 阳光花园 is not his


async def test_a_township_owner_sees_the_subtree_group_by_group_in_traditional_too(bot: Bot) -> None:
    [r] = await bot.say("@", "刘主任", "日報")
    assert r.text.startswith("【工作日报】东城街道群 · ")
    assert "目前超时未办 1 张" in r.text and "E2 阳光花园居民群 代办 待处理，经办：未接单，已等 3.0 小时" in r.text
    assert "分群：" in r.text
    assert "  · 幸福小区居民群：新增 1 办结 1 未办结 0 超时 0 评分 2.0" in r.text
    assert "  · 阳光花园居民群：新增 1 办结 0 未办结 1 超时 1" in r.text
    [w] = await bot.say("@", "刘主任", "週報")
    assert w.text.startswith("【工作周报】东城街道群 · 2026-11-16 至 11-22（截至 11-22 14:10）")
    [m] = await bot.say("@", "刘主任", "月報 幸福小区居民群")
    assert m.text.startswith("【工作月报】幸福小区居民群 · 2026年11月") and "阳光花园" not in m.text


async def test_staff_get_everything_by_township_and_a_named_day(bot: Bot) -> None:
    [r] = await bot.say("@", "区指挥部小王", "日报")
    assert r.text.startswith("【工作日报】全部 · ") and "新增 2（+2）" in r.text
    bot.clock.advance(days=1)
    [y] = await bot.say("@", "区指挥部小王", "日报 昨天")
    assert y.text.startswith("【工作日报】全部 · 2026-11-22\n")  # a whole day: no 截至
    [same] = await bot.say("@", "区指挥部小王", "日报 2026-11-22")
    [named] = await bot.say("@", "区指挥部小王", "日报 东城街道群 11月22日")
    assert same.text == y.text and named.text.startswith("【工作日报】东城街道群 · 2026-11-22\n")


@pytest.mark.parametrize(("who", "text", "answer"), [
    ("李书记", "日报 不存在的群", "没有找到叫「不存在的群」的群，也看不懂它是日期。请写完整群名，例如：日报 幸福小区居民群"),
    ("李书记", "日报 阳光花园居民群", "您不负责「阳光花园居民群」，只能查看您负责的群。"),
    ("李书记", "日报 2026-13-45", "没有 2026-13-45 这一天。日期写成 2026-11-20、11月20日、今天 或 昨天。"),
    ("李书记", "周报 2026-12-25", "2026-12-25 还没到，没有可报的数据。"),
    ("李书记", "月报 13月", "没有 13月 这个月份。"),
    ("李书记", "月报 2025-01", "2025年1月 没有任何记录：最早的记录在 2026-11-22。请换一个日期，例如：月报 2026-11-22"),
    ("刘主任", "日报 居民群", "「居民群」对应 2 个群：幸福小区居民群、阳光花园居民群。请写完整群名。"),
    ("张阿姨", "日报", "「日报」只有群主"),
    ("区指挥部小王", "排名 2026-99", "没有 2026-99 这个月份。"),
    ("区指挥部小王", "排名 2025-01", "2025年1月没有可排名的数据"),
    ("李书记", "排名", "「排名」只有"),
])
async def test_bad_input_gets_one_clear_chinese_answer(bot: Bot, who: str, text: str, answer: str) -> None:
    [r] = await bot.say("@", who, text)
    assert r.text.startswith(answer), r.text


async def test_a_report_asked_in_a_group_is_refused_there_without_figures(bot: Bot) -> None:
    [r] = await bot.say(XINGFU, "李书记", "日报")
    assert r.chat.chat_id == XINGFU and "请私聊我发送「日报」" in r.text and "送得太晚" not in r.text


async def test_staff_publish_the_ranking_each_group_hears_its_place_and_the_top(bot: Bot) -> None:
    [r] = await bot.say("@", "区指挥部小王", "排名 本月")
    assert r.text.startswith("【2026年11月考核排名】共 2 个群，2 个有数据。\n1. 幸福小区居民群 ")
    early = await bot.say("@", "区指挥部小王", "排名 发布 本月")
    assert early[0].text.startswith("2026年11月还没过完，排名会变。")
    sent = await bot.say("@", "区指挥部小王", "排名 发布 本月 重发")
    [mine] = to(sent, XINGFU)
    [theirs] = to(sent, YANGGUANG)
    assert mine.text.startswith("【2026年11月考核排名】本群（幸福小区居民群）第 1 名（共 2 个群）")
    assert theirs.text.startswith("【2026年11月考核排名】本群（阳光花园居民群）第 2 名（共 2 个群）")
    assert "前 2 名：1. 幸福小区居民群" in theirs.text
    for group_text in (mine.text, theirs.text):  # group-level figures only
        assert "送得太晚" not in group_text and "张阿姨" not in group_text and "E1" not in group_text
        assert "138" not in group_text
    assert to(sent, "@区指挥部小王")[0].text.startswith("已把2026年11月考核排名发到 2 个群")
    bot.clock.advance(days=10)  # December: November is over
    [again] = await bot.say("@", "区指挥部小王", "排名 发布 上月")
    assert again.text.startswith("2026年11月的排名已经发布过。确需再发一次请发送：排名 发布 2026-11 重发")


async def test_the_ranking_order_is_stable_for_equal_scores(tmp_path: Path) -> None:
    toml = BASE_TOML + "".join(f'''
[[groups]]
key = "v{i}"
name = "村{i}"
parent = "dongcheng"
owners = ["网格员{i}"]
''' for i in range(4))
    bot = await Bot.start(tmp_path, toml)
    try:
        for i in (3, 1, 0, 2):  # the same day in every group, filed in another order
            await bot.say(f"村{i}", "居民", "代买 米 1栋")
        await bot.say("@", "区指挥部小王", "排名 本月")
        [first] = await bot.say("@", "区指挥部小王", "排名 本月")
        lines = [ln for ln in first.text.splitlines() if ln[:1].isdigit()]
        names = [ln.split()[1] for ln in lines]
        # Equal scores share a place; bot.toml order decides, not the order of filing.
        assert names[-4:] == ["村0", "村1", "村2", "村3"] and len({ln.split()[2] for ln in lines[-4:]}) == 1
        assert [ln.split(".")[0] for ln in lines[-4:]] == [lines[-4].split(".")[0]] * 4
    finally:
        await bot.close()


async def test_the_help_card_tells_owners_and_staff_how_to_ask(bot: Bot) -> None:
    [owner] = await bot.say("@", "李书记", "帮助")
    [staff] = await bot.say("@", "区指挥部小王", "帮助")
    assert "日报 ／ 周报 ／ 月报 [群名] [日期]" in owner.text and "排名 发布" not in owner.text
    assert "排名 [月份]" in staff.text and "排名 发布 [月份]" in staff.text
