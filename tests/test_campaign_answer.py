"""Residents answer campaigns in the group (bot/campaign_answer.py), through Bot.say."""

from __future__ import annotations

import re

from tests.campaign_setup import GROUP, HOMES, group_texts, link, register
from tests.harness import Bot, to

PHONE = re.compile(r"1\d{10}")


async def start(bot: Bot, text: str = "接龙 核酸检测 选项 已做 未做 截止 18:00", who: str = "李书记") -> None:
    await register(bot)
    await bot.say("@", who, text)


async def test_loose_and_traditional_answers_count_without_a_reply_each(bot: Bot) -> None:
    await start(bot)
    for user, text in [("a", "3-2-501 已做"), ("b", "C1 3-2-502 已做"), ("c", "3號樓2單元503 做了 3人"),
                       ("d", "３－２－５０４ 没做")]:
        assert await bot.say(GROUP, user, text) == [], text
    [report] = await bot.say("@", "李书记", "接龙进度 C1")
    assert "已回复 4/4 户" in report.text and "已做 3 户（5 人）；未做 1 户" in report.text


async def test_the_group_sees_one_progress_line_per_interval(bot: Bot) -> None:
    await start(bot)
    assert await bot.say(GROUP, "a", "3-2-501 已做") == []
    bot.clock.advance(minutes=10)
    [line] = await bot.say(GROUP, "b", "3-2-502 已做")
    assert line.text == "【接龙 C1】核酸检测：已接龙 2 户，还差 2 户。" and not line.mentions
    bot.clock.advance(minutes=9)
    assert await bot.say(GROUP, "c", "3-2-503 已做") == []
    bot.clock.advance(minutes=1)
    assert [r.text for r in await bot.say(GROUP, "d", "3-2-504 未做")] == [
        "【接龙 C1】核酸检测：已接龙 4 户，还差 0 户。"]


async def test_a_linked_member_may_answer_with_the_option_alone(bot: Bot) -> None:
    await start(bot)
    await link(bot, "王阿姨", "3-2-503")
    assert await bot.say(GROUP, "王阿姨", "已做") == []
    [hint] = await bot.say(GROUP, "路人", "已做")  # not linked: which household?
    assert "请写上门牌号" in hint.text and hint.mentions[0].name == "路人"
    assert await bot.say(GROUP, "路人", "已做") == []  # the hint is not repeated at once
    [report] = await bot.say("@", "李书记", "接龙进度 C1")
    assert "已回复 1/4 户" in report.text and "3栋2单元503" not in report.text


async def test_a_second_answer_replaces_the_first_and_says_so_once(bot: Bot) -> None:
    await start(bot)
    await link(bot, "王阿姨", "3-2-503")
    await bot.say(GROUP, "a", "3-2-501 未做")
    [changed] = await bot.say(GROUP, "b", "3栋2单元501 已做")
    assert changed.text == "3栋2单元501 已改为「已做」（每户以最后一次为准）。"
    [same] = await bot.say(GROUP, "b", "3-2-501 已做了")
    assert same.text == "3栋2单元501 已经接龙过了（已做），不用重复发送。"
    await bot.say(GROUP, "王阿姨", "已做")
    [mine] = await bot.say(GROUP, "王阿姨", "没做")
    assert mine.text == "您家 已改为「未做」（每户以最后一次为准）。"  # no address of hers in the group
    [report] = await bot.say("@", "李书记", "接龙进度 C1")
    assert "已做 1 户；未做 1 户" in report.text


async def test_answers_that_cannot_count_get_one_clear_answer(bot: Bot) -> None:
    await start(bot)
    cases = {
        "3-2-509 已做": "门牌号 3栋2单元509 不在本群的住户名单里",
        "3-2-501": "请写上选项（已做／未做），例如「3栋2单元501 已做」",
        "C1 3栋 已做": "请写上门牌号",
        "C7 3-2-501 已做": "本群没有 C7",
    }
    for i, (text, expected) in enumerate(cases.items()):
        [reply] = await bot.say(GROUP, f"u{i}", text)
        assert expected in reply.text, (text, reply.text)


async def test_messages_that_are_not_answers_pass_on_and_requests_still_become_tickets(bot: Bot) -> None:
    await start(bot)
    assert await bot.say(GROUP, "a", "今天天气不错") == []
    assert await bot.say(GROUP, "a", "做饭了吗") == []
    replies = await bot.say(GROUP, "a", "代买 大米一袋 3栋2单元501")
    assert "已登记代办工单 E1" in to(replies, GROUP)[0].text
    [report] = await bot.say("@", "李书记", "接龙进度 C1")
    assert "已回复 0/4 户" in report.text


