"""The cascade benchmark's floor and its ground truth, on hand-made platform logs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

# Benchmarks are scripts, not a package: load this one by its path.
_spec = importlib.util.spec_from_file_location(
    "cascade_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "cascade.py")
assert _spec is not None and _spec.loader is not None
bench: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
ARRIVE = bench.LATENCY[0] / 2


def sends(platform: str, chats: list[str], status: str = "ok", latency: float = 0.05) -> list[Any]:
    return [(0.0, platform, chat, "N1", status, latency) for chat in chats]


def test_the_overall_floor_counts_the_limiter_initial_burst() -> None:
    assert bench.floor(sends("telegram", [f"-{i}" for i in range(30)])) == pytest.approx(ARRIVE)
    rows = sends("telegram", [f"-{i}" for i in range(90)]) + sends("telegram", ["-1000"], "429")
    assert bench.floor(rows) == pytest.approx(60 / 30 + ARRIVE)  # a refused send is not owed


def test_one_group_past_twenty_waits_three_seconds_a_send() -> None:
    assert bench.floor(sends("telegram", ["-7"] * 25, latency=0.05)) == pytest.approx(15 + ARRIVE)


def test_one_chat_sends_one_at_a_time_and_wechat_one_a_second() -> None:
    assert bench.floor(sends("wechat", ["room1"] * 3, latency=0.3)) == pytest.approx(2 + ARRIVE)
    assert bench.floor(sends("telegram", ["-7"] * 10, latency=0.3)) == pytest.approx(10 * 0.3 - 0.15)


def test_every_group_gets_the_district_notices_and_the_township_its_flurry() -> None:
    want = bench.expected(3)
    assert bench.DISTRICT_NOTICES == 2 and want.total() == 2 * 521 + 3 * 26 and set(want.values()) == {1}
    assert {code for _, code in want} == {"N1", "N2", "N3", "N4", "N5"}
    assert sum(code == "N4" for _, code in want) == sum(code == "N5" for _, code in want) == 521
    assert ("room1@chatroom", "N1") in want and ("room2@chatroom", "N1") not in want  # v1 is below t1


def test_the_log_reads_back_as_written(tmp_path: Path) -> None:
    log = tmp_path / "delivered.log"
    log.write_text("1.5\tpublish\t-\t-\tstart\t0\n2.0\ttelegram\t-101\tN1\t429\t0.1000\n")
    assert bench.read_log(log) == [(1.5, "publish", "-", "-", "start", 0.0),
                                   (2.0, "telegram", "-101", "N1", "429", 0.1)]


def test_the_platform_remembers_a_group_bucket_across_a_restart() -> None:
    before = sends("telegram", ["-7"] * 20, latency=0.2)
    limits = bench.GroupLimits([(10.0 + i * 0.01, *row[1:]) for i, row in enumerate(before)])
    assert limits.refuse("-7", 10.5) == 3  # full: one more in 3 s
    assert limits.refuse("-8", 10.5) == 0  # another group is not
    assert limits.refuse("-7", 13.5) == 0 and limits.refuse("-7", 13.6) == 3
