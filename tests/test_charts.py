"""The charts' periods and series (``bot/charts.py``) from hand-made data in the harness."""

from __future__ import annotations

from datetime import date, datetime

from bot.charts import ChartData, gather, period, township_of
from tests.chart_setup import busy_week
from tests.harness import START, TZ, Bot


def test_periods_end_today_in_local_time() -> None:
    late = datetime(2026, 11, 26, 23, 30, tzinfo=TZ)  # 15:30 UTC: already the 26th here
    day, week, month = (period(w, late, TZ) for w in ("日报", "周报", "月报"))
    assert (day.first, day.last, day.label) == (date(2026, 11, 26), date(2026, 11, 26), "日报（11月26日）")
    assert (week.first, week.label) == (date(2026, 11, 20), "周报（11月20日–11月26日）")
    assert month.first == date(2026, 10, 28)
    assert day.start == datetime(2026, 11, 26, tzinfo=TZ) and day.end == datetime(2026, 11, 27, tzinfo=TZ)


async def test_township_of_walks_up_the_tree(bot: Bot) -> None:
    d = bot.app.directory
    names = {key: township_of(d, g) for key in ("hexi", "dongcheng", "xingfu") if (g := d.group(key))}
    assert names == {"hexi": "区级", "dongcheng": "东城街道群", "xingfu": "东城街道群"}


async def test_gather_names_the_series_for_people(bot: Bot) -> None:
    await busy_week(bot)
    week = period("周报", bot.clock(), TZ)
    data = await gather(bot.app.store.charts, bot.app.directory, "全部群", None, week, TZ)
    assert data.days == [date(2026, 11, d) for d in range(18, 25)]
    assert data.per_day == {"代办": [0, 0, 0, 0, 1, 1, 0], "核实": [0, 0, 0, 0, 0, 1, 0]}
    assert data.townships == [("东城街道群", 4.0, 2)]
    assert data.receipts == [("东城街道群", 0, 1), ("河西区指挥部", 0, 1), ("阳光花园居民群", 0, 1),
                             ("幸福小区居民群", 1, 1)]
    assert not data.empty


async def test_a_daily_report_still_shows_a_week_of_days(bot: Bot) -> None:
    await busy_week(bot)
    day = period("日报", bot.clock(), TZ)
    xingfu = [g for g in bot.app.directory.groups if g.key == "xingfu"]
    data = await gather(bot.app.store.charts, bot.app.directory, "幸福小区居民群", xingfu, day, TZ)
    assert len(data.days) == 7 and data.per_day == {"代办": [0, 0, 0, 0, 1, 0, 0], "核实": [0, 0, 0, 0, 0, 1, 0]}
    assert data.townships == [] and data.receipts == [("幸福小区居民群", 1, 1)]


async def test_a_quiet_period_is_empty(bot: Bot) -> None:
    data = await gather(bot.app.store.charts, bot.app.directory, "全部群", None, period("周报", START, TZ), TZ)
    assert data == ChartData("全部群", period("周报", START, TZ), data.days, {}, [], []) and data.empty
