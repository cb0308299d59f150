"""Regression: the README's console example got no reply (make run started in the district group)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.test_console import gridbot

REPO = Path(__file__).resolve().parent.parent


def make_run(tmp_path: Path, session: str) -> subprocess.CompletedProcess[str]:
    """``make run``'s command on the shipped bot.toml, typing ``session`` at the prompt."""
    shutil.copy(REPO / "bot.toml", tmp_path / "bot.toml")
    result = gridbot("run", cwd=tmp_path, stdin=session)
    assert result.returncode == 0, result.stderr
    return result


def test_make_run_starts_in_a_village_group_so_the_readme_example_works(tmp_path: Path) -> None:
    result = make_run(tmp_path, ":user 张阿姨\n代买 胰岛素两盒 急 5栋301\n:chat @\n:user 李书记\n接单 E1\n:quit\n")
    assert "[幸福小区居民群 · 居民] >" in result.stdout
    assert "→ [幸福小区居民群] @张阿姨 已登记代办工单 E1（紧急·买药/就医）" in result.stdout
    assert "→ [@李书记] 已接单 E1。" in result.stdout
    assert " INFO " not in result.stderr  # no log lines in the way of the prompt


def test_chat_takes_a_distinctive_part_of_a_group_name(tmp_path: Path) -> None:
    result = make_run(tmp_path, ":chat 阳光\n:user 孙姐\n代买 米 2栋\n:chat 居民群\n:chat 火星\n:quit\n")
    assert "[阳光花园居民群 · 孙姐] >" in result.stdout
    assert "→ [阳光花园居民群] @孙姐 已登记代办工单 E1" in result.stdout
    assert "! 「居民群」对应 2 个群：幸福小区居民群、阳光花园居民群" in result.stdout
    assert "! 没有名为「火星」的群" in result.stdout
