"""The roll-call benchmark's code path with tiny numbers: every answer counted, no hint, figures out."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

# Benchmarks are scripts, not a package: load this one by its path.
_spec = importlib.util.spec_from_file_location(
    "rollcall", Path(__file__).resolve().parent.parent / "benchmarks" / "rollcall.py")
assert _spec is not None and _spec.loader is not None
rollcall: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rollcall)


async def test_the_benchmark_counts_every_answer_and_reports_its_figures() -> None:
    figures = await rollcall.run(townships=2, villages=3, households=300, answers=200)
    assert figures["groups"] == 9 and figures["answers"] == 200 and figures["households"] == 300
    assert figures["answers_per_s"] > 0 and figures["floor_per_s"] > 0
    # 300 households, 200 answered: 100 missing over both townships, some in each.
    assert 0 < figures["missing_township"]["missing"] < 100 and figures["missing_township"]["groups"] == 4
    largest = figures["missing_largest_group"]
    assert 0 < largest["missing"] < largest["households"] and figures["progress_lines"] >= 1


def test_answers_take_every_loose_form_and_one_per_household() -> None:
    texts = [rollcall.answer_text(i, 3, 2, 501, "C1")[0] for i in range(10)]
    assert {"3-2-501 已做", "C1 3-2-501 已做", "3號樓2單元501 已做", "3栋2单元501 没做", "已做"} <= set(texts)
    planned = rollcall.plan([("a", 3), ("b", 1)], 4)
    assert planned == [("a", 0), ("b", 0), ("a", 1), ("a", 2)]
    assert sum(rollcall.sizes(380, 70_000)) == 70_000
