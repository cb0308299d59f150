"""The district-scale jobs benchmark's code path with tiny numbers: built, every job timed."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from typing import Any

# Benchmarks are scripts, not a package: load this one by its path.
_spec = importlib.util.spec_from_file_location(
    "digest_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "digest.py")
assert _spec is not None and _spec.loader is not None
bench: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


async def test_the_benchmark_builds_a_district_and_times_every_job(tmp_path: Path) -> None:
    figures = await bench.run(3000, tmp_path / "bench", townships=2, villages=3)
    assert figures["tickets"] == 3000 and figures["groups"] == 9
    for key in ("daily_digest_s", "monthly_ranking_s", "sla_scan_ms", "reminder_scan_ms", "district_todo_ms",
                "export_csv_s", "export_peak_rss_mb"):
        assert figures[key] > 0, key
    # One digest per owner (9) and one for staff; the district owner sees every open ticket.
    assert figures["digest_replies"] == 10
    assert figures["ranked_groups"] == 6  # every village group had tickets last month
    con = sqlite3.connect(tmp_path / "bench" / "bench.db")
    open_ = con.execute("SELECT COUNT(*) FROM tickets WHERE status NOT IN ('done', 'rejected')").fetchone()[0]
    assert figures["todo_first_line"] == f"未办结工单（{open_} 张）："
    assert figures["reminders"] > 0 and figures["escalations"] > 0
    # Run again: the cached database is reused, the jobs start from the same pristine copy.
    again = await bench.run(3000, tmp_path / "bench", townships=2, villages=3)
    assert again["build_s"] < figures["build_s"] and again["reminders"] == figures["reminders"]
