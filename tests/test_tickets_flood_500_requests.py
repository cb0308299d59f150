"""Regression: one resident sending 500 requests got 500 tickets, owner pings and group replies."""

from __future__ import annotations

from tests.harness import Bot, to

GROUP = "幸福小区居民群"


async def test_500_requests_from_one_resident_make_5_tickets_1_warning_1_owner_notice(bot: Bot) -> None:
    sent = []
    for i in range(500):
        sent += await bot.say(GROUP, "张阿姨", f"代买 第{i}样东西 5栋{i % 30}01")
        bot.clock.advance(seconds=1)
    in_group, to_owner = to(sent, GROUP), to(sent, "@李书记")
    assert len(await bot.app.store.tickets.list()) == 5
    assert [r.text for r in in_group[5:]] == [
        "您在 10 分钟内已登记 5 张工单，请稍后再发，这期间的新请求先不受理；紧急情况请直接打电话给群主或拨打 120。"]
    assert len(in_group) == 6 and len(to_owner) == 6  # 5 new-ticket pushes, 1 flood notice
    assert to_owner[-1].text.startswith("提醒：张阿姨 在「幸福小区居民群」10 分钟内已登记 5 张工单")
    assert len(sent) == 12
    assert await bot.app.store.messages.count() == 500  # every request kept
    burst = await bot.app.store.tickets.flood_burst("console", "张阿姨", "xingfu")
    assert burst is not None and burst.held == 495


async def test_500_copies_of_one_request_make_1_ticket_and_1_pointer(bot: Bot) -> None:
    sent = []
    for _ in range(500):
        sent += await bot.say(GROUP, "张阿姨", "代买 胰岛素两盒 5栋301")
        bot.clock.advance(seconds=1)
    assert [r.text[:10] for r in to(sent, GROUP)] == ["已登记代办工单 E1", "您已登记过 E1（待"]
    assert len(to(sent, "@李书记")) == 1
    assert len(await bot.app.store.tickets.list()) == 1
