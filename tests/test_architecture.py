"""Dependency rules of DESIGN §2: pure analysis, no feature importing another's views,
no import cycles."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "tools" / "check_architecture.py"


def test_architecture_rules_hold():
    result = subprocess.run([sys.executable, str(CHECKER), str(ROOT)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_views_are_thin_and_services_never_read_the_request():
    for path in (ROOT / "consult").rglob("services.py"):
        source = path.read_text()
        assert not re.search(r"\brequest\b", source), path


def test_analysis_is_pure():
    import ast

    for path in (ROOT / "consult" / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        roots = {name.split(".")[0] for name in imported}
        assert not roots & {"flask", "flask_sqlalchemy", "sqlalchemy"}, path
        assert all(not n.startswith("consult") or n.startswith("consult.analysis")
                   for n in imported), path
