"""The layout of the package: the README's module map is the package as it is, the tests mirror the
package, and there are no import cycles.

The tests of `assistant/<pkg>/<mod>.py` live in `tests/<pkg>/test_<mod>.py` (`assistant/<mod>.py`:
`tests/test_<mod>.py`); which tests are slow a marker says, never a file name. This module tests the
package as a whole. For the import graph every module is parsed with `ast` (nothing is imported),
imports inside functions included and relative imports resolved. Two graphs: modules
(`assistant.index.folders` → `assistant.index.layout`) and packages, whose nodes are `assistant.X` — a
subpackage or a top-level module. A cycle in either fails with the cycle spelled out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = "assistant"


# ---- the README's module map ----------------------------------------------------------------------
def module_map() -> set[str]:
    """Paths named by the tree in README's "Module map" section (folders end in /)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Module map", 1)[1].split("\n## ", 1)[0]
    tree = section.split("```", 2)[1]
    paths, stack = set(), []
    for line in tree.splitlines():
        m = re.match(r"^((?:│   |    )*)(?:├── |└── )(\S+)", line)
        if m:
            depth = len(m.group(1)) // 4 + 1
            stack[depth:] = [m.group(2)]
            paths.add("".join(stack[: depth + 1]))
        elif re.match(r"^\S+/?\s", line + " "):
            name = line.split()[0]
            stack = [name]
            paths.add(name)
    return paths


def test_the_module_map_lists_every_module_and_only_those():
    listed = module_map()
    package = ROOT / "assistant"
    actual = {"assistant/", "ui.py"}
    for p in package.rglob("*"):
        rel = p.relative_to(ROOT).as_posix()
        if "__pycache__" in rel:
            continue
        if p.is_dir():
            actual.add(rel + "/")
        elif p.suffix == ".py" and not (p.name == "__init__.py" and p.parent != package):
            actual.add(rel)
    data_folders = {
        "assistant/web/templates/",
        "assistant/web/static/",
    }  # listed as folders, not file by file
    actual = {a for a in actual if not any(a.startswith(f) and a != f for f in data_folders)}
    assert listed == actual, (sorted(listed - actual), sorted(actual - listed))


# ---- the tests mirror the package --------------------------------------------------------------------
TESTS = ROOT / "tests"
WHOLE_PACKAGE = {"test_layout.py"}  # this module: the package as a whole, no one module


def stray_test_files(tests: Path = TESTS, package: Path = ROOT / PACKAGE) -> list[str]:
    """Test modules that mirror no module: tests/<pkg>/test_<mod>.py needs assistant/<pkg>/<mod>.py."""
    stray = []
    for path in sorted(tests.rglob("test_*.py")):
        rel = path.relative_to(tests)
        if rel.as_posix() in WHOLE_PACKAGE:
            continue
        if not package.joinpath(*rel.parts[:-1], rel.name.removeprefix("test_")).is_file():
            stray.append(rel.as_posix())
    return stray


def test_every_test_module_mirrors_a_module_of_the_package():
    assert stray_test_files() == []


def test_no_test_file_is_named_after_its_speed():
    """Slow tests are marked `slow` (pytest -m "not slow" is the fast tier), not named so."""
    named = [p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")]
    assert [name for name in named if re.search("fast|slow", name.rpartition("/")[2])] == []


def test_the_mirror_check_finds_a_stray_test_module(tmp_path):
    (tmp_path / "web").mkdir()
    for rel in ("test_engine.py", "web/test_guard.py", "web/test_nothing.py", "test_gone.py"):
        (tmp_path / rel).write_text("")
    assert stray_test_files(tmp_path) == ["test_gone.py", "web/test_nothing.py"]


# ---- no import cycles -------------------------------------------------------------------------------
def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its file (functions included)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a name inside a module: its module
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def module_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imported(name, path, known) for name, path in found.items()}


def package_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, targets in graph.items():
        node = package_of(name)
        if node == PACKAGE:
            continue  # assistant/__init__.py: the package's front door, not a part of it
        edges = out.setdefault(node, set())
        edges.update(package_of(t) for t in targets if package_of(t) not in (node, PACKAGE))
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as [a, b, …, a], or None (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_relative_and_function_level_imports():
    graph = module_graph()
    assert "assistant.index.layout" in graph["assistant.index.folders"]  # `from .layout import …`
    assert "assistant.index.stores.base" in graph["assistant.index.manifest"]  # `from .stores.base import …`
    assert "assistant.index.embedding.backends" in graph["assistant.index.dask_build"]  # inside a method
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_itself_back():
    cycle = find_cycle(module_graph())
    assert cycle is None, "module import cycle: " + " → ".join(cycle)


def test_no_package_imports_itself_back():
    cycle = find_cycle(package_graph(module_graph()))
    assert cycle is None, "package import cycle: " + " → ".join(cycle)


def test_the_index_does_not_reach_into_search():
    graph = package_graph(module_graph())
    assert "assistant.search" not in graph["assistant.index"]


# ---- the house's size rules: small units a newcomer can read --------------------------------------------
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 400


def oversized(package: Path = ROOT / PACKAGE) -> list[str]:
    """Modules over MAX_MODULE_LINES lines and functions (methods too) over MAX_FUNCTION_LINES."""
    found = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(package.parent).as_posix()
        if len(source.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{rel}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_function_over_80_lines_and_no_module_over_400():
    assert oversized() == []


def test_the_size_check_finds_a_long_function_and_a_long_module(tmp_path):
    package = tmp_path / PACKAGE
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (package / "long.py").write_text(f"def f():\n{body}\n" + "\n" * MAX_MODULE_LINES, encoding="utf-8")
    assert oversized(package) == ["assistant/long.py: 481 lines", "assistant/long.py:1 f: 81 lines"]
