"""The package's layers (docs/ARCHITECTURE.md) hold, and no module imports
itself back through others.

The contracts live in pyproject.toml (``[tool.importlinter]``) and are run
here with import-linter; a last test plants an upward import in a copy of
the package to show the contracts do catch one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())"]


def lint(package_parent: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([*LINT, "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=package_parent,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_layer_contracts_hold():
    r = lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (the package has a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_no_module_imports_itself_back():
    g = grimp.build_graph("pmprb", exclude_type_checking_imports=True, cache_dir=None)
    modules = {m for m in g.modules if ".migrations" not in m}
    graph = {m: {d for d in g.find_modules_directly_imported_by(m) if d in modules and d != m} for m in modules}
    # A package's __init__ re-exporting its own modules is not a circle of jobs.
    graph = {m: {d for d in ds if not m.startswith(d + ".") and not d.startswith(m + ".")} for m, ds in graph.items()}
    assert strongly_connected(graph) == []


@pytest.mark.parametrize("module,planted", [
    ("pmprb/assessments/store/ledger.py", "import pmprb.presentation.walk"),
    ("pmprb/engine/scoring.py", "import pmprb.assessments.store.db"),
    ("pmprb/assessments/setup/rounds.py", "import pmprb.assessments.coordinate.consensus"),
])
def test_the_contracts_catch_an_upward_import(tmp_path, module, planted):
    copy = tmp_path / "pkg"
    shutil.copytree(ROOT / "pmprb", copy / "pmprb", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}  # planted by the test\n", encoding="utf-8")
    r = lint(copy)
    assert r.returncode != 0 and "BROKEN" in r.stdout, r.stdout + r.stderr
