"""A week of tickets and notices in the harness's district, made the way people make them."""

from __future__ import annotations

from tests.harness import Bot


async def busy_week(bot: Bot) -> None:
    """From 2026-11-22 09:00 (Shanghai): tickets on three days, two finished, one notice.

    - 11-22: 张阿姨 files E1 (代买) in 幸福小区; 李书记 finishes it 3 hours later.
    - 11-23: 王大爷 files E2 (代买) in 阳光花园; 陈网格员 finishes it 5 hours later;
      张阿姨 files V1 (举报) in 幸福小区, left open.
    - 11-24: staff send notice N1 to all 4 groups; only 幸福小区 confirms.
    """
    await bot.say("幸福小区居民群", "张阿姨", "代买 胰岛素两盒 5栋301")
    bot.clock.advance(hours=3)
    await bot.say("@", "李书记", "完成 E1 已送到")
    bot.clock.advance(hours=21)
    await bot.say("阳光花园居民群", "王大爷", "代买 大米一袋 3栋201")
    await bot.say("幸福小区居民群", "张阿姨", "举报 楼道堆放杂物 7栋")
    bot.clock.advance(hours=5)
    await bot.say("@", "陈网格员", "完成 E2 已送到")
    bot.clock.advance(hours=19)
    await bot.say("@", "区指挥部小王", "通知 明天8点起各小区分楼栋错峰领菜")
    await bot.say("幸福小区居民群", "李书记", "收到 N1")
    bot.clock.advance(hours=2)
