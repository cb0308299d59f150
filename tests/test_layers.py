"""The layers hold: handlers and jobs see Services, never the wiring; no import circles.

``bot/`` is the framework and the domain, ``handlers/`` only routers, ``schedules/`` only jobs.
Routers and jobs are handed to the ``App`` by one composition root (``bot.commands``), so
nothing else under ``bot/`` names them, and the modules import one another without a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "schedules")
#: The entry points, which assemble the bot from its parts.
COMPOSITION_ROOT = {"bot.commands", "bot.cli", "bot.__main__"}
#: What a router or job must not reach for: the run loop, adapters' insides, the entry points.
WIRING = {"bot.app", "bot.scheduler", "bot.commands", "bot.cli", "bot.outbox"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, *, deferred: bool) -> set[str]:
    """Modules ``path`` imports, including those only for type checking; ``deferred`` adds
    those imported inside functions (an adapter's SDK, loaded only when it starts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not deferred:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                skipped |= {id(n) for n in ast.walk(node)}
    out = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{alias.name}" for alias in node.names}
    return out


def _ours(names: set[str], modules: dict[str, Path]) -> set[str]:
    return {n for n in names if n in modules}


def test_only_the_composition_root_names_handlers_and_schedules() -> None:
    modules = _modules()
    for name, path in modules.items():
        if not name.startswith("bot") or name in COMPOSITION_ROOT:
            continue
        upward = {n for n in _imports(path, deferred=True)
                  if n.split(".")[0] in ("handlers", "schedules")}
        assert not upward, f"{name} imports {sorted(upward)}"


def test_handlers_and_jobs_never_see_the_wiring() -> None:
    modules = _modules()
    for name, path in modules.items():
        if name.split(".")[0] not in ("handlers", "schedules"):
            continue
        reached = _imports(path, deferred=True) & WIRING
        assert not reached, f"{name} imports {sorted(reached)}: use Services / Ctx instead"


def test_no_import_circles() -> None:
    """Not even through type hints: a circle there is still two modules that need each other."""
    modules = _modules()
    graph = {name: _ours(_imports(path, deferred=False), modules) - {name}
             for name, path in modules.items()}
    # A package's __init__ importing its own submodules is how packages work, not a circle.
    for name, edges in graph.items():
        graph[name] = {e for e in edges if not e.startswith(name + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert circles == []
