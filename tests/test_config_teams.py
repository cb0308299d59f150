"""``[[teams]]``: categories by key or label, groups by key or name, and bad values in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, TeamConfig
from schedules.dispatch import JOB
from tests.harness import BASE_TOML, make_config
from tests.volunteer_setup import TOML


def test_teams_read_and_default(tmp_path: Path) -> None:
    assert make_config(tmp_path).teams == ()
    [team] = make_config(tmp_path, TOML).teams
    assert team == TeamConfig("peisong", "配送小分队", ("groceries", "medicine"), "peisong-team",
                              ("王队长",), ("dongcheng",), 20)
    short = make_config(tmp_path, BASE_TOML + '[[teams]]\nname = "代购小分队"\ncategories = ["其他"]\ngroup = "幸福小区居民群"\n')
    assert short.teams == (TeamConfig("代购小分队", "代购小分队", ("other",), "xingfu"),)
    assert JOB.triggers(short) == {"dispatch-escalation": {"trigger": "interval", "minutes": 1}}


TEAM = '[[teams]]\nkey = "ps"\nname = "配送小分队"\ngroup = "xingfu"\n'


@pytest.mark.parametrize(("extra", "why"), [
    (TEAM + 'categories = ["飞机"]\n', r"teams\[0\] \(配送小分队\)\.categories.*没有这个代办类别 '飞机'"),
    (TEAM, r"categories.*至少写一个代办类别"),
    (TEAM.replace("xingfu", "nowhere") + 'categories = ["other"]\n', r"\.group.*没有这个群 'nowhere'"),
    (TEAM + 'categories = ["other"]\nserves = ["nowhere"]\n', r"\.serves.*没有这个群"),
    (TEAM + 'categories = ["other"]\nrepost_after_minutes = 0\n', r"repost_after_minutes.*不小于 1 的整数"),
    (TEAM + 'categories = ["other"]\nleader = ["x"]\n', r"\.leader\b"),
    (TEAM + 'categories = ["other"]\n' + TEAM + 'categories = ["other"]\n', r"teams\[1\].*重复了"),
])
def test_bad_teams_are_explained_in_chinese(tmp_path: Path, extra: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        make_config(tmp_path, BASE_TOML + extra)


def test_telegram_leaders_are_numeric_ids(tmp_path: Path) -> None:
    toml = BASE_TOML.replace('platforms = ["console"]', 'platforms = ["console", "telegram"]') + """
[[groups]]
key = "tg-team"
name = "志愿者群"
platform = "telegram"
chat_id = "-1001"
parent = "dongcheng"

[[teams]]
name = "配送小分队"
categories = ["groceries"]
group = "tg-team"
leaders = ["@wang"]
"""
    with pytest.raises(ConfigError, match=r"leaders.*数字用户 ID"):
        make_config(tmp_path, toml)