async def test_answers_after_the_deadline_are_told_so(bot: Bot) -> None:
    await start(bot)
    bot.clock.advance(hours=9)  # 18:00: the deadline, before the job has closed it
    [late] = await bot.say(GROUP, "a", "3-2-501 已做")
    assert late.text == "【接龙 C1】核酸检测 已于 11-22 18:00 截止，这条回复没有计入。如需补报请联系群主。"
    assert await bot.say(GROUP, "a", "今天天气不错") == []
    await bot.say("@", "李书记", "结束接龙 C1")
    [late] = await bot.say(GROUP, "b", "3-2-502 已做")
    assert "截止，这条回复没有计入" in late.text


async def test_several_running_campaigns_need_a_code_only_when_the_option_does_not_tell(bot: Bot) -> None:
    await start(bot)
    await bot.say("@", "李书记", "接龙 物资领取 选项 已领 未领")
    assert await bot.say(GROUP, "a", "3-2-501 已领") == []
    assert await bot.say(GROUP, "a", "3-2-501 已做") == []
    [hint] = await bot.say(GROUP, "b", "3-2-502 好")
    assert "请在前面写上编号" in hint.text and "C2、C1" in hint.text
    [one, two] = [await bot.app.store.campaigns.tally(i, ["xingfu"]) for i in (1, 2)]
    assert one.options == {"已做": (1, 1)} and two.options == {"已领": (1, 1)}


async def test_sign_ups_stop_at_the_capacity(bot: Bot) -> None:
    await start(bot, "报名 志愿者 名额 3")
    assert await bot.say(GROUP, "a", "3-2-501 报名 2人") == []
    [short] = await bot.say(GROUP, "b", "3-2-502 2人")
    assert "只剩 1 个名额，您报了 2 人" in short.text
    [full] = await bot.say(GROUP, "b", "3-2-502 报名")
    assert full.text == "【报名 C1】志愿者 名额已满（3 人），感谢大家！"
    [refused] = await bot.say(GROUP, "c", "3-2-503 报名")
    assert "名额已满（3 人），没有报上" in refused.text
    [report] = await bot.say("@", "李书记", "报名进度 C1")
    assert "已报名 2 户 3 人，名额 3，还剩 0" in report.text
    assert "报名名单：3栋2单元501（2人）、3栋2单元502" in report.text


async def test_votes_count_one_per_linked_member(bot: Bot) -> None:
    await start(bot, "投票 是否团购 选项 同意 不同意 记名 截止 18:00")
    await link(bot, "王阿姨", "3-2-503")
    await link(bot, "王大爷", "3-2-503")
    assert await bot.say(GROUP, "王阿姨", "同意") == []
    assert await bot.say(GROUP, "王大爷", "C1 2") == []
    [changed] = await bot.say(GROUP, "王大爷", "同意")
    assert changed.text == "您的投票已改为「同意」（每人一票，以最后一次为准）。"
    [refused] = await bot.say(GROUP, "路人", "同意")
    assert "投票需要先实名登记" in refused.text
    [report] = await bot.say("@", "李书记", "投票进度 C1")
    assert "同意 2 票；不同意 0 票" in report.text and "王阿姨：同意" in report.text


async def test_a_secret_vote_never_shows_who_chose_what(bot: Bot) -> None:
    await start(bot, "投票 选楼长 选项 张三 李四")
    await link(bot, "王阿姨", "3-2-503")
    await bot.say(GROUP, "王阿姨", "李四")
    [changed] = await bot.say(GROUP, "王阿姨", "张三")
    assert changed.text == "您的投票已改（每人一票，以最后一次为准）。"
    [report] = await bot.say("@", "李书记", "投票进度 C1")
    assert "张三 1 票；李四 0 票" in report.text and "王阿姨" not in report.text
    replies = await bot.say("@", "李书记", "结束投票 C1")
    assert "王阿姨" not in to(replies, GROUP)[0].text


async def test_nothing_private_reaches_the_group(bot: Bot) -> None:
    await start(bot)
    await link(bot, "王阿姨", "3-2-503")
    for user, text in [("a", "3-2-501 已做"), ("王阿姨", "已做"), ("王阿姨", "未做"), ("b", "3-2-509 已做")]:
        await bot.say(GROUP, user, text)
        bot.clock.advance(minutes=11)
    await bot.say("@", "李书记", "结束接龙 C1")
    said = "\n".join(group_texts(bot))
    assert "已截止" in said and not PHONE.search(said)
    for _, head, _ in HOMES.values():
        assert head not in said
    assert "3栋2单元503" not in said  # 王阿姨's household, known only from her link


async def test_two_voters_of_one_household_count_it_once_as_answered(bot: Bot) -> None:
    await start(bot, "投票 是否团购 选项 同意 不同意 记名")
    await link(bot, "王阿姨", "3-2-503")
    await link(bot, "王大爷", "3-2-503")
    await bot.say(GROUP, "王阿姨", "同意")
    await bot.say(GROUP, "王大爷", "不同意")
    tally = await bot.app.store.campaigns.tally(1, ["xingfu"])
    assert tally.answers == 2 and (tally.households, tally.answered) == (4, 1)
    assert len(await bot.app.store.campaigns.missing(1, ["xingfu"])) == 3
