"""The volunteer flow on the real ``gridbot console --transcript``: sign-up → approval → dispatch →
a second claim loses → the volunteer completes → the resident hears, and the card stays private."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import gridbot
from tests.volunteer_setup import TOML

TRANSCRIPT = """\
@|小明|志愿者报名 王小明 13900001111 配送小分队
@|小红|志愿者报名 李小红 13900002222 配送
@|王队长|志愿者 通过 王小明
@|王队长|志愿者 通过 李小红
幸福小区居民群|张阿姨|代买 降压药两盒 3栋2单元501 电话13812345678
配送志愿者群|小明|抢单 E1
配送志愿者群|小红|抢单 E1
@|小明|完成 E1 已送到门口
"""


def test_the_volunteer_flow_through_the_console(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    result = gridbot("console", "--transcript", "t.txt", "--db", ":memory:", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()

    def after(start: str, part: str, at: int) -> int:
        found = next((i for i in range(at, len(lines)) if lines[i].startswith(start) and part in lines[i]), None)
        assert found is not None, f"no {start}…{part} after line {at}:\n" + "\n".join(lines)
        return found + 1

    at = after("@小明|", "已收到您的报名", 0)
    at = after("@王队长|", "【志愿者报名】王小明（配送小分队，13900001111）", at)
    at = after("@王队长|", "已通过 王小明（配送小分队）", at)
    at = after("@小明|", "已通过审核", at)
    at = after("配送志愿者群|", "【待接单】E1 买药/就医\\n地点：幸福小区居民群·3栋", at)
    at = after("配送志愿者群|", "已由 王小明 接单", at)
    at = after("@小明|", "电话：13812345678", at)
    at = after("幸福小区居民群|@张阿姨 ", "已由志愿者 王小明 接单，正在赶来", at)
    at = after("@李书记|", "志愿者 王小明（配送小分队，13900001111）接下了 E1", at)
    at = after("配送志愿者群|@小红 ", "E1 已由 王小明 接单", at)
    at = after("@小明|", "E1 已完成，辛苦了", at)
    at = after("幸福小区居民群|@张阿姨 ", "您的工单 E1 已完成。说明：已送到门口。", at)
    team = [line for line in lines if line.startswith("配送志愿者群|")]
    assert team and not [line for line in team if "13812345678" in line or "501" in line]
    group = [line for line in lines if line.startswith("幸福小区居民群|")]
    assert not [line for line in group if "139" in line]  # the volunteer's number never reaches it
