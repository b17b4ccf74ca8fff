"""The layout's promises (issue 26, CONTRIBUTING.md "Architecture"): no
import cycle, counting imports inside functions; imports inside functions
only where start-up needs them; and the import contracts of
[tool.importlinter] (each layer imports only the layers below it)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = {"lint": "iacm_lint", "rules": "iacm_lint.rules"}  # as pyproject.toml maps them

# The only modules that import our own modules inside functions, and why:
# each keeps a heavy library (or the layers that pull one in) off a path
# that must start fast (benchmarks/bench_startup.py, the warm row of
# benchmarks/bench_scan.py). Import-linter still checks their direction.
LAZY_IMPORTS = {
    "iacm_lint.cli.commands": "a command loads the layers it runs: --version, --help, rules, explain need none",
    "iacm_lint.cli.check": "--fix and --diff load the fix passes (parsers, rules); a result-cache hit needs none",
    "iacm_lint.engine.runner": "a result-cache hit loads no parser, model view or rule",
    "iacm_lint.filter.config": "PyYAML loads only for a YAML configuration file",
    "iacm_lint.parse.file": "lark and PyYAML load only when a file of their kind is parsed",
    "iacm_lint.parse.heredoc": "PyYAML loads only when there is a heredoc to parse",
    "iacm_lint.scan.repository": "multiprocessing and importlib.metadata load only when something is parsed",
}


def module_files(root: Path = ROOT) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package) for every module of lint/ and rules/."""
    found = {}
    for directory, package in PACKAGE_DIRS.items():
        for path in sorted((root / directory).rglob("*.py")):
            parts = list(path.relative_to(root / directory).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            found[".".join([package, *parts])] = (path, is_package)
    return found


def imports_of(name: str, path: Path, is_package: bool, modules: set[str]) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of one of
    `modules` anywhere in the file: `from x import y` imports module x.y when
    there is one, else x (as import-linter counts them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = {id(node) for function in ast.walk(tree)
                   if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for node in ast.walk(function)}
    package = name if is_package else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.extend((target, node.lineno, id(node) in in_function) for target in targets if target in modules)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = module_files(root)
    return {name: {target for target, _, _ in imports_of(name, path, is_package, set(files)) if target != name}
            for name, (path, is_package) in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_counting_imports_inside_functions():
    graph = import_graph()
    assert len(graph) > 100 and "iacm_lint.rules.iacm110_state_lock_missing" in graph  # rules/ is counted too
    assert cycles(graph) == []


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    """The check itself: an import hidden in a function still closes a cycle."""
    (tmp_path / "lint").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "lint" / "__init__.py").write_text("")
    (tmp_path / "rules" / "__init__.py").write_text("")
    (tmp_path / "lint" / "engine.py").write_text("from .pool import parse_all\n")
    (tmp_path / "lint" / "pool.py").write_text("def parse_all():\n    from .engine import parse_file\n")
    assert cycles(import_graph(tmp_path)) == [["iacm_lint.engine", "iacm_lint.pool"]]


def test_imports_inside_functions_only_where_start_up_needs_them():
    files = module_files()
    lazy = {name: [line for _, line, inside in imports_of(name, path, is_package, set(files)) if inside]
            for name, (path, is_package) in files.items()}
    unexplained = {name: lines for name, lines in lazy.items() if lines and name not in LAZY_IMPORTS}
    assert unexplained == {}, "import at module level, or say in LAZY_IMPORTS what start-up gains"
    assert all(lazy[name] for name in LAZY_IMPORTS)  # no stale entry


def test_the_import_contracts_hold():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "lint_imports.py")], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout
