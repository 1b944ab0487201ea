"""Dependency rules of DESIGN §2: pure analysis, no feature importing another's views,
no import cycles. The first two are import-linter contracts in pyproject.toml."""
import ast
import graphlib
import re
import statistics
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "consult"


def module_name(path: Path) -> str:
    """Dotted name of a file under consult/ (a package is named by its __init__.py)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def consult_modules() -> dict[str, Path]:
    """Every module of the consult package, by dotted name."""
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), "import-linter is missing: pip install -e '.[test]'"
    # --no-cache: nothing written into the checkout; the whole graph takes under a second.
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_views_module_is_guarded():
    """A new *_views.py the views contract does not list could be imported by any feature."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == "own-views-only")
    guarded = [expression.split(".") for expression in contract["forbidden_modules"]]

    def is_guarded(name: str) -> bool:
        parts = name.split(".")
        return any(len(parts) >= len(g) and all(e in ("*", p) for e, p in zip(g, parts))
                   for g in guarded)

    views = [name for name in consult_modules() if "views" in name.rpartition(".")[2]]
    assert views
    assert [name for name in views if not is_guarded(name)] == [], \
        "add these to forbidden_modules of the own-views-only contract in pyproject.toml"


def module_level_imports(node: ast.AST):
    """Import statements run when the module loads: not those inside functions."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from module_level_imports(child)


def test_no_import_cycle_at_module_level():
    # Not an import-linter contract: its acyclic_siblings contract works on packages (so
    # accounts -> moderation -> accounts through different modules counts) and counts imports
    # inside functions, which DESIGN allows between features and uses to break cycles. What
    # fails at start-up is a cycle of module-level imports between modules, checked here.
    modules = consult_modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported = set()
        for node in module_level_imports(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            imported |= {base} | {f"{base}.{alias.name}" for alias in node.names}
        graph[name] = (imported & modules.keys()) - {name}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        raise AssertionError("import cycle: " + " -> ".join(reversed(error.args[1]))) from None


def test_views_are_thin_and_services_never_read_the_request():
    for path in PACKAGE.rglob("services.py"):
        source = path.read_text()
        assert not re.search(r"\brequest\b", source), path


def test_analysis_is_pure():
    for path in (PACKAGE / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        roots = {name.split(".")[0] for name in imported}
        assert not {r for r in roots if r in {"flask", "sqlalchemy", "werkzeug"}
                    or r.startswith("flask_")}, path
        assert all(not n.startswith("consult") or n.startswith("consult.analysis")
                   for n in imported), path


if __name__ == "__main__":
    # The size figure of STYLE §10 (median under ~100 lines, split a file past ~400), on demand:
    # .venv/bin/python tests/test_architecture.py
    sizes = {name: len(path.read_text().splitlines()) for name, path in consult_modules().items()}
    largest = max(sizes, key=sizes.get)
    over = sorted((n for n, s in sizes.items() if s > 400), key=lambda n: -sizes[n])
    print(f"{len(sizes)} modules, median {statistics.median(sizes.values()):.0f} lines, "
          f"largest {sizes[largest]} ({largest}), over 400: {len(over)} {over}")
