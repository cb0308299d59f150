"""bot/config/rumors.py: the ``[rumors]`` table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from tests.harness import BASE_TOML, make_config


def test_defaults_and_values(tmp_path: Path) -> None:
    assert make_config(tmp_path).rumors.join_window_minutes == 1440
    config = make_config(tmp_path, BASE_TOML + "\n[rumors]\njoin_window_minutes = 60\nanswer_for_days = 0\n")
    assert config.rumors.join_window.total_seconds() == 3600 and config.rumors.answer_for_days == 0


@pytest.mark.parametrize(("line", "said"), [
    ("join_window_minutes = -1", "join_window_minutes"),
    ("answer_for_days = \"两周\"", "answer_for_days"),
    ("answer_days = 3", "answer_days"),
])
def test_bad_values_name_the_key(tmp_path: Path, line: str, said: str) -> None:
    with pytest.raises(ConfigError) as err:
        make_config(tmp_path, BASE_TOML + f"\n[rumors]\n{line}\n")
    assert said in str(err.value)
