"""Regression: bot.toml mistakes that loaded silently, crashed later or showed a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config
from tests.harness import BASE_TOML

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "bot.toml"
    path.write_bytes(text.encode(encoding))
    return path


def fails(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    return info.value


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``gridbot check --config PATH`` the way an operator runs it."""
    code = main(["check", "--config", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. [[schedules]] when = "..." is checked when the file is loaded ---------------------

SCHEDULE = BASE_TOML + """
[[schedules]]
group = "hexi"
when = "{when}"
text = "领菜通知"
"""


@pytest.mark.parametrize("when", ["每天早上八点", "每天 25:00", "每月32日 09:00", "cron 0 8 * *",
                                  "2026-02-30 08:00", ""])
def test_bad_schedule_time_is_rejected_at_load(tmp_path: Path, when: str) -> None:
    error = fails(write(tmp_path, SCHEDULE.format(when=when)))
    assert error.key == "schedules[0].when"
    assert "每天 08:00" in error.why and "cron" in error.why  # the accepted forms, in Chinese


@pytest.mark.parametrize("when", ["每天 08:00", "工作日 7:30", "每周一 09:00", "每月1日 9点",
                                  "2026-12-01 18:30", "cron 0 8 * * 1-5"])
def test_good_schedule_times_load(tmp_path: Path, when: str) -> None:
    config = load_config(write(tmp_path, SCHEDULE.format(when=when)))
    assert config.schedules[0].when == when


def test_bad_schedule_time_fails_gridbot_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = check(write(tmp_path, SCHEDULE.format(when="每天早上八点")), capsys)
    assert code == 2 and "schedules[0].when" in err and "每天 08:00" in err
    assert "Traceback" not in err


# --- 2. bot.toml saved as GBK, or with a BOM -------------------------------------------

def test_gbk_config_says_save_as_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, BASE_TOML, encoding="gbk")
    error = fails(path)
    assert "UTF-8" in error.why and "另存为" in error.why
    code, _, err = check(path, capsys)
    assert code == 2 and str(path) in err and "UTF-8" in err
    assert "Traceback" not in err and "UnicodeDecodeError" not in err


def test_utf8_bom_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE_TOML.encode("utf-8"))
    config = load_config(path)
    assert config.groups[0].name == "河西区指挥部"


# --- 5. unknown keys are typos, not silently ignored ------------------------------------

@pytest.mark.parametrize(
    ("text", "key", "suggestion"),
    [
        ("[bot]\nnmae = '助手'\n", "bot.nmae", "name"),
        ("[bot]\nplatfroms = ['console']\n", "bot.platfroms", "platforms"),
        ("[[groups]]\nname = 'x'\nowner = ['李书记']\n", "groups[0] (x).owner", "owners"),
        ("[[groups]]\nnmae = 'x'\n", "groups[0].nmae", "name"),
        ("[telegram]\nbase_uri = 'http://x'\n", "telegram.base_uri", "base_url"),
        ("[wechat]\nsend_intervall = 2\n", "wechat.send_intervall", "send_interval"),
        ("[notices]\ngrace_minute = 5\n", "notices.grace_minute", "grace_minutes"),
        ("[digest]\ntime = ['08:00']\n", "digest.time", "times"),
        ("[[groups]]\nname = 'x'\n[[schedules]]\ngroup = 'x'\nwhen = '每天 08:00'\ntxt = 'a'\n",
         "schedules[0].txt", "text"),
        ("[[group]]\nname = 'x'\n", "group", "[[groups]]"),
        ("[bots]\nname = 'x'\n", "bots", "[bot]"),
        ("[noitces]\ngrace_minutes = 5\n", "noitces", "[notices]"),
    ],
)
def test_unknown_key_names_table_and_suggests(tmp_path: Path, text: str, key: str,
                                              suggestion: str) -> None:
    error = fails(write(tmp_path, text))
    assert error.key == key
    assert f"您是不是想写 {suggestion}？" in error.why


