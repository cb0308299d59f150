"""Regression: owners' announcements, cadres' work groups, repeats and quotes made tickets."""

from __future__ import annotations

from tests.harness import Bot, to

GROUP = "幸福小区居民群"


async def test_owners_and_staff_announcing_in_the_group_make_no_ticket(bot: Bot) -> None:
    assert await bot.say(GROUP, "李书记", "辟谣：明天不停水，大家放心") == []
    assert await bot.say(GROUP, "李书记", "报备一下，今天下午3点全员核酸") == []
    assert await bot.say(GROUP, "区指挥部小王", "请核实：网传明天封区，系谣言") == []
    assert await bot.app.store.tickets.list() == []


async def test_cadres_work_groups_make_no_ticket(bot: Bot) -> None:
    assert await bot.say("东城街道群", "李书记", "报备：幸福小区今日新增返乡3人") == []
    assert await bot.say("河西区指挥部", "刘主任", "上报：东城街道今日数据已汇总") == []
    assert await bot.app.store.tickets.list() == []


async def test_the_same_request_sent_again_points_to_its_ticket(bot: Bot) -> None:
    first = await bot.say(GROUP, "张阿姨", "代买 大米 5栋307")
    again = await bot.say(GROUP, "张阿姨", "代买 大米 5栋307！")
    [r] = again
    assert "您已登记过 E1" in r.text and "不用重复发送" in r.text
    assert len(to(first, "@李书记")) == 1 and not to(again, "@李书记")
    other = await bot.say(GROUP, "王大爷", "代买 大米 5栋307")  # someone else: their own ticket
    assert "E2" in to(other, GROUP)[0].text
    bot.clock.advance(hours=7)
    later = await bot.say(GROUP, "张阿姨", "代买 大米 5栋307")  # hours later: a new need
    assert "E3" in to(later, GROUP)[0].text


async def test_a_quoted_reply_does_not_file_the_quote_again(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 胰岛素两盒 急 5栋301")
    quoted = "「张阿姨：代买 胰岛素两盒 急 5栋301」\n- - - - - - - - - - - - - - -\n收到，我去看看"
    assert await bot.say(GROUP, "王大爷", quoted) == []
    assert len(await bot.app.store.tickets.list()) == 1


async def test_an_emergency_is_told_to_call_120(bot: Bot) -> None:
    replies = await bot.say(GROUP, "张阿姨", "老伴晕倒了 5栋302 快来人")
    [ack] = to(replies, GROUP)
    assert "已登记紧急求助 E1" in ack.text and "拨打 120" in ack.text
    calm = await bot.say(GROUP, "王大爷", "代买 胰岛素两盒 5栋301")  # urgent, but no 120 call
    assert "120" not in to(calm, GROUP)[0].text
