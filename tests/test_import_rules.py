"""The import rules of DESIGN.md: the model and the command line never load Qt; graph imports neither engine nor ui."""

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from designer import NetworkGraph, Project

PACKAGE = Path(__file__).resolve().parents[1] / "designer"


def test_import_and_headless_commands_do_not_load_qt(tmp_path):
    g = NetworkGraph()
    g.connect(g.add_layer("Input"), g.add_layer("Dense"))
    path = tmp_path / "p.nnproj"
    Project(graph=g).save(path)
    hopfield = NetworkGraph()
    hopfield.add_layer("Hopfield", name="memory", shape=(4, 4))
    memory = tmp_path / "memory.nnproj"
    Project(graph=hopfield, weights={"memory.patterns": np.ones((1, 4, 4), np.int8)}).save(memory)
    script = (
        "import sys, contextlib, io\n"
        "import designer, designer.graph, designer.analysis\n"
        "from designer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['summary', {str(path)!r}]) == 0\n"
        f"    assert main(['validate', {str(path)!r}]) == 0\n"
        "    assert main(['layers']) == 0\n"
        f"    assert main(['hopfield-recall', {str(memory)!r}, '--seed', '0', '--json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the designer modules a file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join(base + ([node.module] if node.module else [])))
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("folder, forbidden", [
    ("graph", ("designer.engine", "designer.ui", "designer.analysis", "designer.data", "PySide6", "pyqtgraph")),
    ("analysis", ("designer.ui", "PySide6", "pyqtgraph")),
])
def test_layer_imports(folder, forbidden):
    files = sorted((PACKAGE / folder).rglob("*.py"))
    assert files
    for path in files:
        for name in _imported_modules(path):
            assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_the_rule_checker_sees_relative_imports():
    names = _imported_modules(PACKAGE / "analysis" / "summary.py")
    assert "designer.graph" in names
