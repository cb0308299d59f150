"""Regression: sentences that begin like a command were taken as one, and requests were lost.

"我的妈妈发烧了，求助 5栋303" answered "您还没有工单"; "收到，求助：老伴胸口疼" got nothing at all.
"""

from __future__ import annotations

import pytest

from tests.harness import Bot, to

GROUP = "幸福小区居民群"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我的妈妈发烧了，求助 5栋303", "E1"),
        ("我的药吃完了，代买降压药 5栋302", "E1"),
        ("帮助 我家老人摔倒了起不来 5栋304", "E1"),
        ("收到！麻烦再代买一袋米 5栋302", "E1"),
        ("收到，求助：老伴胸口疼 5栋303", "E1"),
    ],
)
async def test_request_behind_a_command_word_becomes_a_ticket(bot: Bot, text: str, code: str) -> None:
    replies = await bot.say(GROUP, "张阿姨", text)
    [ack] = to(replies, GROUP)
    assert code in ack.text and "已登记" in ack.text
    assert to(replies, "@李书记")  # the owner hears of it


@pytest.mark.parametrize(
    "text",
    ["进度怎么这么慢啊", "查询核酸结果在哪里查", "评价一下，这次志愿者服务真好", "帮助老人的志愿者辛苦了",
     "绑定手机号怎么弄", "我的快递到了，谢谢大家"],
)
async def test_sentences_starting_like_commands_are_chat(bot: Bot, text: str) -> None:
    assert await bot.say(GROUP, "张阿姨", text) == []


async def test_commands_still_work_alone_and_with_arguments(bot: Bot) -> None:
    [r] = await bot.say(GROUP, "张阿姨", "帮助")
    assert "使用说明" in r.text
    [r] = await bot.say(GROUP, "张阿姨", "我的工单呢？")
    assert "您还没有工单" in r.text
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    [r] = await bot.say(GROUP, "张阿姨", "进度E1")
    assert "工单 E1" in r.text


async def test_owner_chat_in_the_group_is_not_nagged(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 米 1栋")
    assert await bot.say(GROUP, "李书记", "通知：明天上午8点发菜，请大家带好袋子") == []
    assert await bot.say(GROUP, "李书记", "完成了吗大家？") == []
    [r] = await bot.say(GROUP, "李书记", "完成 E1")  # a real command, in the wrong place
    assert "请私聊我发送" in r.text and "完成 E1" in r.text


async def test_private_help_words_and_empty_messages_get_the_card(bot: Bot) -> None:
    for text in ("菜单", "怎么用？", "？", "功能有哪些"):
        [r] = await bot.say("@", "张阿姨", text)
        assert "使用说明" in r.text, text


@pytest.mark.parametrize(
    ("text", "args"),
    [("/bind@GridBot 阳光花园居民群", "阳光花园居民群"), ("/bind@GridBot", ""), ("/bind 阳光花园居民群", "阳光花园居民群")],
)
def test_slash_command_addressed_to_the_bot_keeps_its_arguments(text: str, args: str) -> None:
    # Regression: "/bind@Bot 群名" was not matched at all, so an anonymous admin heard nothing.
    from bot.dispatcher import Dispatcher
    from handlers import ROUTERS

    found = Dispatcher(ROUTERS).match(text, is_group=True)
    assert found is not None and (found[1], found[2]) == ("/bind", args)


def test_slash_alone_command_addressed_to_the_bot_with_trailing_words_is_not_alone() -> None:
    from bot.dispatcher import Dispatcher
    from handlers import ROUTERS

    dispatcher = Dispatcher(ROUTERS)
    assert dispatcher.match("/my@GridBot", is_group=True) is not None
    found = dispatcher.match("/help@GridBot 我家老人摔倒了", is_group=True)
    assert found is None or found[1] != "/help"
