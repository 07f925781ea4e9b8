"""The README stays true: its layer table is the catalogue's, its commands and its script work."""

import re
import subprocess
import sys
from pathlib import Path

from designer.graph.reference import reference_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_layer_table_matches_the_catalogue():
    match = re.search(r"<!-- layer-table:start[^>]*-->\n(.*?)\n<!-- layer-table:end -->", README, re.S)
    assert match, "the README has lost its layer table markers"
    assert match.group(1) == reference_table()


def test_the_two_commands_come_first():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    install_and_run, run_tests = blocks[:2]
    assert "pip install -e ." in install_and_run and "nn-designer" in install_and_run
    assert 'pip install -e ".[test]"' in run_tests and "python -m pytest" in run_tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install --quiet --disable-pip-version-check -e ".[test]"' in ci
    assert "QT_QPA_PLATFORM=offscreen python -m pytest" in ci


def test_example_in_the_first_command_exists():
    install_and_run = re.findall(r"```bash\n(.*?)\n```", README, re.S)[0]
    example = re.search(r"resources/\S+\.nnproj", install_and_run).group(0)
    assert (ROOT / example).is_file()


def test_scripting_example_runs_and_prints_what_it_says(tmp_path):
    code = re.search(r"## Scripting\n\n```python\n(.*?)```", README, re.S).group(1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "dense_1 needs a flat input but gets (6, 28, 28); put a Flatten before it." in result.stdout
    assert (tmp_path / "mine.nnproj").is_file()


def test_training_example_runs_and_learns_xor(tmp_path):
    code = re.search(r"## Training from a script\n\n```python\n(.*?)```", README, re.S).group(1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "'accuracy': 1.0" in result.stdout


def test_every_picture_the_readme_shows_exists():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures, "the README shows no screenshots"
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture
