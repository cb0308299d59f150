"""Owners start and follow campaigns in private chat (handlers/campaigns.py), through Bot.say."""

from __future__ import annotations

from bot.store.households import HouseholdData
from tests.campaign_setup import GROUP, register
from tests.harness import Bot, to


async def test_an_owner_starts_a_roll_call_for_their_group_and_it_is_posted_there(bot: Bot) -> None:
    replies = await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做 截止 18:00")
    [mine] = to(replies, "@李书记")
    assert "已发起接龙 C1「核酸检测」到「幸福小区居民群」" in mine.text and "11-22 18:00" in mine.text
    assert "还没有导入住户名单" in mine.text  # nothing registered yet: counts only
    [post] = to(replies, GROUP)
    assert post.text.startswith("【接龙 C1】核酸检测") and "1.已做 2.未做" in post.text
    assert "截止：11-22 18:00" in post.text
    c = await bot.app.store.campaigns.get(1)
    assert c is not None and c.group_keys == ("xingfu",) and c.options == ("已做", "未做")


async def test_a_named_group_takes_every_group_below_it_unless_only_this_one(bot: Bot) -> None:
    replies = await bot.say("@", "刘主任", "接龙 东城街道群：今晚核酸 选项 已做 未做")
    assert "及下级共 3 个群" in to(replies, "@刘主任")[0].text
    assert {r.chat.chat_id for r in replies if not r.chat.is_private} == {
        "东城街道群", GROUP, "阳光花园居民群"}
    replies = await bot.say("@", "刘主任", "接龙 阳光花园：物资登记 仅本群")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ["阳光花园居民群"]
    c = await bot.app.store.campaigns.get(2)
    assert c is not None and c.title == "物资登记" and c.options == ("已接龙",)
    # Traditional script and a word before the colon that names no group (it is the title).
    replies = await bot.say("@", "李书记", "接龍 注意：明天核酸 選項 已做 未做")
    assert "「注意：明天核酸」到「幸福小区居民群」" in to(replies, "@李书记")[0].text


async def test_a_group_the_owner_does_not_manage_is_refused(bot: Bot) -> None:
    [reply] = await bot.say("@", "李书记", "接龙 阳光花园居民群：核酸 选项 已做 未做")
    assert reply.text == "您不是「阳光花园居民群」的负责人，不能在那里发起接龙。"
    assert await bot.app.store.campaigns.get(1) is None
    [reply] = await bot.say("@", "张阿姨", "接龙 核酸 选项 已做 未做")
    assert "只有群主" in reply.text


async def test_bad_requests_each_get_one_clear_answer(bot: Bot) -> None:
    cases = {
        "接龙": "请这样写：接龙 核酸检测 选项 已做 未做 截止 18:00",
        "接龙 选项 已做 未做": "请写上接龙的标题",
        "投票 团购 选项 同意": "投票至少要有两个选项",
        "报名 志愿者 名额 很多": "名额「很多」应是正整数",
        "接龙 核酸 截止 25:99": "截止时间「25:99」不存在",
        "接龙 核酸 截止 下班前": "截止时间「下班前」看不懂",
        "接龙 核酸 名额 20": "「名额」只用于报名",
        "接龙进度 C9": "没有找到 C9",
        "接龙进度 核酸": "请写上编号",
    }
    for text, expected in cases.items():
        [reply] = await bot.say("@", "李书记", text)
        assert expected in reply.text, (text, reply.text)
    assert await bot.app.store.campaigns.recent(5) == []


async def test_a_deadline_already_past_today_means_tomorrow(bot: Bot) -> None:
    replies = await bot.say("@", "李书记", "报名 志愿者招募 名额 20 截止 08:00")  # it is 09:00
    assert "11-23 08:00" in to(replies, "@李书记")[0].text
    assert "名额 20 人" in to(replies, GROUP)[0].text


async def test_progress_lists_missing_households_with_phones_in_private_only(bot: Bot) -> None:
    await register(bot)
    await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做 截止 18:00")
    assert await bot.say(GROUP, "张阿姨", "3-2-501 已做") == []
    assert await bot.say(GROUP, "李大爷", "3-2-502 没做") == []
    [report] = await bot.say("@", "李书记", "接龙进度 C1")
    assert "已接龙 2 户，还差 2 户（已回复 2/4 户）" in report.text
    assert "已做 1 户；未做 1 户" in report.text
    assert "3栋2单元503 王五 13812345673" in report.text and "3栋2单元504 赵六 13812345674" in report.text
    assert "3栋2单元501" not in report.text
    # An owner of another group may not look; staff may.
    [refused] = await bot.say("@", "陈网格员", "接龙进度 C1")
    assert "不是您负责的群" in refused.text
    [staff] = await bot.say("@", "区指挥部小王", "接龙进度 c1")
    assert "13812345673" in staff.text
    [listing] = await bot.say("@", "李书记", "接龙进度")
    assert "C1 接龙「核酸检测」进行中" in listing.text


async def test_ending_a_campaign_by_hand_reports_once(bot: Bot) -> None:
    await bot.app.store.households.save(HouseholdData("xingfu", "3-2-501", "3栋2单元501", "张三",
                                                      "13812345671"), bot.clock())
    await bot.say("@", "李书记", "接龙 物资登记")
    await bot.say(GROUP, "张阿姨", "3-2-501")
    [refused] = await bot.say("@", "陈网格员", "结束接龙 C1")
    assert "只有发起人" in refused.text
    replies = await bot.say("@", "李书记", "结束接龙 C1")
    assert "已截止" in to(replies, "@李书记")[0].text
    assert to(replies, GROUP)[0].text.startswith("【接龙 C1】物资登记 已截止：已接龙 1 户，还差 0 户。")
    [again] = await bot.say("@", "李书记", "结束接龙 C1")
    assert again.text == "C1 已经结束了。发送「接龙进度 C1」查看结果。"


async def test_owners_find_the_campaign_commands_in_their_help_card(bot: Bot) -> None:
    [card] = await bot.say("@", "李书记", "帮助")
    assert "接龙 [群名：] 标题 选项 已做 未做 截止 18:00" in card.text and "接龙进度 C1" in card.text
    [resident] = await bot.say("@", "张阿姨", "帮助")
    assert "接龙进度" not in resident.text


async def test_an_owner_starting_one_in_the_group_is_sent_to_private_chat(bot: Bot) -> None:
    [reply] = await bot.say(GROUP, "李书记", "接龙 核酸检测 选项 已做 未做")
    assert reply.text == "发起接龙请私聊我发送，例如「接龙 核酸检测 选项 已做 未做」，我会发到群里。"
    assert await bot.app.store.campaigns.recent(1) == []
    assert await bot.say(GROUP, "张阿姨", "投票 选项 很多") == []  # a resident: chat


async def test_a_common_word_before_the_colon_is_part_of_the_title(bot: Bot) -> None:
    replies = await bot.say("@", "李书记", "接龙 居民：请各户回复 选项 已做 未做")
    assert "「居民：请各户回复」到「幸福小区居民群」" in to(replies, "@李书记")[0].text
