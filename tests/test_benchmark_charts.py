"""The charts benchmark's code path with tiny numbers: a small district built, every figure timed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

# Benchmarks are scripts, not a package: load this one by its path.
_spec = importlib.util.spec_from_file_location(
    "charts_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "charts.py")
assert _spec is not None and _spec.loader is not None
bench: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


async def test_the_benchmark_times_series_drawing_and_the_command(tmp_path: Path) -> None:
    figures = await bench.run(3000, tmp_path / "bench", townships=2, villages=3)
    for key in ("series_ms", "township_series_ms", "render_ms", "command_s", "floor_ms"):
        assert figures[key] > 0, key
    assert figures["month_tickets"] > 0 and figures["replies"] == 3
    assert figures["townships"] == 2 and figures["receipt_groups"] > 0
    assert all(kb > 5 for kb in figures["png_kb"])
