"""Regression: an earlier verdict was repeated for claims that only looked alike.

After "辟谣 R1 超市正常营业" on "听说明天超市关门", "求证 明天超市不关门吗" was declared a rumour
with that statement, and "明天全区停电" got the verdict on "明天全区停水".
"""

from __future__ import annotations

import pytest

from tests.harness import Bot, to

GROUP = "幸福小区居民群"


@pytest.mark.parametrize(
    "claim",
    ["求证 明天超市不关门吗", "求证 听说后天超市关门", "求证 阳光花园明天超市关门到几点",
     "求证 明天3号超市关门"],
)
async def test_different_claims_wait_for_a_person(bot: Bot, claim: str) -> None:
    await bot.say(GROUP, "张阿姨", "求证 听说明天超市关门")
    await bot.say("@", "李书记", "辟谣 R1 超市正常营业")
    replies = await bot.say(GROUP, "王大爷", claim)
    [ack] = to(replies, GROUP)
    assert "已收到求证 R2" in ack.text and "辟谣" not in ack.text


async def test_other_utility_is_not_the_same_rumour(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求证 明天全区停水")
    await bot.say("@", "李书记", "辟谣 R1 不停水")
    [ack, *_] = await bot.say(GROUP, "王大爷", "求证 明天全区停电")
    assert "已收到求证 R2" in ack.text


async def test_the_same_claim_is_still_answered_at_once(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求证 听说明天超市关门")
    await bot.say("@", "李书记", "辟谣 R1 超市正常营业")
    replies = await bot.say(GROUP, "王大爷", "求證：聽說明天超市關門，是真的嗎？")
    [notice] = to(replies, GROUP)
    assert "【辟谣】R2" in notice.text and "超市正常营业（同 R1）" in notice.text


async def test_old_verdicts_are_not_repeated(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "求证 听说明天超市关门")
    await bot.say("@", "李书记", "辟谣 R1 超市正常营业")
    bot.clock.advance(days=15)
    [ack, *_] = await bot.say(GROUP, "王大爷", "求证 听说明天超市关门")
    assert "已收到求证 R2" in ack.text
