"""``[privacy]`` in bot.toml: defaults, 0 = keep forever, and Chinese errors naming the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, PrivacyConfig, load_config, parse_config
from tests.harness import BASE_TOML

ROOT = Path(__file__).resolve().parent.parent


def parse(tmp_path: Path, extra: str) -> PrivacyConfig:
    text = BASE_TOML + extra
    return parse_config(tomllib.loads(text), tmp_path / "bot.toml").privacy


def test_defaults_and_the_shipped_file(tmp_path: Path) -> None:
    assert parse(tmp_path, "") == PrivacyConfig(30, 180)
    assert load_config(ROOT / "bot.toml").privacy == PrivacyConfig(30, 180)
    assert parse(tmp_path, "[privacy]\nkeep_messages_days = 0\nanonymise_closed_after_days = 7\n") \
        == PrivacyConfig(0, 7)


@pytest.mark.parametrize("line,key", [
    ("keep_messages_days = -1", "privacy.keep_messages_days"),
    ('keep_messages_days = "30"', "privacy.keep_messages_days"),
    ("anonymise_closed_after_days = 1.5", "privacy.anonymise_closed_after_days"),
    ("anonymise_closed_after_days = true", "privacy.anonymise_closed_after_days"),
    ("keep_messages_days = 1000000", "privacy.keep_messages_days"),  # a cut-off before year 1
])
def test_bad_values_are_named_in_chinese(tmp_path: Path, line: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(tmp_path, f"[privacy]\n{line}\n")
    assert info.value.key == key
    assert "应是 0 到 36500 之间的整数天数" in info.value.why and "0 表示永久保留" in info.value.why


def test_a_typo_names_the_real_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse(tmp_path, "[privacy]\nanonymize_closed_after_days = 90\n")
    assert "您是不是想写 anonymise_closed_after_days" in info.value.why


def test_check_reports_it_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(BASE_TOML + "[privacy]\nkeep_messages_days = -30\n", encoding="utf-8")
    assert main(["check", "--config", str(path), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert "privacy.keep_messages_days" in err and "-30" in err and "Traceback" not in err
