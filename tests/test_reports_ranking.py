"""The ranking's documented score: each criterion 0–100, weighted over the criteria with data."""

from __future__ import annotations

import pytest

from bot.reports.ranking import parts, score
from bot.store.reports import Spread, UnitRows

WEIGHTS = {"join_rate": 0.25, "speed": 0.25, "overdue": 0.2, "activity": 0.1, "satisfaction": 0.2}


def test_each_criterion_from_the_month_figures() -> None:
    u = UnitRows(filed={("errand", "groceries"): 8, ("rumor", "claim"): 2}, late=1,
                 finish=Spread(6, 6 * 3600, 20 * 3600), ratings=4, rating_sum=18,
                 notices=5, confirmed=4, households=50, joined=40)
    p = parts(u, speed_hours=24)
    assert p == {"join_rate": 80.0, "speed": 75.0, "overdue": 90.0, "activity": 80.0,
                 "satisfaction": pytest.approx(87.5)}
    # 0.25×80 + 0.25×75 + 0.2×90 + 0.1×80 + 0.2×87.5 = 82.25
    assert score(p, WEIGHTS) == round(82.25, 1)


def test_missing_data_is_left_out_not_counted_as_zero() -> None:
    no_register = UnitRows(filed={("errand", "other"): 4}, finish=Spread(4, 48 * 3600, 48 * 3600))
    p = parts(no_register, speed_hours=24)
    assert p == {"join_rate": None, "speed": 0.0, "overdue": 100.0, "activity": None, "satisfaction": None}
    assert score(p, WEIGHTS) == round((0.25 * 0 + 0.2 * 100) / 0.45, 1)
    assert score(parts(UnitRows(), 24), WEIGHTS) is None
    # A criterion weighted 0 does not count either.
    assert score(p, {**WEIGHTS, "speed": 0}) == 100.0
