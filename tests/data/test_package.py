"""The data package's import rules: no Qt, no Pillow until an image folder is loaded, nothing from graph, engine or ui."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "designer" / "data"
ALLOWED = {"numpy", "PIL"}  # PIL only inside load_image_folder


def test_importing_and_using_the_package_loads_neither_qt_nor_pillow():
    script = (
        "import sys\n"
        "from designer.data import load_builtin, describe, split\n"
        "describe(load_builtin('digits')); split(load_builtin('iris'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PIL')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_only_the_standard_library_numpy_and_pillow_are_imported():
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED or name == "__future__", f"{path.name} imports {name}"
