"""bot.toml validation: every error names the file, the key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads() -> None:
    config = load_config(ROOT / "bot.toml")
    assert config.platforms == ("console",)
    assert config.database == ROOT / "data" / "gridbot.db"
    assert len(config.groups) >= 3 and config.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ("[bot]\nplatform = 'qq'\n", "bot.platform", "unknown platform"),
        ("[bot]\ntimezone = 'Mars/Base'\n", "bot.timezone", "unknown time zone"),
        ("[bot\n", "(syntax)", "not valid TOML"),
        ("[[groups]]\nowners = ['a']\n", "groups[0].name", "is required"),
        ("[[groups]]\nname = 'x'\nowners = 'a'\nlevel = 'city'\n", "groups[0] (x).level", "must be one of"),
        ("[[groups]]\nname = 'x'\nparent = 'nowhere'\n", "groups[0] (x).parent", "unknown parent"),
        ("[[groups]]\nname = 'x'\n[[groups]]\nname = 'x'\n", "groups[1] (x).key", "duplicate group key"),
        ("[[groups]]\nname = 'a'\nkey = 'a'\nlevel = 'village'\n[[groups]]\nname = 'b'\nparent = 'a'\n"
         "level = 'township'\n", "groups[1] (b).parent", "cannot sit under"),
        ("[[groups]]\nname = 'a'\nkey = 'a'\nparent = 'b'\nlevel = 'township'\n[[groups]]\nname = 'b'\n"
         "key = 'b'\nparent = 'a'\nlevel = 'township'\n", "groups[0] (a).parent", "cycle"),
        ("[staff]\nqq = ['x']\n", "staff.qq", "unknown platform"),
        ("[telegram]\ntoken = '123:abc'\n", "telegram.token", "never put the token in the file"),
        ("[[groups]]\nname = 'x'\nplatform = 'telegram'\n", "groups[0] (x).chat_id", "is required"),
        ("[[groups]]\nname = 'x'\nreview = 'yes'\n", "groups[0] (x).review", "true or false"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, key: str, why: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert info.value.key == key and why in info.value.why
    assert str(tmp_path / "bot.toml") in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_numeric_telegram_ids_become_strings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[staff]\ntelegram = [12345]\n[[groups]]\nname = 'g'\n"
                                         "platform = 'telegram'\nchat_id = '-100'\nowners = [42]\n"))
    assert config.staff["telegram"] == ("12345",) and config.groups[0].owners == ("42",)
