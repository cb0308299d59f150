"""The dashboard benchmark's code path with tiny numbers: both pages served and timed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

_spec = importlib.util.spec_from_file_location(
    "web_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "web.py")
assert _spec is not None and _spec.loader is not None
bench: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


async def test_the_benchmark_times_both_pages(tmp_path: Path) -> None:
    figures = await bench.run(2000, tmp_path / "bench", townships=2, villages=3)
    assert figures["tickets"] == 2000 and figures["groups"] == 9
    for key in ("overview_ms", "tickets_page_ms", "overview_floor_ms", "tickets_page_floor_ms", "reports_page_ms",
                "reports_charts_ms"):
        assert figures[key] > 0, key
