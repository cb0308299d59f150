"""Notices down the hierarchy: cascade, receipts, review gates, reminders, restarts."""

from __future__ import annotations

from pathlib import Path

from bot import notices
from tests.harness import BASE_TOML, Bot, Clock, FakeAdapter, make_config, open_app, to

REVIEW_TOML = BASE_TOML.replace(
    'key = "dongcheng"\nname = "东城街道群"\nlevel = "township"',
    'key = "dongcheng"\nname = "东城街道群"\nlevel = "township"\nreview = true',
)
ALL = ["河西区指挥部", "东城街道群", "幸福小区居民群", "阳光花园居民群"]


async def test_publish_cascades_to_every_group_below(bot: Bot) -> None:
    replies = await bot.say("@", "区指挥部小王", "通知 明天8点起各小区分楼栋错峰领菜")
    groups = [r for r in replies if not r.chat.is_private]
    assert [r.chat.chat_id for r in groups] == ALL
    assert all("【通知 N1】河西区指挥部发布" in r.text and "错峰领菜" in r.text for r in groups)
    assert all([b.command for b in r.buttons] == ["收到 N1"] for r in groups)
    [ack] = to(replies, "@区指挥部小王")
    assert "已发布通知 N1" in ack.text and "共 4 个群" in ack.text


async def test_owner_publishes_to_own_subtree_only(bot: Bot) -> None:
    replies = await bot.say("@", "刘主任", "通知 下午3点开会")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ALL[1:]
    [r] = await bot.say("@", "李书记", "通知 东城街道群 越级通知")
    assert "不是「东城街道群」的负责人" in r.text
    [r] = await bot.say("@", "张阿姨", "通知 我也想发")
    assert "只有群主" in r.text
    [r] = await bot.say("@", "刘主任", "通知")
    assert "请写上通知内容" in r.text


async def test_receipts_and_report(bot: Bot) -> None:
    await bot.say("@", "区指挥部小王", "通知 今晚停水")
    bot.clock.advance(minutes=2)
    [r] = await bot.say("幸福小区居民群", "李书记", "收到 N1")
    assert "已确认「幸福小区居民群」收到通知 N1" in r.text
    assert await bot.say("幸福小区居民群", "张阿姨", "收到 N1") == []  # residents: silence
    assert await bot.say("幸福小区居民群", "张阿姨", "收到") == []
    [r] = await bot.say("@", "刘主任", "收到 N1")
    assert "「东城街道群」" in r.text  # in private: every group this owner runs
    [r] = await bot.say("@", "李书记", "收到 N1")
    assert "已确认过" in r.text
    [report] = await bot.say("@", "区指挥部小王", "回执 N1")
    assert "共 4 个群：已送达 4，已确认" in report.text
    assert "全部送达时间：11-22 09:00:00" in report.text
    assert "未确认：" in report.text
    [r] = await bot.say("@", "区指挥部小王", "回执 N9")
    assert "没有找到通知 N9" in r.text


async def test_unconfirmed_groups_are_reminded_once(bot: Bot) -> None:
    await bot.say("@", "区指挥部小王", "通知 今晚停水")
    await bot.say("幸福小区居民群", "李书记", "收到 N1")
    bot.clock.advance(minutes=29)
    assert await notices.reminders(bot.app.services, bot.clock()) == []
    bot.clock.advance(minutes=1)
    async with bot.app.store.tx():
        replies = await notices.reminders(bot.app.services, bot.clock())
    reminded = sorted(r.chat.chat_id for r in replies if not r.chat.is_private)
    assert reminded == ["东城街道群", "河西区指挥部", "阳光花园居民群"]
    [sender] = [r for r in replies if r.chat.is_private]
    assert sender.chat.chat_id == "@区指挥部小王" and "还有 3 个群未确认" in sender.text
    bot.clock.advance(hours=5)
    assert await notices.reminders(bot.app.services, bot.clock()) == []


