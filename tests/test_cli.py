"""The nn-designer command, run as a user runs it: in a subprocess, reading stdout, stderr and the exit code."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from designer import NetworkGraph, Project, __version__

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


def run(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "designer", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60,
        env=env,
    )


def headless_env():
    """The environment of a server: no display, no Qt platform chosen."""
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    return env


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


def test_without_a_display_the_window_command_says_so_in_one_sentence():
    result = run(env=headless_env())
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "nn-designer: there is no display to open the window on; the sub-commands work without one "
        "('nn-designer --help' lists them)."
    ]


def test_opening_a_missing_project_file_is_one_sentence(tmp_path):
    result = run(tmp_path / "gone.nnproj")
    assert result.returncode == 1
    assert result.stderr.strip() == "nn-designer: gone.nnproj does not exist or is not a file."


def test_the_window_opens_on_a_project_and_keeps_running(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NN_DESIGNER_CONFIG_DIR=str(tmp_path / "config"))
    process = subprocess.Popen([sys.executable, "-m", "designer", str(EXAMPLES / "lenet5.nnproj")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=4)  # still running: the window is up and idle
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert b"Traceback" not in err
    assert (tmp_path / "config").is_dir()  # the window read its settings there


def test_export_diagram_headless(tmp_path):
    out = tmp_path / "lenet.svg"
    result = run("export-diagram", EXAMPLES / "lenet5.nnproj", out, env=headless_env())
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    for name in ("input_1", "conv2d_1", "avgpool2d_2", "dense_3"):
        assert name in text


def test_export_diagram_refuses_an_unknown_format(tmp_path):
    result = run("export-diagram", EXAMPLES / "lenet5.nnproj", tmp_path / "x.gif", env=headless_env())
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "nn-designer: x.gif: diagrams are saved as SVG, PNG or PDF; choose one of those endings."
    )


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
