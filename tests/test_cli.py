"""The nn-designer command, run as a user runs it: in a subprocess, reading stdout, stderr and the exit code."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
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


def _iris_project(path, **training):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    h = g.add_layer("Dense", units=16, activation="relu")
    o = g.add_layer("Dense", units=3, activation="softmax")
    g.connect(x, h)
    g.connect(h, o)
    settings = {"loss": "cross_entropy", "optimizer": "adam", "lr": 0.01, "epochs": 40, "batch_size": 16}
    settings.update(training)
    Project(graph=g, training=settings,
            dataset={"source": "builtin", "name": "iris", "normaliser": {"method": "standardise"}}).save(path)
    return path


def test_train_saves_weights_history_and_normaliser_and_reports_json(tmp_path):
    source = _iris_project(tmp_path / "iris.nnproj")
    out = tmp_path / "trained.nnproj"
    result = run("train", source, "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["epochs"] == 40 and data["test_accuracy"] >= 0.9 and data["accuracy"] > 0.9
    assert "seconds" in data and "loss" in data
    trained = Project.load(out)
    assert set(trained.weights) == {"dense_1.W", "dense_1.b", "dense_2.W", "dense_2.b"}
    assert len(trained.history["loss"]) == 40
    assert trained.dataset["normaliser"]["method"] == "standardise" and trained.dataset["normaliser"]["offset"]
    assert Project.load(source).weights is None  # --out leaves the original alone
    assert "epoch 40/40" in result.stderr  # the progress, on stderr


def test_train_quiet_and_epochs_override(tmp_path):
    source = _iris_project(tmp_path / "iris.nnproj")
    result = run("train", source, "--epochs", "3", "--quiet", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["epochs"] == 3
    assert len(Project.load(source).history["loss"]) == 3  # saved over the input


def test_predict_prints_outputs_and_class_names(tmp_path):
    source = _iris_project(tmp_path / "iris.nnproj")
    assert run("train", source, "--quiet").returncode == 0
    result = run("predict", source, "--input", "5.1,3.5,1.4,0.2", "--input", "6.7,3.0,5.2,2.3", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["samples"]
    assert [row["class_name"] for row in rows] == ["setosa", "virginica"]
    assert all(abs(sum(row["outputs"]) - 1) < 1e-5 for row in rows)
    text = run("predict", source, "--input", "5.1,3.5,1.4,0.2").stdout
    assert "class 0 (setosa)" in text
    negative = run("predict", source, "--input", "-5.1,3.5,-1.4,0.2", "--json")  # a value, not an option
    assert negative.returncode == 0, negative.stderr
    assert len(json.loads(negative.stdout)["samples"]) == 1


def test_predict_refuses_untrained_projects_and_wrong_input_sizes(tmp_path):
    source = _iris_project(tmp_path / "iris.nnproj")
    result = run("predict", source, "--input", "1,2,3,4")
    assert (result.returncode, result.stderr.strip()) == (
        1, "nn-designer: The project has no trained weights; train it first.")
    assert run("train", source, "--quiet", "--epochs", "1").returncode == 0
    result = run("predict", source, "--input", "1,2,3")
    assert result.returncode == 1
    assert result.stderr.strip() == "nn-designer: Each input needs 4 numbers (the Input shape is (4,)), not 3."
    result = run("predict", source, "--input", "1,two,3,4")
    assert result.returncode == 1 and "numbers separated by commas" in result.stderr


def test_train_on_a_csv_given_on_the_command_line(tmp_path):
    csv = tmp_path / "points.csv"
    rows = ["x,y,label"] + [f"{i % 7},{(i * 3) % 5},{'big' if i % 7 + (i * 3) % 5 > 5 else 'small'}" for i in range(120)]
    csv.write_text("\n".join(rows) + "\n")
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2,))
    h = g.add_layer("Dense", units=8, activation="tanh")
    o = g.add_layer("Dense", units=2, activation="softmax")
    g.connect(x, h)
    g.connect(h, o)
    project = tmp_path / "p.nnproj"
    Project(graph=g, training={"optimizer": "adam", "lr": 0.05, "epochs": 30}).save(project)
    result = run("train", project, "--data", csv, "--target", "label", "--json", "--quiet")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["accuracy"] > 0.8
    assert Project.load(project).dataset["path"] == "points.csv"  # kept relative to the project


def test_train_explains_a_mismatch_between_data_and_network(tmp_path):
    source = _iris_project(tmp_path / "iris.nnproj")
    project = Project.load(source)
    project.graph.set_params(project.graph.find("input_1"), shape=(5,))
    project.save(source)
    result = run("train", source)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "nn-designer: The data set's samples have shape (4,), but input_1 expects (5,); set the Input shape to (4,)."
    )


def test_train_stops_with_a_sentence_when_the_loss_diverges(tmp_path):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1,))
    o = g.add_layer("Dense", units=1)
    g.connect(x, o)
    project = tmp_path / "sine.nnproj"
    Project(graph=g, training={"loss": "mse", "lr": 900.0, "epochs": 50},
            dataset={"source": "builtin", "name": "sine"}).save(project)
    result = run("train", project, "--quiet")
    assert result.returncode == 1
    assert result.stderr.startswith("nn-designer: The loss became ")
    assert " at epoch " in result.stderr and "; try a smaller learning rate than 900." in result.stderr
    assert Project.load(project).weights is None  # nothing half-trained was saved


def test_data_info_for_a_builtin_and_a_missing_file(tmp_path):
    result = run("data-info", "iris", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["rows"] == 150 and [c["count"] for c in info["classes"]] == [50, 50, 50]
    result = run("data-info", tmp_path / "gone.csv")
    assert result.returncode == 1 and "gone.csv" in result.stderr and "Traceback" not in result.stderr


def test_train_and_data_info_take_an_idx_images_file_with_its_labels_file(tmp_path):
    from designer.data import save_idx

    rng = np.random.default_rng(0)
    labels = np.arange(40, dtype=np.uint8) % 2
    images = (rng.random((40, 4, 4)) * 60).astype(np.uint8) + np.where(labels[:, None, None] == 1, 150, 0).astype(np.uint8)
    images_path, labels_path = tmp_path / "images-idx3-ubyte.gz", tmp_path / "labels-idx1-ubyte.gz"
    save_idx(images_path, images)
    save_idx(labels_path, labels)

    info = run("data-info", images_path, "--labels", labels_path, "--json")
    assert info.returncode == 0, info.stderr
    described = json.loads(info.stdout)
    assert (described["rows"], described["sample_shape"], described["kind"]) == (40, [1, 4, 4], "classification")

    g = NetworkGraph()
    layers = [g.add_layer("Input", shape=(1, 4, 4)), g.add_layer("Flatten"), g.add_layer("Dense", units=2, activation="softmax")]
    g.connect(layers[0], layers[1])
    g.connect(layers[1], layers[2])
    source = tmp_path / "idx.nnproj"
    Project(graph=g, training={"loss": "cross_entropy", "optimizer": "adam", "lr": 0.05, "epochs": 30}).save(source)
    result = run("train", source, "--data", images_path, "--labels", labels_path, "--quiet", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["accuracy"] == 1.0
    saved = Project.load(source).dataset
    assert (saved["source"], saved["path"], saved["labels_path"]) == ("idx", images_path.name, labels_path.name)
