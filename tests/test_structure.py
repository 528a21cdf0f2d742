"""The package's shape, as docs/design.md draws it: stages that import each other one way only,
no module reaching into another's private names, small modules that each say their job."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scheduler", "stations", "scenarios")
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(p): p
    for package in PACKAGES
    for p in sorted((ROOT / package).rglob("*.py"))
    if "tools" not in p.relative_to(ROOT).parts
}


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in the file, at any depth (lazy imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (a name that is a submodule counts as that module)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in MODULES.items():
        for module, names in imported(path):
            if module not in MODULES:
                continue
            submodules = {f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES}
            plain = [n for n in names if f"{module}.{n}" not in MODULES]
            graph[name] |= submodules
            if plain or not names:
                graph[name].add(module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
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
                found.append(sorted(component))

    for node in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if node not in index:
            visit(node)
    return found


@pytest.mark.slow
def test_the_import_graph_has_no_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.slow
def test_no_module_imports_another_modules_private_names() -> None:
    reaching = [
        f"{name} imports {module}.{n}"
        for name, path in MODULES.items()
        for module, names in imported(path)
        if module.split(".")[0] in PACKAGES
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert reaching == []


@pytest.mark.slow
def test_stages_depend_one_way() -> None:
    """Lower stages never import higher ones: the workflows, the service and the command line sit on top."""
    order = ["inputs", "sky", "problem", "solvers", "outputs", "check", "workflows", "service", "cli"]
    graph = import_graph()
    backwards = []
    for name, targets in graph.items():
        stage = name.split(".")[1] if name.count(".") else ""
        for target in targets:
            to = target.split(".")[1] if target.count(".") else ""
            if stage in order and to in order and order.index(to) > order.index(stage):
                backwards.append(f"{name} -> {target}")
    assert sorted(backwards) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_is_small_and_says_its_job(name: str) -> None:
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and docstring.split("\n")[0].strip(), f"{path}: no docstring saying its job"
    assert len(text.splitlines()) <= MAX_LINES, f"{path}: {len(text.splitlines())} lines"


@pytest.mark.slow
def test_the_validator_stays_independent_of_what_it_judges() -> None:
    """check/ re-derives every rule from the scenario: it imports neither the solvers whose
    schedules it judges nor the outputs that write them (the gate before writing is a workflow)."""
    graph = import_graph()
    reaching = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        if name.startswith("scheduler.check")
        for target in targets
        if target.startswith(("scheduler.outputs", "scheduler.solvers"))
    )
    assert reaching == []


MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "add", "discard", "remove"}


def written_names(tree: ast.Module) -> set[str]:
    """Names the module writes into after binding them: item stores, mutating calls, `global`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            if isinstance(node.value, ast.Name):
                found.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            if isinstance(node.func.value, ast.Name):
                found.add(node.func.value.id)
        elif isinstance(node, ast.Global):
            found.update(node.names)
    return found


@pytest.mark.slow
def test_no_module_keeps_mutable_state_at_module_level() -> None:
    """Module-level state is shared by every thread (two bounds, two rounds, two requests of the
    service at once): no module writes into a list, dict or set it binds at module level."""
    found = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        written = written_names(tree)
        for node in tree.body:
            targets = [t for t in getattr(node, "targets", [getattr(node, "target", None)]) if isinstance(t, ast.Name)]
            value = getattr(node, "value", None)
            mutable = isinstance(value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp | ast.SetComp)
            mutable |= isinstance(value, ast.Call) and getattr(value.func, "id", "") in {
                "dict",
                "list",
                "set",
                "defaultdict",
            }
            found += [f"{name}: {t.id}" for t in targets if mutable and t.id in written]
    assert found == []
