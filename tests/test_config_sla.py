"""The ``[sla]`` table: limits per kind (keys from bot/kinds.py), reminders, quiet hours, old keys."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Limits, parse_config
from bot.config.registry import KNOWN_KEYS
from bot.kinds import REGISTRY
from tests.harness import BASE_TOML

MIN, HOUR = timedelta(minutes=1), timedelta(hours=1)


def parse(extra: str) -> Config:
    text = BASE_TOML + extra
    return parse_config(tomllib.loads(text), Path("bot.toml"))


def error(extra: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(extra)
    return caught.value


def test_defaults_urgent_errands_and_verifications_ten_minutes_others_two_hours() -> None:
    sla = parse("").sla
    assert sla.limit("errand", "urgent") == Limits(10 * MIN, 24 * HOUR)
    assert sla.limit("errand", "normal") == Limits(2 * HOUR, 24 * HOUR)
    assert sla.limit("verification", "normal") == Limits(10 * MIN, 24 * HOUR)
    assert sla.limit("rumor", "normal") == Limits(2 * HOUR, 24 * HOUR)
    assert sla.remind_before == 5 * MIN and sla.quiet_hours is None


def test_every_registered_kind_is_a_key_of_the_table() -> None:
    assert set(KNOWN_KEYS["sla"]) == {"remind_before_minutes", "quiet_hours", *(k.key for k in REGISTRY)}


def test_limits_per_kind_and_quiet_hours_are_read() -> None:
    sla = parse('\n[sla]\nremind_before_minutes = 15\nquiet_hours = "22:00–7:00"\n'
                "[sla.errand]\naccept_minutes = 60\nurgent_finish_hours = 4\n").sla
    assert sla.limit("errand", "normal") == Limits(60 * MIN, 24 * HOUR)
    assert sla.limit("errand", "urgent") == Limits(10 * MIN, 4 * HOUR)
    assert sla.remind_before == 15 * MIN and sla.quiet_hours == ("22:00", "07:00")


def test_old_digest_keys_still_set_the_finish_limit() -> None:
    sla = parse("\n[digest]\nsla_hours_urgent = 2\nsla_hours_normal = 48\n").sla
    assert sla.limit("errand", "urgent") == Limits(10 * MIN, 2 * HOUR)
    assert sla.limit("feedback", "normal").finish == 48 * HOUR
    # [sla] wins where it says otherwise.
    sla = parse("\n[digest]\nsla_hours_normal = 48\n[sla.rumor]\nfinish_hours = 6\n").sla
    assert sla.limit("rumor", "normal").finish == 6 * HOUR and sla.limit("errand", "normal").finish == 48 * HOUR


@pytest.mark.parametrize(("extra", "key", "words"), [
    ("[sla.errand]\naccept_minutes = 0", "sla.errand.accept_minutes", "应是大于 0 的数字（代办：普通工单多少分钟内要接单）"),
    ('[sla.verification]\nfinish_hours = "一天"', "sla.verification.finish_hours", "应是大于 0 的数字"),
    ("[sla.errand]\naccept_minute = 30", "sla.errand.accept_minute", "[sla.errand]（代办）没有这一项"),
    ("[sla]\nerrnd = 3", "sla.errnd", "errand"),
    ("[sla]\nerrand = 3", "sla.errand", "应是一个表"),
    ('[sla]\nquiet_hours = "22点到7点"', "sla.quiet_hours", "免打扰时段要写成"),
    ('[sla]\nquiet_hours = "22:00-25:00"', "sla.quiet_hours", "没有这个时间"),
    ('[sla]\nquiet_hours = "22:00-22:00"', "sla.quiet_hours", "不能相同"),
    ("[sla]\nremind_before_minutes = -5", "sla.remind_before_minutes", "到时限前多少分钟提醒"),
    ('[digest]\nsla_hours_urgent = "两小时"', "digest.sla_hours_urgent", "应是不小于 0 的数字"),
])
def test_bad_values_are_refused_in_chinese_naming_the_key(extra: str, key: str, words: str) -> None:
    e = error("\n" + extra + "\n")
    assert e.key == key and words in e.why
