"""Regression: Telegram owners/staff written as @username passed `gridbot check` and got no rights."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

GROUP = "[[groups]]\nname = 'g'\nplatform = 'telegram'\nchat_id = '{chat}'\nowners = [{owner}]\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "shown"),
    [
        (GROUP.format(chat="-1001", owner="'@li_shuji'"), "groups[0] (g).owners", "@li_shuji"),
        (GROUP.format(chat="-1001", owner="'李书记'"), "groups[0] (g).owners", "李书记"),
        (GROUP.format(chat="@xingfu_group", owner="42"), "groups[0] (g).chat_id", None),
        (GROUP.format(chat="幸福小区", owner="42"), "groups[0] (g).chat_id", "幸福小区"),
        ("[staff]\ntelegram = ['@wang']\n", "staff.telegram", "@wang"),
    ],
)
def test_telegram_ids_must_be_numeric_and_the_error_says_how_to_find_them(
        tmp_path: Path, text: str, key: str, shown: str | None) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert info.value.key == key
    if shown is not None:
        assert shown in info.value.why
    assert "数字" in info.value.why
    if key != "groups[0] (g).chat_id" or shown is not None:
        assert "我的ID" in info.value.why


def test_numeric_ids_and_other_platforms_names_still_pass(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GROUP.format(chat="-1001234567890", owner="42")
                               + "[staff]\ntelegram = [7]\nconsole = ['@不是id也行']\n"))
    assert config.groups[0].owners == ("42",) and config.staff["telegram"] == ("7",)


def test_gridbot_check_refuses_a_username_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    path = write(tmp_path, GROUP.format(chat="-1001", owner="'@li_shuji'"))
    assert main(["check", "--config", str(path), "--db", str(tmp_path / "g.db")]) == 2
    err = capsys.readouterr().err
    assert "@li_shuji" in err and "数字" in err