def test_key_under_the_wrong_table_says_where_it_belongs(tmp_path: Path) -> None:
    # In TOML every line after [[groups]] belongs to that group, so this database is lost.
    error = fails(write(tmp_path, "[[groups]]\nname = 'x'\ndatabase = 'other.db'\n"))
    assert error.key == "groups[0] (x).database" and "[bot]" in error.why


def test_key_above_every_table_says_where_it_belongs(tmp_path: Path) -> None:
    error = fails(write(tmp_path, "database = 'x.db'\n[bot]\nname = 'x'\n"))
    assert error.key == "database" and "[bot]" in error.why


def test_owner_typo_fails_gridbot_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, BASE_TOML.replace('owners = ["李书记"]', 'owner = ["李书记"]'))
    code, _, err = check(path, capsys)
    assert code == 2 and "owner" in err and "您是不是想写 owners？" in err


def test_check_warns_when_there_are_no_groups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(write(tmp_path, "[bot]\nname = '网格助手'\n"), capsys)
    assert code == 0
    assert "没有任何群" in err and "[[groups]]" in err and "绑定" in err


def test_check_does_not_warn_with_groups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(write(tmp_path, BASE_TOML), capsys)
    assert code == 0 and "4 个群" in out and "没有任何群" not in err


# --- 7. the per-group tickets flag ------------------------------------------------------

def test_tickets_flag_defaults_by_level_and_can_be_set(tmp_path: Path) -> None:
    text = BASE_TOML.replace('level = "township"\n', 'level = "township"\ntickets = true\n')
    text = text.replace('key = "yangguang"\n', 'key = "yangguang"\ntickets = false\n')
    config = load_config(write(tmp_path, text))
    flags = {g.key: g.tickets for g in config.groups}
    assert flags == {"hexi": False, "dongcheng": True, "xingfu": True, "yangguang": False}


def test_tickets_flag_must_be_a_bool(tmp_path: Path) -> None:
    error = fails(write(tmp_path, "[[groups]]\nname = 'x'\ntickets = 'yes'\n"))
    assert error.key == "groups[0] (x).tickets" and "true or false" in error.why


def test_shipped_config_passes_gridbot_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--config", str(ROOT / "bot.toml"), "--db", str(tmp_path / "x.db")])
    out, err = capsys.readouterr()
    assert code == 0 and "配置正常" in out, err


@pytest.mark.parametrize(
    ("telegram", "key", "why"),
    [
        ('mode = "push"', "telegram.mode", "polling"),
        ('mode = "webhook"', "telegram.webhook_url", "https"),
        ('mode = "webhook"\nwebhook_url = "http://bot.example.org/tg"', "telegram.webhook_url", "https"),
        ('mode = "webhook"\nwebhook_url = "https://bot.example.org/tg"\nport = 70000', "telegram.port", "1-65535"),
    ],
)
def test_telegram_webhook_settings_are_checked(tmp_path: Path, telegram: str, key: str, why: str) -> None:
    error = fails(write(tmp_path, BASE_TOML + f"\n[telegram]\n{telegram}\n"))
    assert error.key == key and why in error.why


def test_telegram_webhook_settings_load(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, BASE_TOML + '\n[telegram]\nmode = "webhook"\n'
                               'webhook_url = "https://bot.example.org/tg"\nlisten = "127.0.0.1"\nport = 8088\n'))
    tg = config.telegram
    assert (tg.mode, tg.webhook_url, tg.listen, tg.port) == ("webhook", "https://bot.example.org/tg", "127.0.0.1", 8088)
    # A self-hosted Bot API server may post to plain http.
    local = load_config(write(tmp_path, BASE_TOML + '\n[telegram]\nmode = "webhook"\nbase_url = "http://127.0.0.1:8081"\n'
                              'webhook_url = "http://127.0.0.1:8088/tg"\n'))
    assert local.telegram.webhook_url == "http://127.0.0.1:8088/tg"
