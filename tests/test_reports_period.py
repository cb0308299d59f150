"""Report periods and the dates people write for them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.reports.period import DateError, last_complete, looks_like_date, parse_when, period_of, scheduled

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 1, 14, 15, 30, tzinfo=TZ)  # a Wednesday afternoon


def test_a_running_period_ends_now_and_is_compared_with_the_same_stretch_before() -> None:
    p = parse_when("", "daily", NOW, TZ)
    assert (p.start, p.end, p.partial) == (datetime(2026, 1, 14, tzinfo=TZ), datetime(2026, 1, 14, 15, 30, 1, tzinfo=TZ), True)
    before = p.previous()
    assert (before.start, before.end) == (datetime(2026, 1, 13, tzinfo=TZ), datetime(2026, 1, 13, 15, 30, 1, tzinfo=TZ))
    assert p.title() == "2026-01-14（截至 15:30）"


def test_weeks_run_monday_to_sunday_and_months_wrap_the_year() -> None:
    w = parse_when("上周", "weekly", NOW, TZ)
    assert (w.start.date().isoformat(), w.full_end.date().isoformat(), w.partial) == ("2026-01-05", "2026-01-12", False)
    assert w.title() == "2026-01-05 至 01-11"
    m = parse_when("上月", "monthly", NOW, TZ)
    assert m.title() == "2025年12月" and m.previous().title() == "2025年11月"
    assert parse_when("12月", "monthly", NOW, TZ).title() == "2025年12月"  # December written in January
    assert parse_when("12月30日", "daily", NOW, TZ).title() == "2025-12-30"
    assert parse_when("2026-01-10", "monthly", NOW, TZ).title().startswith("2026年1月")


@pytest.mark.parametrize(("text", "kind", "why"), [
    ("2026-02-30", "daily", "没有 2026-02-30 这一天。"),
    ("2026-03-01", "daily", "2026-03-01 还没到"),
    ("13月", "monthly", "没有 13月 这个月份。"),
    ("明年", "daily", "看不懂日期「明年」。"),
    ("11月", "daily", "看不懂日期「11月」。日期写成"),
])
def test_bad_dates_say_what_was_wrong_and_how_to_write_it(text: str, kind: str, why: str) -> None:
    with pytest.raises(DateError) as err:
        parse_when(text, kind, NOW, TZ)  # type: ignore[arg-type]
    assert str(err.value).startswith(why)


def test_scheduled_reports_cover_yesterday_in_the_morning_and_today_later() -> None:
    morning = datetime(2026, 1, 14, 8, 0, tzinfo=TZ)
    assert scheduled("daily", morning, TZ).title() == "2026-01-13"
    assert scheduled("daily", NOW, TZ).title() == "2026-01-14（截至 15:30）"
    assert scheduled("weekly", morning, TZ) == last_complete("weekly", morning, TZ)
    assert scheduled("monthly", morning, TZ).title() == "2025年12月"
    assert period_of("monthly", morning.date(), TZ, morning).partial


def test_what_looks_like_a_date_is_not_taken_for_a_group_name() -> None:
    assert all(looks_like_date(w) for w in ("2026-01-10", "1月3日", "昨天", "上月", "2026-13-45"))
    assert not any(looks_like_date(w) for w in ("幸福小区居民群", "3组", ""))
