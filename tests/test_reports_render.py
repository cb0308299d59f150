"""A report's text: every figure with its change against the period before; JSON the same figures."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reports.build import Report
from bot.reports.period import period_of
from bot.reports.render import as_json, text
from bot.reports.scope import Line, Scope
from bot.store.reports import HeldTicket, LowRating, Spread, UnitRows

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=TZ)


def _report() -> Report:
    now = UnitRows(filed={("errand", "groceries"): 3, ("rumor", "claim"): 2}, done={("errand", "groceries"): 2},
                   open={"errand": 1}, late=1, accept=Spread(3, 600, 1800), finish=Spread(2, 7200, 9000),
                   ratings=2, rating_sum=7, lowest=[LowRating("E3", "幸福小区居民群", 2, "太慢")],
                   rumors_auto=2, rumors_staff=0, notices=10, confirmed=9, confirm=Spread(9, 900, 3000),
                   households=100, joined=80, campaign_asked=100, campaign_answered=60, overdue=1,
                   overdue_list=[HeldTicket("E9", "阳光花园居民群", "errand", "accepted", "李书记",
                                            datetime(2026, 11, 30, 8, 0, tzinfo=TZ))])
    before = UnitRows(filed={("errand", "groceries"): 5}, done={("errand", "groceries"): 2}, late=0,
                      accept=Spread(1, 1200, 1200), finish=Spread(2, 3600, 3600), ratings=1, rating_sum=4,
                      rumors_auto=1, notices=10, confirmed=7, households=100, joined=75,
                      campaign_asked=100, campaign_answered=70)
    scope = Scope("东城街道群", ("a", "b"), (Line("a", "幸福小区居民群", ("a",)), Line("b", "阳光花园居民群", ("b",))))
    period = period_of("monthly", NOW.date(), TZ, NOW)
    return Report("monthly", period, scope, now, before, ((scope.lines[0], now, before), (scope.lines[1], UnitRows(), UnitRows())), NOW)


def test_every_figure_with_its_change() -> None:
    lines = text(_report(), TZ).splitlines()
    assert lines[0] == "【工作月报】东城街道群 · 2026年11月（截至 11-30 20:00）"
    assert lines[1] == "（括号内为较上月同期）"
    assert lines[2] == "工单：新增 5（持平），办结 2（持平），驳回 0（持平），期末未办结 1（+1）"
    assert lines[3] == "  新增分类：代办 3（买菜/生活物资 3）；谣言求证 2（待核实传言 2）"
    assert "时效：接单 中位 10 分钟、P90 30 分钟（3 张）；办结 中位 2.0 小时、P90 2.5 小时（2 张）" \
           "（较上月同期：接单中位 快 10 分钟，办结中位 慢 1.0 小时）" in lines
    assert "超时：本期新增工单中超时 1 张（+1）；目前超时未办 1 张" in lines
    assert "  · E9 阳光花园居民群 代办 已接单，经办：李书记，已等 12.0 小时" in lines
    assert "评价：平均 3.5 分，2 条（-0.5）" in lines and "  · E3 幸福小区居民群 2 分「太慢」" in lines
    assert "谣言求证：谣言库自动答复 2 条（+1），工作人员答复 0 条（持平）" in lines
    assert "通知：下发 10 群次，回执率 90%（+20 个百分点），回执中位 15 分钟" in lines
    assert "入群率：80%（80/100 户，+5 个百分点）" in lines
    assert "接龙完成率：60%（60/100 户次，-10 个百分点）" in lines
    assert lines[-2:] == ["  · 幸福小区居民群：新增 5 办结 2 未办结 1 超时 1 评分 3.5",
                          "  · 阳光花园居民群：新增 0 办结 0 未办结 0 超时 0"]


def test_json_holds_the_same_figures_in_plain_units() -> None:
    data = as_json(_report(), TZ)
    total = data["total"]
    assert data["period"] == {"start": "2026-11-01T00:00:00+08:00", "end": "2026-11-30T20:00:01+08:00",
                              "partial": True}
    assert total["filed"] == {"errand": {"groceries": 3}, "rumor": {"claim": 2}}
    assert total["accept"] == {"n": 3, "p50_s": 600, "p90_s": 1800}
    assert total["notices"]["receipt_rate"] == 0.9 and total["households"]["join_rate"] == 0.8
    assert total["overdue_tickets"][0] == {"code": "E9", "group": "阳光花园居民群", "kind": "errand",
                                           "status": "accepted", "holder": "李书记",
                                           "filed_at": "2026-11-30T08:00:00+08:00"}
    assert data["before"]["ratings"]["average"] == 4.0 and len(data["lines"]) == 2
