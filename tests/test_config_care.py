"""``[care]``: defaults, the triggers it gives the job, and bad values explained in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import CareConfig, ConfigError
from schedules.care import JOB
from tests.harness import BASE_TOML, make_config


def test_defaults_and_triggers(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert config.care == CareConfig(("独居老人",), "09:00", "11:00")
    written = make_config(tmp_path, BASE_TOML + '[care]\ntags = ["残疾", "独居老人"]\nask_at = "8:30"\nlist_at = "10:05"\n')
    assert written.care == CareConfig(("残疾", "独居老人"), "08:30", "10:05")
    assert JOB.triggers(written) == {
        "care-ask": {"trigger": "cron", "hour": 8, "minute": 30},
        "care-list": {"trigger": "cron", "hour": 10, "minute": 5},
    }


@pytest.mark.parametrize(("extra", "why"), [
    ('[care]\nask_at = "9点"\n', r"care\.ask_at.*HH:MM"),
    ('[care]\nlist_at = "25:00"\n', r"care\.list_at.*没有这个时间"),
    ('[care]\nask_at = "12:00"\n', r"care\.list_at.*应晚于 ask_at"),
    ('[care]\ntags = []\n', r"care\.tags.*至少写一个住户标签"),
    ('[care]\ntags = "独居老人"\nask = "09:00"\n', r"care\.ask"),
    ('[care]\ntags = [1.5]\n', r"care\.tags.*列表里应是文字"),
])
def test_bad_care_tables_are_explained_in_chinese(tmp_path: Path, extra: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        make_config(tmp_path, BASE_TOML + extra)
