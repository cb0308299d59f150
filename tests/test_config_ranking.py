"""``[reports]`` and ``[ranking]``: schedules checked at load, weights that are numbers, old files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, parse_config
from schedules import ranking as ranking_job
from schedules import reports as report_jobs
from tests.harness import BASE_TOML


def parse(extra: str) -> Config:
    return parse_config(tomllib.loads(BASE_TOML + extra), Path("bot.toml"))


def error(extra: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(extra)
    return caught.value


def test_an_old_file_loads_with_weekly_and_monthly_reports_and_no_published_ranking() -> None:
    config = parse('\n[digest]\ntimes = ["08:00"]\nsla_hours_normal = 24\n')
    assert (config.reports.weekly, config.reports.monthly) == ("每周一 08:30", "每月1日 08:30")
    assert dict(config.ranking.weights) == {"join_rate": 0.25, "speed": 0.25, "overdue": 0.2,
                                            "activity": 0.1, "satisfaction": 0.2}
    assert config.ranking.publish == "" and ranking_job.JOB.triggers(config) == {}
    assert set(report_jobs.WEEKLY.triggers(config)) == {"reports-weekly"}


def test_weights_top_and_schedules_as_written() -> None:
    config = parse('\n[reports]\nweekly = ""\nmonthly = "每月2日 09:00"\n'
                   '[ranking]\njoin_rate = 1\nsatisfaction = 0\ntop = 5\npublish = "每月1日 10:00"\n')
    assert report_jobs.WEEKLY.triggers(config) == {}
    assert config.ranking.weight("join_rate") == 1.0 and config.ranking.weight("satisfaction") == 0.0
    assert config.ranking.top == 5 and set(ranking_job.JOB.triggers(config)) == {"ranking-publish"}


@pytest.mark.parametrize(("extra", "key", "why"), [
    ('[ranking]\nspeed = "快"\n', "ranking.speed", "「办理速度」的权重应是不小于 0 的数字，例如 speed = 0.25，不是 '快'"),
    ("[ranking]\noverdue = -1\n", "ranking.overdue", "「按时办结」的权重应是不小于 0 的数字"),
    ("[ranking]\nactivity = true\n", "ranking.activity", "「通知回执」的权重应是不小于 0 的数字"),
    ("[ranking]\njoin_rate = 0\nspeed = 0\noverdue = 0\nactivity = 0\nsatisfaction = 0\n",
     "ranking.join_rate", "各项权重不能全是 0"),
    ("[ranking]\ntop = 0\n", "ranking.top", "应是 1 到 50 之间的整数"),
    ('[ranking]\npublish = "每月32日 09:00"\n', "ranking.publish", "没有 32 日"),
    ('[reports]\nweekly = "周一早上"\n', "reports.weekly", "看不懂时间「周一早上」"),
    ("[ranking]\nweight = 1\n", "ranking.weight", ""),
])
def test_a_bad_value_names_its_key_in_chinese(extra: str, key: str, why: str) -> None:
    err = error("\n" + extra)
    assert err.key == key and err.why.startswith(why), err.why
