"""The nn-designer command, run as a user runs it: in a subprocess, reading stdout, stderr and the exit code."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from designer import NetworkGraph, Project, __version__

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "designer", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60
    )


@pytest.fixture
def mlp_file(tmp_path):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    h = g.add_layer("Dense", units=8, activation="relu")
    y = g.add_layer("Dense", units=3, activation="softmax")
    g.connect(x, h)
    g.connect(h, y)
    path = tmp_path / "iris_mlp.nnproj"
    Project(graph=g, title="Iris MLP").save(path)
    return path


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"nn-designer {__version__}"


def test_no_arguments_prints_a_one_line_hint():
    result = run()
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) == 1
    assert "nn-designer summary" in result.stdout


def test_summary_table(mlp_file):
    result = run("summary", mlp_file)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'Model: "Iris MLP"' in out
    # 4*8 + 8 = 40 and 8*3 + 3 = 27 parameters
    assert "dense_1 (Dense)" in out and "(8,)" in out and "40" in out
    assert "dense_2 (Dense)" in out and "27" in out
    assert "Total params: 67" in out
    assert "Training memory" not in out


def test_summary_json_keys_and_numbers(mlp_file):
    result = run("summary", mlp_file, "--json", "--batch-size", "10", "--optimizer", "adam")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("layers", "total_params", "trainable_params", "mult_adds", "activations",
                "param_bytes", "activation_bytes", "training_bytes"):
        assert key in data
    assert [row["name"] for row in data["layers"]] == ["input_1", "dense_1", "dense_2"]
    assert data["total_params"] == 67
    assert data["mult_adds"] == 4 * 8 + 8 * 3
    assert data["activations"] == 4 + 8 + 3
    # weights + grads + two Adam slots, plus 15 activations for each of 10 samples, 4 bytes each
    assert data["training_bytes"] == (67 * 4 + 15 * 10) * 4


def test_summary_json_without_batch_has_no_training_bytes(mlp_file):
    data = json.loads(run("summary", mlp_file, "--json").stdout)
    assert "training_bytes" not in data


def test_summary_of_published_examples():
    expected = {"keras_mnist_cnn.nnproj": 1_199_882, "vgg16.nnproj": 138_357_544, "lenet5.nnproj": 61_706}
    for filename, params in expected.items():
        result = run("summary", EXAMPLES / filename, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["total_params"] == params


def test_validate_ok(mlp_file):
    result = run("validate", mlp_file)
    assert (result.returncode, result.stdout.strip()) == (0, "ok")


def test_validate_prints_problems_and_exits_1(tmp_path):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(16, 5, 5))
    d = g.add_layer("Dense", units=10)
    g.connect(x, d)
    path = tmp_path / "bad.nnproj"
    Project(graph=g).save(path)
    result = run("validate", path)
    assert result.returncode == 1
    assert result.stdout.strip() == "dense_1 needs a flat input but gets (16, 5, 5); put a Flatten before it."


@pytest.mark.parametrize("command", ["summary", "validate"])
def test_missing_file_is_one_sentence_exit_1(tmp_path, command):
    result = run(command, tmp_path / "nowhere.nnproj")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "nn-designer: nowhere.nnproj does not exist or is not a file."


@pytest.mark.parametrize("command", ["summary", "validate"])
def test_damaged_file_is_one_sentence_exit_1(tmp_path, command):
    path = tmp_path / "foreign.nnproj"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("document.xml", "<x/>")
    result = run(command, path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == ["nn-designer: foreign.nnproj is not a NN Designer project (no project.json inside)."]


@pytest.mark.parametrize("args", [["summary"], ["frobnicate"], ["summary", "x.nnproj", "--batch-size", "0"],
                                  ["summary", "x.nnproj", "--optimizer", "lbfgs"]])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage:" in result.stderr


def test_layers_lists_every_kind():
    from designer.graph import CATALOGUE

    result = run("layers")
    assert result.returncode == 0
    for kind in CATALOGUE:
        assert f"| {kind} |" in result.stdout