async def test_review_level_holds_the_notice_until_approved(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    replies = await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ALL[:2]
    [ask] = to(replies, "@刘主任")
    assert "需要您审核" in ask.text and [b.command for b in ask.buttons] == ["同意 N1", "回执 N1"]
    [report] = await bot.say("@", "区指挥部小王", "回执 N1")
    assert "待审核 2" in report.text
    [r] = await bot.say("@", "李书记", "同意 N1")
    assert "不需要您审核" in r.text
    replies = await bot.say("@", "刘主任", "同意 N1")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ALL[2:]
    assert "继续下发到 2 个群" in to(replies, "@刘主任")[0].text
    [r] = await bot.say("@", "刘主任", "同意 N1")
    assert "已经审核通过" in r.text
    await bot.close()


async def test_restart_mid_cascade_sends_the_rest_once(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    bot.adapter.max_in_flight = 1
    await bot.app.handle(bot.message("@", "区指挥部小王", "通知 今晚停水"))
    # Two groups got it, then the process died.
    for item in (await bot.app.store.outbox.pending("console"))[:2]:
        await bot.adapter.send(item.reply)
        await bot.app.store.outbox.mark_sent(item.id, "x", bot.clock())
    await bot.close()

    app = await open_app(make_config(tmp_path), clock=Clock())
    adapter = FakeAdapter()
    app.attach(adapter)
    await app.outbox.drain("console")
    await app.outbox.drain("console")
    everyone = [r.chat.chat_id for r in bot.adapter.sent + adapter.sent if "【通知 N1】" in r.text]
    assert sorted(everyone) == sorted(ALL)  # none lost, none twice
    notice = await app.store.notices.get("N1")
    assert notice is not None
    report = await notices.report(app.services, notice)
    assert len(report.delivered) == 4
    await app.close()


async def test_scheduled_notice_at_a_fixed_now(bot: Bot) -> None:
    from schedules.notices import fire

    [r] = await bot.say("@", "刘主任", "定时 每天 08:00 阳光花园居民群 仅本群 7点半起3栋领菜")
    assert "已设定时通知 S1" in r.text and "下次发送：2026-11-23 08:00" in r.text
    [r] = await bot.say("@", "刘主任", "定时列表")
    assert "S1 每天 08:00｜阳光花园居民群（仅本群）｜下次 11-23 08:00" in r.text
    schedule = await bot.app.store.notices.schedule("S1")
    assert schedule is not None
    bot.clock.advance(hours=23, minutes=1)  # 11-23 08:01, inside the grace period
    first = await fire(bot.app.services, schedule, bot.clock())
    again = await fire(bot.app.services, schedule, bot.clock())
    assert first is not None and again is None  # one occurrence, one notice
    await bot.app.outbox.drain("console")
    sent = [x for x in bot.adapter.sent if "【通知" in x.text]
    assert [x.chat.chat_id for x in sent] == ["阳光花园居民群"]
    bot.clock.advance(hours=3)  # 11-23 11:01: no occurrence within the grace period
    assert await fire(bot.app.services, schedule, bot.clock()) is None
    [r] = await bot.say("@", "刘主任", "取消定时 S1")
    assert "已取消" in r.text
    [r] = await bot.say("@", "刘主任", "定时列表")
    assert "没有定时通知" in r.text


async def test_schedule_bad_input(bot: Bot) -> None:
    [r] = await bot.say("@", "刘主任", "定时 明早 领菜")
    assert "看不懂时间" in r.text and "每天 08:00" in r.text
    [r] = await bot.say("@", "刘主任", "定时 每天 25:00 领菜")
    assert "没有 25:00" in r.text
    [r] = await bot.say("@", "刘主任", "定时 2020-01-01 08:00 领菜")
    assert "已经过去了" in r.text
    [r] = await bot.say("@", "刘主任", "取消定时 S9")
    assert "没有找到定时通知 S9" in r.text
    [r] = await bot.say("@", "刘主任", "定时 cron 0 8 * * 1-5 工作日早班提醒")
    assert "下次发送：2026-11-23 08:00" in r.text  # Monday, standard cron weekdays


async def test_notice_from_below_a_review_level_is_not_held(tmp_path: Path) -> None:
    # Regression: the path from origin to itself climbed to the root and found the township's
    # review gate, so a village owner's notice sat "待审核" forever in the owner's own group.
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    replies = await bot.say("@", "李书记", "通知 今晚8点3栋停水")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ["幸福小区居民群"]
    [report] = await bot.say("@", "李书记", "回执 N1")
    assert "待审核 0" in report.text and "已送达 1" in report.text
    # The reviewing township itself publishes straight to its own group and below.
    replies = await bot.say("@", "刘主任", "通知 下午3点开会")
    assert [r.chat.chat_id for r in replies if not r.chat.is_private] == ALL[1:]
    await bot.close()


async def test_notice_goes_out_as_written_with_its_line_breaks(bot: Bot) -> None:
    # Regression: matching normalises text (one line, half-width, Simplified) and the notice
    # went out that way, so a pick-up timetable by building arrived as one run-on line.
    text = "明天領菜時間：\n1-3棟　8:00-9:00；\n4-6棟　9:00-10:00（請帶好購物袋）"
    replies = await bot.say("@", "刘主任", f"通知 東城街道群：\n{text}")
    groups = [r for r in replies if not r.chat.is_private]
    assert [r.chat.chat_id for r in groups] == ALL[1:]
    assert all(text in r.text for r in groups)
    [r] = await bot.say("@", "刘主任", f"定时 每天 07:30 {text}")
    [listed] = await bot.say("@", "刘主任", "定时列表")
    assert "明天領菜時間" in listed.text
    assert "S1" in r.text
