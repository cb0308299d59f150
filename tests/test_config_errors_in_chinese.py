"""Regression: some config errors were English only (`must be a non-negative number, got '半小时'`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

CHINESE = re.compile(r"[\u4e00-\u9fff]")

BAD = [
    "[notices]\nremind_after_minutes = '半小时'\n",
    "[[groups]]\nowners = ['a']\n",
    "[[groups]]\nname = 1\n",
    "[[groups]]\nname = 'x'\nreview = 'yes'\n",
    "[[groups]]\nname = 'x'\nowners = {a = 1}\n",
    "[[groups]]\nname = 'x'\nlevel = 'city'\n",
    "[[groups]]\nname = 'x'\n[[groups]]\nname = 'x'\n",
    "[[groups]]\nname = 'x'\nparent = 'nowhere'\n",
    "[[groups]]\nname = 'a'\nlevel = 'district'\nparent = 'b'\n[[groups]]\nname = 'b'\nlevel = 'village'\n",
    "[bot]\ntimezone = 'Mars/Base'\n",
    "[bot]\nplatforms = []\n",
    "[bot]\nplatforms = ['qq']\n",
    "[staff]\nqq = ['x']\n",
    "[digest]\ntimes = ['8点']\n",
    "[digest]\ntimes = ['25:00']\n",
    "[bot\n",
    "groups = 3\n",
    "[[schedules]]\ngroup = 'nowhere'\nwhen = '每天 08:00'\ntext = 'x'\n",
]


@pytest.mark.parametrize("text", BAD)
def test_every_config_error_says_it_in_chinese(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert CHINESE.search(info.value.why), info.value.why
