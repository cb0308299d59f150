"""Regression: SQLite's driver and errors stay inside ``bot/store/sqlite`` (issue #10, move 4).

A PostgreSQL store is one new package only if nothing else imports sqlite3 or aiosqlite.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
DRIVERS = {"sqlite3", "aiosqlite"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_sqlite_package_imports_the_driver() -> None:
    sqlite_pkg = ROOT / "bot" / "store" / "sqlite"
    leaks = sorted(
        str(p.relative_to(ROOT))
        for folder in ("bot", "handlers", "schedules")
        for p in (ROOT / folder).rglob("*.py")
        if sqlite_pkg not in p.parents and _imports(p) & DRIVERS
    )
    assert leaks == []


def test_the_migrations_ship_with_the_sqlite_package() -> None:
    from bot.store.maintenance import shipped_schema_version

    files = (ROOT / "bot/store/sqlite/migrations").glob("*.sql")
    assert shipped_schema_version() == max(int(p.name[:3]) for p in files)  # numbers may have gaps
