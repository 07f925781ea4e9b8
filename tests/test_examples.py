"""The example projects in resources/examples.

Every one loads, validates, is laid out by the app's auto layout and is
exactly what build.py makes; every trainable one trains through the
`nn-designer train` command to the result its description promises.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from designer import Project, compile_graph
from designer.analysis.summary import summary
from designer.cli import main as cli
from designer.data import DatasetSpec
from designer.engine.settings import TrainingSettings
from designer.graph import graph_to_data
from designer.graph.layout import layered_layout

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


def _load_build_script():
    spec = importlib.util.spec_from_file_location("nn_designer_examples_build", EXAMPLES / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()
NAMES = list(build.EXAMPLES)


def load(name: str) -> Project:
    return Project.load(EXAMPLES / name)


def has_layer(project: Project, kind: str) -> bool:
    return any(layer.kind == kind for layer in project.graph.layers())


# --- every example -------------------------------------------------------------------------------

def test_the_folder_holds_exactly_the_examples_build_makes_in_its_order():
    assert sorted(p.name for p in EXAMPLES.glob("*.nnproj")) == sorted(NAMES)
    assert json.loads((EXAMPLES / build.INDEX).read_text()) == NAMES
    for expected in ("perceptron.nnproj", "gender.nnproj", "xor.nnproj", "digits_mlp.nnproj",
                     "digits_lenet.nnproj", "keras_mnist_cnn.nnproj", "vgg16.nnproj", "lenet5.nnproj",
                     "edge_detection.nnproj", "residual_mlp.nnproj", "elman_sine.nnproj", "rbf_sine.nnproj",
                     "spirals.nnproj"):
        assert expected in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_example_loads_validates_and_is_ready(name):
    project = load(name)
    assert project.graph.validate() == []
    assert project.title and len(project.description) > 150
    assert len(project.graph) >= 1
    if project.training is not None:
        TrainingSettings.from_dict(project.training)
    if project.dataset is not None:
        spec = DatasetSpec.from_dict(project.dataset)
        if spec.source in ("builtin", "images"):  # IDX files are the user's to point to
            data = spec.load(EXAMPLES)
            assert data.sample_shape == compile_graph(project.graph).input_shape


@pytest.mark.parametrize("name", NAMES)
def test_example_is_laid_out_by_the_auto_layout(name):
    graph = load(name).graph
    positions = layered_layout(graph)
    if name == "residual_mlp.nnproj":  # the same columns, with the block's branch a row lower than its skip wire
        assert {node: graph.pos(node)[0] for node in graph.nodes()} == {n: p[0] for n, p in positions.items()}
        assert len({graph.pos(node)[1] for node in graph.nodes()}) == 2
    else:
        assert {node: tuple(graph.pos(node)) for node in graph.nodes()} == {n: tuple(p) for n, p in positions.items()}


@pytest.mark.parametrize("name", NAMES)
def test_build_script_makes_the_shipped_file_again(name):
    shipped, made = load(name), build.EXAMPLES[name]()
    assert json.dumps(made.to_document(), sort_keys=True) == json.dumps(shipped.to_document(), sort_keys=True)
    assert json.dumps(graph_to_data(made.graph)) == json.dumps(graph_to_data(shipped.graph))
    assert sorted(made.weights or {}) == sorted(shipped.weights or {})
    for key, array in (made.weights or {}).items():
        np.testing.assert_array_equal(np.asarray(array), shipped.weights[key])


def test_build_script_makes_the_shipped_assets_again():
    from PIL import Image

    for name, make in build.ASSETS.items():
        path = EXAMPLES / name
        if path.suffix == ".png":  # compared by pixels: another zlib may pack the same pixels differently
            with Image.open(path) as image:
                np.testing.assert_array_equal(np.asarray(image.convert("RGB")), build.shapes_image())
        else:
            assert path.read_bytes() == make()


@pytest.mark.parametrize("name, params", [
    ("keras_mnist_cnn.nnproj", 1_199_882), ("vgg16.nnproj", 138_357_544), ("lenet5.nnproj", 61_706),
])
def test_published_parameter_counts(name, params):
    assert summary(load(name).graph).total_params == params


def test_the_mnist_examples_say_where_their_data_comes_from():
    for name in ("keras_mnist_cnn.nnproj", "lenet5.nnproj"):
        project = load(name)
        assert project.dataset is None and project.training is not None
        assert "MNIST" in project.description and "idx" in project.description.lower()


# --- training through the command line ----------------------------------------------------------

def train(name: str, tmp_path: Path, capsys) -> tuple[dict, Path]:
    out = tmp_path / name
    capsys.readouterr()
    assert cli(["train", str(EXAMPLES / name), "--out", str(out), "--json", "--quiet"]) == 0
    return json.loads(capsys.readouterr().out), out


def predict(path: Path, capsys, *samples: str) -> list[float]:
    capsys.readouterr()
    assert cli(["predict", str(path), *(f"--input={s}" for s in samples), "--json"]) == 0
    return [row["outputs"][0] for row in json.loads(capsys.readouterr().out)["samples"]]


def check_perceptron(result, out, capsys):
    assert result["epochs"] == 10_000 and result["loss"] < 1e-3
    assert predict(out, capsys, "1,0,0")[0] > 0.99


def check_gender(result, out, capsys):
    assert result["epochs"] == 1000 and result["loss"] < 0.01
    emily, frank = predict(out, capsys, "47,11", "-23,-5")
    assert emily > 0.9 and frank < 0.1


def check_xor(result, out, capsys):
    assert result["accuracy"] == 1.0
    outputs = predict(out, capsys, "0,0", "0,1", "1,0", "1,1")
    assert [round(v) for v in outputs] == [0, 1, 1, 0]


# name: (what the description promises, in its words; the check)
TRAINED = {
    "perceptron.nnproj": ("above 0.99", check_perceptron),
    "gender.nnproj": ("above 0.9", check_gender),
    "xor.nnproj": ("100% accuracy", check_xor),
    "digits_mlp.nnproj": ("at least 95%", lambda r, o, c: r["test_accuracy"] >= 0.95 or pytest.fail(str(r))),
    "digits_lenet.nnproj": ("at least 97%", lambda r, o, c: r["test_accuracy"] >= 0.97 or pytest.fail(str(r))),
    "spirals.nnproj": ("about 100%", lambda r, o, c: r["test_accuracy"] >= 0.97 or pytest.fail(str(r))),
    "residual_mlp.nnproj": ("about 97%", lambda r, o, c: r["test_accuracy"] >= 0.95 or pytest.fail(str(r))),
    "rbf_sine.nnproj": ("near 0.013", lambda r, o, c: r["test_loss"] < 0.02 or pytest.fail(str(r))),
    "elman_sine.nnproj": ("below 0.001", lambda r, o, c: r["test_loss"] < 0.001 or pytest.fail(str(r))),
}


def test_every_trainable_example_has_its_result_checked():
    trainable = [name for name in NAMES
                 if (p := load(name)).dataset is not None and p.training is not None and not has_layer(p, "Hopfield")]
    assert sorted(trainable) == sorted(TRAINED)


@pytest.mark.parametrize("name", list(TRAINED))
def test_example_trains_through_the_cli_to_its_promised_result(name, tmp_path, capsys):
    promise, check = TRAINED[name]
    assert promise in load(name).description
    result, out = train(name, tmp_path, capsys)
    assert (result.get("test_accuracy") is not None) == (load(name).dataset["split"]["test"] > 0
                                                          and result["accuracy"] is not None)
    check(result, out, capsys)
    trained = Project.load(out)
    assert trained.weights and trained.history
    assert (EXAMPLES / name).read_bytes() != out.read_bytes()


def test_the_command_itself_trains_an_example(tmp_path):
    out = tmp_path / "xor.nnproj"
    process = subprocess.run(
        [sys.executable, "-m", "designer", "train", str(EXAMPLES / "xor.nnproj"), "--out", str(out), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout.strip().splitlines()[-1])["accuracy"] == 1.0


# --- the edge detector ---------------------------------------------------------------------------

def test_edge_detector_filters_show_the_edges_of_its_picture():
    project = load("edge_detection.nnproj")
    data = DatasetSpec.from_dict(project.dataset).load(EXAMPLES)
    assert data.X.shape == (1, 3, 120, 160)
    model = compile_graph(project.graph)
    assert model.set_weights(project.weights) == []
    vertical, horizontal = model.forward(data.X)[0]
    # flat sky, far from any shape and from the border: mid-grey in both maps
    assert vertical[12, 70] == pytest.approx(0.5, abs=0.01) and horizontal[12, 70] == pytest.approx(0.5, abs=0.01)
    # the house's left wall (x = 22, red on sky: darker to the right) is a vertical edge only
    assert vertical[75, 20:25].min() < 0.1 and abs(horizontal[75, 22] - 0.5) < 0.05
    # the horizon (y = 88, sky above grass: darker below) is a horizontal edge only
    assert horizontal[86:91, 150].min() < 0.1 and abs(vertical[88, 150] - 0.5) < 0.05
