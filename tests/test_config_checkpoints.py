"""``[[checkpoints]]``: shifts and people as written, the job's trigger, bad values explained in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.config.checkpoints import CheckpointConfig, ShiftConfig
from schedules.rosters import JOB
from tests.harness import BASE_TOML, make_config

GOOD = """
[[checkpoints]]
key = "north"
name = "北门卡点"
group = "幸福小区居民群"
leads = ["老周"]
late_after_minutes = 20
shifts = [
  { name = "早班", start = "8:00", end = "16:00", people = ["王小明：123", "张三"] },
  { name = "晚班", start = "16:00", end = "24:00" },
]
"""


def test_checkpoints_as_written_and_the_trigger(tmp_path: Path) -> None:
    assert make_config(tmp_path).checkpoints == ()
    assert JOB.triggers(make_config(tmp_path)) == {}  # no checkpoints: the job is not scheduled
    config = make_config(tmp_path, BASE_TOML + GOOD)
    assert config.checkpoints == (CheckpointConfig(
        "north", "北门卡点", "xingfu", ("老周",),
        (ShiftConfig("早班", "08:00", "16:00", (("王小明", "123"), ("张三", ""))),
         ShiftConfig("晚班", "16:00", "24:00")), 30, 20),)
    assert JOB.triggers(config) == {"roster-duty": {"trigger": "interval", "minutes": 1}}


@pytest.mark.parametrize(("extra", "why"), [
    ('[[checkpoints]]\nkey = "a"\ngroup = "没有的群"\n', r"checkpoints\[0\]\.group.*没有这个群"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\n[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\n',
     r"checkpoints\[1\]\.key.*重复"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nshifts = [{ name = "早", start = "8点", end = "16:00" }]\n',
     r"shifts\[0\]\.start.*HH:MM"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nshifts = [{ name = "早", start = "08:00", end = "08:00" }]\n',
     r"shifts\[0\]\.end.*跨夜"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nshifts = [{ name = "早", start = "08:00", end = "9:00", who = [] }]\n',
     r"shifts\[0\]\.who.*班次里只能写"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nshifts = [{ name = "早", start = "08:00", end = "9:00", people = [":1"] }]\n',
     r"people.*姓名不能为空"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nremind_before_minutes = 0\n',
     r"remind_before_minutes.*1 到 1440"),
    ('[[checkpoints]]\nkey = "a"\ngroup = "xingfu"\nlead = ["x"]\n', r"checkpoints\[0\]\.lead"),
])
def test_bad_checkpoints_are_explained_in_chinese(tmp_path: Path, extra: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        make_config(tmp_path, BASE_TOML + extra)
