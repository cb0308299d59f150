"""``[campaigns]`` in bot.toml (bot/config/campaigns.py): defaults, values, a bad value named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError
from tests.campaign_setup import GROUP, register
from tests.harness import BASE_TOML, Bot, make_config


def test_defaults_and_values(tmp_path: Path) -> None:
    assert make_config(tmp_path).campaigns.progress_interval == timedelta(minutes=10)
    config = make_config(tmp_path, BASE_TOML + "\n[campaigns]\nremind_before_minutes = 30\n")
    assert config.campaigns.remind_before == timedelta(minutes=30)


def test_a_bad_value_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="progress_interval_minutes") as caught:
        make_config(tmp_path, BASE_TOML + "\n[campaigns]\nprogress_interval_minutes = 0\n")
    assert "接龙进度" in str(caught.value)


async def test_the_progress_interval_is_taken_from_the_config(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, BASE_TOML + "\n[campaigns]\nprogress_interval_minutes = 2\n")
    try:
        await register(bot)
        await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做")
        bot.clock.advance(minutes=2)
        [line] = await bot.say(GROUP, "a", "3-2-501 已做")
        assert line.text == "【接龙 C1】核酸检测：已接龙 1 户，还差 3 户。"
    finally:
        await bot.close()
