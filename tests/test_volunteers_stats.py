"""Months as owners write them, and the texts of the report and the thank-you list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot import volunteers_stats as stats
from bot.store.volunteers import Tally
from tests.harness import TZ, make_config
from tests.volunteer_setup import TOML

NOW = datetime(2026, 1, 15, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(("text", "label"), [
    ("", "2026年1月"), ("本月", "2026年1月"), ("上月", "2025年12月"), ("12月", "2025年12月"),
    ("1月", "2026年1月"), ("2025-11", "2025年11月"), ("2025年3月", "2025年3月"), ("2025/3", "2025年3月"),
])
def test_months(text: str, label: str) -> None:
    month = stats.parse_month(text, NOW, TZ)
    assert month is not None and month.label == label
    assert month.start.day == 1 and month.start < month.end and month.end.day == 1


@pytest.mark.parametrize("text", ["13月", "明年", "0月", "2025-13"])
def test_not_months(text: str) -> None:
    assert stats.parse_month(text, NOW, TZ) is None


def test_december_ends_in_january() -> None:
    month = stats.parse_month("2025-12", NOW, TZ)
    assert month is not None and month.end == datetime(2026, 1, 1, tzinfo=TZ) and month.key == "2025-12"


def test_texts(tmp_path: Path) -> None:
    config = make_config(tmp_path, TOML)
    month = stats.parse_month("", NOW, TZ)
    assert month is not None
    ming = Tally("1", "王小明", "peisong", 4, 3, 40.0, 4.5)
    hong = Tally("2", "李小红", "peisong", 1, 0, None, None)
    team = Tally("peisong", "王小明", "peisong", 5, 3, 150.0, 4.5)
    text = stats.report(config, month, [team], [ming, hong], more=False)
    assert "· 配送小分队：接单 5，完成 3，用时中位 2.5 小时，平均评分 4.5" in text
    assert "· 王小明（配送小分队）：接单 4，完成 3，用时中位 40 分钟，平均评分 4.5" in text
    assert "· 李小红（配送小分队）：接单 1，完成 0" in text
    thanks = stats.thanks(config, month, [ming, hong])
    assert "王小明（配送小分队）完成 3 单" in thanks and "李小红" not in thanks
    assert stats.report(config, month, [], [], more=False).startswith("2026年1月还没有志愿者")
