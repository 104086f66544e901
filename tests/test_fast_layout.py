"""The README's module map is the package as it is: every module listed, nothing listed that is gone."""
import re

from .conftest import ROOT


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
    data_folders = {"assistant/web/templates/", "assistant/web/static/"}  # listed as folders, not file by file
    actual = {a for a in actual if not any(a.startswith(f) and a != f for f in data_folders)}
    assert listed == actual, (sorted(listed - actual), sorted(actual - listed))
