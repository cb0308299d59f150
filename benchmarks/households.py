"""Household import benchmark: a 100,000-row CSV through bot/household_file.py.

Run:  .venv/bin/python benchmarks/households.py [--rows 100000]      (about 10 s)

The floor is the same file read by plain ``csv.reader`` in the same run (no checks), so the
ratio says what address normalising, phone checks and duplicate handling cost. Peak memory
is the process's maximum RSS growth while reading. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.household_file import read_households  # noqa: E402

FORMS = ("{b}栋{u}单元{r}", "{b}-{u}-{r}", "{b}号楼{u}单元{r}室", "{b}#{u}-{r}")


def write_file(path: Path, rows: int, encoding: str) -> None:
    """``rows`` distinct households written in mixed address forms."""
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(["群", "地址", "户主", "电话", "人数", "标签", "网格"])
        for i in range(rows):
            b, u, r = i // 2000 + 1, i // 500 % 4 + 1, 101 + i % 500 // 20 * 100 + i % 20
            address = FORMS[i % len(FORMS)].format(b=b, u=u, r=r)
            out.writerow(["阳光花园群", address, f"户主{i}", f"138{i:08d}", i % 5 + 1, "独居老人、慢性病", "一网格"])


def main() -> None:
    """Time the checked read against the plain read and print one JSON line last."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    result: dict[str, object] = {"rows": rows}
    with tempfile.TemporaryDirectory() as folder:
        for encoding in ("utf-8-sig", "gb18030"):
            path = Path(folder) / f"h-{encoding}.csv"
            write_file(path, rows, encoding)
            began = time.perf_counter()
            with path.open(encoding=encoding, newline="") as f:
                floor_count = sum(1 for _ in csv.reader(f)) - 1
            floor = time.perf_counter() - began
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            began = time.perf_counter()
            parsed = read_households(path, default_group=None)
            took = time.perf_counter() - began
            rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
            assert floor_count == rows and len(parsed.rows) == rows and not parsed.errors, parsed.errors[:3]
            print(f"{encoding}: {rows} rows in {took:.2f} s ({rows / took:,.0f} rows/s); plain csv.reader "
                  f"{floor:.3f} s; ratio {took / floor:.0f}x; max RSS grew {rss_growth_mb:.0f} MB")
            result[encoding] = {"seconds": round(took, 3), "floor_seconds": round(floor, 4),
                                "ratio": round(took / floor, 1), "rss_growth_mb": round(rss_growth_mb, 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
