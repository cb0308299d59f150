"""Real-name join: greeting, 实名, the owner's approval card, 批准 / 拒绝, reminders (issue #11)."""

from __future__ import annotations

from datetime import timedelta

from bot.message import Reply
from bot.store.households import HouseholdData
from schedules import join as join_job
from tests.harness import Bot, to

GROUP = "幸福小区居民群"
OWNER = "李书记"
OWNER_CHAT = "@李书记"


async def joins(bot: Bot, user: str) -> list[Reply]:
    return await bot.send(bot.message(GROUP, user, "", kind="join"))


async def test_a_newcomer_is_greeted_registers_and_is_approved_into_a_household(bot: Bot) -> None:
    [greeting] = await joins(bot, "老张")
    assert greeting.chat.chat_id == GROUP and "实名 姓名 地址" in greeting.text
    assert [m.user_id for m in greeting.mentions] == ["老张"]
    assert await joins(bot, "老张") == []  # a redelivered or repeated event is not greeted twice
    await bot.app.store.households.save(_home("3-2-501", "张三"), bot.clock())

    replies = await bot.say(GROUP, "老张", "实名 张三 3号楼2单元501室")
    [ack] = to(replies, GROUP)
    assert "J1" in ack.text and "501" not in ack.text  # the address is not repeated in the group
    [card] = to(replies, OWNER_CHAT)
    assert "张三" in card.text and "3栋2单元501" in card.text and "户主 张三" in card.text
    assert [b.command for b in card.buttons] == ["批准 J1", "拒绝 J1"]

    replies = await bot.say("@", OWNER, "批准 J1")
    assert "已批准 J1" in to(replies, OWNER_CHAT)[0].text
    [welcome] = to(replies, GROUP)
    assert "通过" in welcome.text and "501" not in welcome.text
    member = await bot.app.store.members.find("console", "老张", "xingfu")
    assert member is not None and member.status == "approved" and member.household_id is not None
    [rate] = await bot.app.store.households.join_rates(["xingfu"])
    assert rate.joined == 1
    again = await bot.say("@", OWNER, "批准 J1")
    assert "已批准，无需再审核" in again[0].text
    audit = await bot.app.store.audit.latest()
    assert audit[0].action == "member_approve" and audit[0].target == "J1"


async def test_an_unknown_address_needs_xinjian_and_creates_the_household(bot: Bot) -> None:
    await joins(bot, "小王")
    replies = await bot.say("@", "小王", "实名 王五 5栋301")  # in private: the group it joined
    [card] = to(replies, OWNER_CHAT)
    assert "住户册中没有这个地址" in card.text
    assert [b.command for b in card.buttons] == ["批准 J1 新建", "拒绝 J1"]
    asked = await bot.say("@", OWNER, "批准 J1")
    assert "批准 J1 新建" in asked[0].text
    await bot.say("@", OWNER, "批准 J1 新建")
    home = await bot.app.store.households.find("xingfu", "5-301")
    assert home is not None and home.head == "王五"


async def test_a_rejection_keeps_the_reason_out_of_the_group(bot: Bot) -> None:
    await joins(bot, "老赵")
    await bot.say(GROUP, "老赵", "实名 赵六 9-9-909")
    replies = await bot.say("@", OWNER, "拒绝 J1 本小区没有9号楼")
    [private] = to(replies, "@老赵")
    assert "本小区没有9号楼" in private.text
    [public] = to(replies, GROUP)
    assert "9号楼" not in public.text and "私聊" in public.text


async def test_bad_registrations_get_a_clear_answer(bot: Bot) -> None:
    await joins(bot, "阿强")
    [reply] = await bot.say(GROUP, "阿强", "实名 王强")
    assert "请写上姓名和地址" in reply.text
    [reply] = await bot.say(GROUP, "阿强", "实名 王强 就住在小区里面")
    assert "没看懂地址" in reply.text and "就住在" not in reply.text
    [reply] = await bot.say("@", OWNER, "批准 J99")
    assert "没有找到您可以审核的登记 J99" in reply.text
    [reply] = await bot.say("@", "陈网格员", "批准 J1")  # owner of another group
    assert "没有找到您可以审核的登记" in reply.text or "只有" in reply.text


async def test_members_who_never_register_are_reminded_once_and_listed(bot: Bot) -> None:
    await joins(bot, "老孙")
    bot.clock.advance(hours=23)
    assert await join_job.job(bot.app.services, bot.clock()) == 0
    bot.clock.advance(hours=2)
    assert await join_job.job(bot.app.services, bot.clock()) == 1
    assert await join_job.job(bot.app.services, bot.clock() + timedelta(days=3)) == 0
    await bot.app.outbox.drain("console")
    reminder = bot.adapter.sent[-1]
    assert reminder.chat.chat_id == GROUP and "实名" in reminder.text
    [listing] = await bot.say("@", OWNER, "未登记")
    assert "入群未登记" in listing.text and "老孙" in listing.text


def _home(address_key: str, head: str) -> HouseholdData:
    return HouseholdData("xingfu", address_key, address_key, head=head)


async def test_a_pending_join_request_registers_in_private_for_its_group(bot: Bot) -> None:
    """Someone who only asked to join (not in the group yet) sends 实名 in private: that group."""
    private = bot.message("@", "老钱", "")
    request = bot.message(GROUP, "老钱", "", kind="join_request", reply_chat=private.chat)
    [hello] = await bot.send(request)
    assert hello.chat.chat_id == "@老钱" and "实名 姓名 地址" in hello.text
    replies = await bot.say("@", "老钱", "实名 钱七 5栋301")
    [ack] = to(replies, "@老钱")
    assert "J1" in ack.text and "幸福小区居民群" in ack.text
    [card] = to(replies, OWNER_CHAT)
    assert "钱七" in card.text and "批准 J1 新建" in card.text
    replies = await bot.say("@", OWNER, "批准 J1 新建")
    [decision] = [r for r in replies if r.action is not None]
    assert decision.chat.chat_id == GROUP and decision.action is not None
    assert (decision.action.user_id, decision.action.approve) == ("老钱", True)
    [told] = to(replies, "@老钱")  # the private chat the request named (once "@@老钱": lost)
    assert "通过" in told.text
    assert to(replies, GROUP) == [decision]  # nothing said in the group before they are in


async def test_a_join_request_is_reminded_in_the_private_chat_it_named(bot: Bot) -> None:
    request = bot.message(GROUP, "老周", "", kind="join_request",
                          reply_chat=bot.message("@", "老周", "").chat)
    await bot.send(request)
    bot.clock.advance(hours=25)
    assert await join_job.job(bot.app.services, bot.clock()) == 1
    await bot.app.outbox.drain("console")
    reminder = bot.adapter.sent[-1]
    assert reminder.chat.chat_id == "@老周" and "实名" in reminder.text  # was "@@老周": never sent
