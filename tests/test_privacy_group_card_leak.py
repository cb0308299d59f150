"""Regression (issue #9 §1): 进度 in a group posted the full card, internal notes included."""

from __future__ import annotations

import pytest

from bot.privacy import leaks
from tests.harness import Bot, to

GROUP = "幸福小区居民群"
REQUEST = "代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234"
NOTE = "家里钥匙在门垫下"


@pytest.fixture
async def filed(bot: Bot) -> Bot:
    await bot.say(GROUP, "张阿姨", REQUEST)
    await bot.say("@", "李书记", f"备注 E1 {NOTE} 电话13812345678")
    assigned = await bot.say("@", "李书记", "指派 E1 王小明 13900001111")
    [notice] = to(assigned, GROUP)
    assert notice.text == "您的工单 E1 已安排志愿者 王小明 跟进，请保持电话畅通。"
    await bot.say("@", "李书记", "进展 E1 药已买到")
    return bot


@pytest.mark.parametrize("who", ["李书记", "张阿姨", "区指挥部小王"])
async def test_progress_in_the_group_is_the_public_card(filed: Bot, who: str) -> None:
    [card] = await filed.say(GROUP, who, "进度 E1")
    assert card.chat.chat_id == GROUP
    assert leaks(card.text) == []
    for private in (NOTE, "13900001111", "地址", "5栋301", "王小明"):
        assert private not in card.text
    assert "状态：已指派" in card.text and "进展：药已买到" in card.text
    assert "138****5678" in card.text  # the resident's own text, masked


async def test_the_full_card_stays_in_private(filed: Bot) -> None:
    [card] = await filed.say("@", "李书记", "进度 E1")
    assert NOTE in card.text and "13812345678" in card.text and "地址：5栋301" in card.text


async def test_every_group_reply_of_the_transcript_is_masked(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", REQUEST)
    [ack] = to(replies, GROUP)
    assert leaks(ack.text) == [] and "138****5678" in ack.text
    [push] = to(replies, "@李书记")
    assert "13812345678" in push.text and "110101199003071234" in push.text
