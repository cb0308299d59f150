"""我的ID / /id: the answer goes to the person in private, never their id into the group alone."""

from __future__ import annotations

from tests.harness import Bot, to


async def test_in_a_group_the_ids_go_to_private_and_the_group_hears_only_where(bot: Bot) -> None:
    replies = await bot.say("幸福小区居民群", "张阿姨", "我的ID")
    [private] = to(replies, "@张阿姨")
    assert "用户 ID：张阿姨" in private.text and "本群" in private.text and "幸福小区居民群" in private.text
    [group] = to(replies, "幸福小区居民群")
    assert "私聊发给您" in group.text and "张阿姨" not in group.text.replace("@张阿姨", "")


async def test_in_private_only_the_persons_own_id(bot: Bot) -> None:
    [reply] = await bot.say("@", "李书记", "/id")
    assert reply.chat.chat_id == "@李书记"
    assert "用户 ID：李书记" in reply.text and "本群" not in reply.text


async def test_a_sentence_starting_with_the_words_is_not_the_command(bot: Bot) -> None:
    replies = await bot.say("幸福小区居民群", "张阿姨", "我的ID卡丢了 求助 5栋301")
    assert not any("用户 ID" in r.text for r in replies)
