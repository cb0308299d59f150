"""An owner's plain 收到 (no code) confirms what their groups have not confirmed yet (issue #10)."""

from __future__ import annotations

from tests.harness import Bot, to


async def test_plain_ack_in_private_confirms_every_pending_notice_of_the_owners_groups(bot: Bot) -> None:
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    await bot.say("@", "区指挥部小王", "通知 明天8点分楼栋领菜")
    [r] = await bot.say("@", "李书记", "收到！")
    assert r.chat.chat_id == "@李书记"
    assert "已确认收到：N2（幸福小区居民群）" in r.text and "N1（幸福小区居民群）" in r.text
    [receipts] = await bot.say("@", "区指挥部小王", "回执 N2")
    assert "已确认 1" in receipts.text and "幸福小区居民群" not in receipts.text.split("未确认")[1]
    [again] = await bot.say("@", "李书记", "收到")
    assert "没有待确认的通知" in again.text


async def test_plain_ack_in_the_group_confirms_that_group_and_answers_in_private(bot: Bot) -> None:
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    replies = await bot.say("幸福小区居民群", "李书记", "收到了，谢谢")
    assert to(replies, "幸福小区居民群") == []  # the group hears nothing more
    [private] = to(replies, "@李书记")
    assert "N1（幸福小区居民群）" in private.text
    # The other village's owner still has it to confirm.
    [r] = await bot.say("@", "陈网格员", "收到")
    assert "N1（阳光花园居民群）" in r.text


async def test_plain_ack_stays_chat_for_residents_and_when_nothing_is_pending(bot: Bot) -> None:
    assert await bot.say("幸福小区居民群", "李书记", "收到") == []
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    assert await bot.say("幸福小区居民群", "张阿姨", "收到") == []
    # Not a plain acknowledgement: a request that starts with the word is still a request.
    replies = await bot.say("幸福小区居民群", "张阿姨", "收到，求助：老伴胸口疼 5栋303")
    assert any("E1" in r.text for r in replies)
