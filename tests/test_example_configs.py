"""The example configs under examples/ load, describe the tree they promise, and pass gridbot check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Config, load_config
from tests.test_console import gridbot

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CONFIGS = {"telegram-district.toml": "telegram", "wechat-district.toml": "wechat"}

#: key -> (level, parent): one district, two townships, two villages under each.
TREE = {
    "hexi": ("district", None),
    "dongcheng": ("township", "hexi"),
    "xicheng": ("township", "hexi"),
    "xingfu": ("village", "dongcheng"),
    "yangguang": ("village", "dongcheng"),
    "lijia": ("village", "xicheng"),
    "zhangjiawan": ("village", "xicheng"),
}


def load(name: str, tmp_path: Path) -> Config:
    return load_config(EXAMPLES / name, database=tmp_path / "gridbot.db")


def test_every_example_config_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.toml")) == sorted(CONFIGS)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_example_config_describes_the_district_tree(name: str, tmp_path: Path) -> None:
    config = load(name, tmp_path)
    platform = CONFIGS[name]
    assert config.platforms == (platform,)
    assert {g.key: (g.level, g.parent) for g in config.groups} == TREE
    assert {g.platform for g in config.groups} == {platform}
    assert all(g.owners for g in config.groups)
    # Residents' tickets in the village groups only; the others are cadres' work groups.
    assert {g.key for g in config.groups if g.tickets} == {k for k, (lvl, _) in TREE.items() if lvl == "village"}
    assert config.staff[platform] and not any(config.staff[p] for p in config.staff if p != platform)


def test_telegram_example_uses_numeric_ids_and_polling(tmp_path: Path) -> None:
    config = load("telegram-district.toml", tmp_path)
    assert all(re.fullmatch(r"-100\d+", g.chat_id) for g in config.groups)
    people = [o for g in config.groups for o in g.owners] + list(config.staff["telegram"])
    assert all(p.isdigit() for p in people)
    assert config.telegram.mode == "polling" and config.telegram.token_env == "GRIDBOT_TELEGRAM_TOKEN"
    assert next(g for g in config.groups if g.key == "xicheng").review
    assert [s.group for s in config.schedules] == ["hexi"]


def test_telegram_example_webhook_block_works_when_uncommented(tmp_path: Path) -> None:
    text = (EXAMPLES / "telegram-district.toml").read_text(encoding="utf-8")
    block = re.findall(r"^# ((?:mode|webhook_url|listen|port) = .*)$", text, re.MULTILINE)
    assert [line.split(" =")[0] for line in block] == ["mode", "webhook_url", "listen", "port"]
    edited = text.replace('mode = "polling"', "\n".join(block))
    (tmp_path / "webhook.toml").write_text(edited, encoding="utf-8")
    config = load_config(tmp_path / "webhook.toml", database=tmp_path / "gridbot.db")
    assert config.telegram.mode == "webhook"
    assert config.telegram.webhook_url.startswith("https://")
    assert (config.telegram.listen, config.telegram.port) == ("127.0.0.1", 8443)


def test_wechat_example_uses_room_ids_and_wxids(tmp_path: Path) -> None:
    config = load("wechat-district.toml", tmp_path)
    assert all(re.fullmatch(r"\d+@chatroom", g.chat_id) for g in config.groups)
    people = [o for g in config.groups for o in g.owners] + list(config.staff["wechat"])
    assert all(p.startswith("wxid_") for p in people)
    assert config.wechat.endpoint_env == "WECHATY_PUPPET_SERVICE_ENDPOINT"
    assert config.wechat.token_env == "WECHATY_PUPPET_SERVICE_TOKEN"
    assert config.wechat.send_interval >= 1


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_gridbot_check_accepts_the_example(name: str, tmp_path: Path) -> None:
    db = tmp_path / "gridbot.db"
    result = gridbot("check", "--config", str(EXAMPLES / name), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "配置正常：7 个群" in result.stdout
    assert not db.exists()  # check reads, never creates
