"""The ``[limits]`` table and the Telegram ``listen`` default in bot.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, LimitsConfig, parse_config
from tests.harness import BASE_TOML

ROOT = Path(__file__).resolve().parent.parent


def parse(extra: str) -> Config:
    text = BASE_TOML + extra
    return parse_config(tomllib.loads(text), Path("bot.toml"))


def test_defaults_are_5_tickets_in_10_minutes_and_webhook_on_localhost() -> None:
    config = parse("")
    assert config.limits == LimitsConfig(5, 10)
    assert config.telegram.listen == "127.0.0.1"


def test_limits_are_read() -> None:
    config = parse("\n[limits]\ntickets_per_window = 3\nwindow_minutes = 30\n")
    assert config.limits == LimitsConfig(3, 30)


@pytest.mark.parametrize(("line", "key"), [
    ("tickets_per_window = 0", "limits.tickets_per_window"),
    ("tickets_per_window = 2.5", "limits.tickets_per_window"),
    ('window_minutes = "10"', "limits.window_minutes"),
    ("window_minutes = true", "limits.window_minutes"),
])
def test_bad_limits_name_the_key_in_chinese(line: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(f"\n[limits]\n{line}\n")
    assert info.value.key == key and "应是不小于 1 的整数" in info.value.why


def test_a_misspelt_limit_is_caught() -> None:
    with pytest.raises(ConfigError) as info:
        parse("\n[limits]\ntickets_per_windows = 3\n")
    assert info.value.key == "limits.tickets_per_windows" and "tickets_per_window" in info.value.why


def test_the_shipped_bot_toml_documents_the_limits() -> None:
    text = (ROOT / "bot.toml").read_text(encoding="utf-8")
    assert "# [limits]" in text and "# tickets_per_window = 5" in text and "# window_minutes = 10" in text
