"""The `neurons` diagram style: a chain of Dense layers drawn as neurons and connections, read back from the files."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from designer import NetworkGraph, Project
from designer.ui import neurons_diagram as nd
from designer.ui.diagram import MARGIN, DiagramError, export_diagram
from designer.ui.neurons_diagram import export_neurons, neuron_columns

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def chain(sizes, activations, use_bias=True) -> Project:
    """Input(sizes[0]) -> Dense(sizes[1]) -> ... as a project, the layers named input_1, dense_1, dense_2, ..."""
    graph = NetworkGraph()
    previous = graph.add_layer("Input", shape=(sizes[0],))
    for units, activation in zip(sizes[1:], activations):
        layer = graph.add_layer("Dense", units=units, activation=activation, use_bias=use_bias)
        graph.connect(previous, layer)
        previous = layer
    return Project(graph=graph)


def xor() -> Project:
    return chain([2, 2, 1], ["sigmoid", "sigmoid"])


class Drawing:
    """What an SVG file draws: circles, lines (each with its group's stroke) and texts."""

    def __init__(self, path: Path) -> None:
        root = ET.parse(path).getroot()
        self.circles: list[dict] = []
        self.lines: list[dict] = []
        self.texts: list[str] = []
        for group in root.iter():
            for child in group:
                tag = child.tag.rsplit("}", 1)[-1]
                style = {**group.attrib, **child.attrib}
                if tag == "circle":
                    self.circles.append(style)
                elif tag == "polyline":
                    self.lines.append(style)
                elif tag == "text":
                    self.texts.append("".join(child.itertext()).strip())

    def neurons(self) -> list[dict]:
        return [c for c in self.circles if float(c["r"]) == nd.RADIUS]

    def dots(self) -> list[dict]:
        return [c for c in self.circles if float(c["r"]) < nd.RADIUS]

    def strokes(self) -> list[str]:
        return [line["stroke"].lower() for line in self.lines]


def draw(project: Project, tmp_path: Path, name: str = "net.svg", **options) -> Drawing:
    path = tmp_path / name
    export_neurons(project, path, **options)
    return Drawing(path)


def test_the_2_2_1_network_has_its_neurons_bias_units_connections_and_captions(qapp, tmp_path):
    drawing = draw(xor(), tmp_path)
    fills = [c["fill"].lower() for c in drawing.neurons()]
    assert len(fills) == 5 + 2  # 2 inputs, 2 hidden, 1 output, and a "+1" unit on top of the input and hidden columns
    assert fills.count(nd.FILLS["bias"].name()) == 2 and drawing.texts.count("+1") == 2
    assert fills.count(nd.FILLS["input"].name()) == 2
    assert fills.count(nd.FILLS["hidden"].name()) == 2
    assert fills.count(nd.FILLS["output"].name()) == 1
    assert len(drawing.lines) == 2 * 2 + 2 * 1 + (2 + 1)  # every connection, and the bias units' into the next layer
    assert set(drawing.strokes()) == {nd.PLAIN_LINE.name()}  # no weights: plain lines
    for caption in ("input 2", "input_1", "hidden 2 sigmoid", "dense_1", "output 1 sigmoid", "dense_2"):
        assert caption in drawing.texts
    assert not drawing.dots()  # nothing truncated


def test_without_bias_units_only_the_neurons_and_their_connections_are_drawn(qapp, tmp_path):
    drawing = draw(xor(), tmp_path, bias=False)
    assert len(drawing.neurons()) == 5 and "+1" not in drawing.texts
    assert len(drawing.lines) == 6


def test_a_layer_without_bias_gets_no_bias_unit(qapp, tmp_path):
    project = xor()
    graph = project.graph
    graph.set_params(graph.find("dense_2"), use_bias=False)
    drawing = draw(project, tmp_path)
    assert drawing.texts.count("+1") == 1  # only the input column's, which feeds dense_1
    assert len(drawing.lines) == 6 + 2


def test_weights_colour_the_lines_by_sign_and_size_them_by_magnitude(qapp, tmp_path):
    project = xor()
    project.weights = {
        "dense_1.W": np.array([[1.0, -2.0], [0.5, -0.25]], dtype=np.float32),
        "dense_1.b": np.array([0.1, -0.1], dtype=np.float32),
        "dense_2.W": np.array([[3.0], [-1.5]], dtype=np.float32),
        "dense_2.b": np.array([0.5], dtype=np.float32),
    }
    drawing = draw(project, tmp_path)
    strokes = drawing.strokes()
    positive, negative = nd.POSITIVE.name(), nd.NEGATIVE.name()
    assert set(strokes) == {positive, negative}
    assert strokes.count(positive) == 5 and strokes.count(negative) == 4  # 1, .5, .1, 3, .5 against -2, -.25, -.1, -1.5

    def width(w, largest):
        return nd.MIN_WIDTH + (nd.MAX_WIDTH - nd.MIN_WIDTH) * abs(w) / largest

    expected = sorted([width(w, 2.0) for w in (1.0, -2.0, 0.5, -0.25, 0.1, -0.1)]
                      + [width(w, 3.0) for w in (3.0, -1.5, 0.5)])
    widths = sorted(float(line["stroke-width"]) for line in drawing.lines)
    assert widths == pytest.approx(expected, abs=1e-3)
    # the largest weight of each layer is the thickest line, whatever its sign
    thickest = [line["stroke"].lower() for line in drawing.lines
                if float(line["stroke-width"]) == pytest.approx(nd.MAX_WIDTH)]
    assert sorted(thickest) == sorted([negative, positive])  # -2 in dense_1, 3 in dense_2
    assert any("positive" in text for text in drawing.texts)  # the legend says what the colours mean


def test_weights_that_do_not_fit_the_layer_are_not_drawn(qapp, tmp_path):
    project = xor()
    project.weights = {"dense_1.W": np.ones((3, 2), dtype=np.float32)}  # the layer takes 2 inputs, not 3
    drawing = draw(project, tmp_path)
    assert set(drawing.strokes()) == {nd.PLAIN_LINE.name()}
    assert not any("positive" in text for text in drawing.texts)


def test_a_100_unit_layer_is_truncated_with_an_ellipsis(qapp, tmp_path):
    project = chain([100, 16, 10], ["relu", "softmax"])
    drawing = draw(project, tmp_path)
    shown = 2 * nd.SHOWN_AT_EACH_END
    assert len(drawing.neurons()) == shown + shown + 10 + 2  # input and hidden truncated, the output whole, 2 bias units
    assert len(drawing.dots()) == 2 * 3  # a vertical ellipsis of three dots in each truncated column
    assert len(drawing.lines) == shown * shown + shown * 10 + shown + 10
    for caption in ("input 100", "hidden 16 relu", "output 10 softmax"):  # captions keep the true counts
        assert caption in drawing.texts
    columns = neuron_columns(project)
    assert columns[0].shown() == [0, 1, 2, 3, 4, None, 95, 96, 97, 98, 99]
    assert columns[2].shown() == list(range(10))


def test_activation_dropout_and_flatten_layers_become_captions(qapp, tmp_path):
    graph = NetworkGraph()
    x = graph.add_layer("Input", shape=(1, 4, 4))
    f = graph.add_layer("Flatten")
    h = graph.add_layer("Dense", units=8)
    a = graph.add_layer("Activation", function="tanh")
    d = graph.add_layer("Dropout", rate=0.25)
    y = graph.add_layer("Dense", units=3, activation="softmax")
    for src, dst in zip([x, f, h, a, d], [f, h, a, d, y]):
        graph.connect(src, dst)
    drawing = draw(Project(graph=graph), tmp_path)
    for caption in ("input 16", "input_1, flattened from (1, 4, 4)", "hidden 8 tanh", "dense_1, dropout 0.25",
                    "output 3 softmax", "dense_2"):
        assert caption in drawing.texts
    assert len(drawing.neurons()) == 2 * nd.SHOWN_AT_EACH_END + 8 + 3 + 2  # 16 inputs are more than MAX_SHOWN


def refused(project: Project, tmp_path: Path) -> str:
    path = tmp_path / "refused.svg"
    with pytest.raises(DiagramError) as error:
        export_neurons(project, path)
    assert not path.exists()
    sentence = str(error.value)
    assert sentence.endswith(".") and ". " not in sentence, sentence
    return sentence


def test_a_conv2d_network_is_refused_in_one_sentence(qapp, tmp_path):
    graph = NetworkGraph()
    x = graph.add_layer("Input", shape=(1, 8, 8))
    c = graph.add_layer("Conv2D", filters=2)
    f = graph.add_layer("Flatten")
    d = graph.add_layer("Dense", units=3)
    for src, dst in zip([x, c, f], [c, f, d]):
        graph.connect(src, dst)
    assert refused(Project(graph=graph), tmp_path) == (
        "The neurons style draws chains of Dense layers; conv2d_1 is a Conv2D.")


def branched() -> Project:
    project = chain([4, 3], ["relu"])
    graph = project.graph
    extra = graph.add_layer("Dense", units=2)
    graph.connect(graph.find("input_1"), extra)
    return project


def two_inputs() -> Project:
    project = chain([4, 3], ["relu"])
    project.graph.add_layer("Input", shape=(2,))
    return project


def broken() -> Project:
    project = xor()
    project.graph.add_layer("Dense")  # nothing wired into it
    return project


@pytest.mark.parametrize("make, reason", [
    (lambda: Project(), "this network is empty"),
    (lambda: chain([4], []), "this network has no Dense layer"),
    (branched, "input_1 feeds 2 layers"),
    (two_inputs, "this network has 2 Inputs (input_1, input_2)"),
    (broken, "dense_3 is not on the chain from input_1"),
])
def test_what_is_not_a_chain_of_dense_layers_is_refused_with_the_reason(qapp, tmp_path, make, reason):
    assert refused(make(), tmp_path) == f"The neurons style draws chains of Dense layers; {reason}."


def test_a_chain_with_a_problem_is_refused_with_the_problem(qapp, tmp_path):
    project = chain([4, 3], ["relu"])
    project.graph.set_params(project.graph.find("dense_1"), units=0)
    graph = NetworkGraph()
    graph.connect(graph.add_layer("Input", shape=(3, 4)), graph.add_layer("Dense", units=2))  # needs a Flatten
    for project in (project, Project(graph=graph)):
        problem = project.graph.validate()[0].message
        assert problem.startswith("dense_1")
        assert refused(project, tmp_path) == f"The network cannot be drawn until it can be compiled: {problem}"


def test_png_and_pdf_come_from_the_same_drawing(qapp, tmp_path):
    project = chain([4, 8, 8, 3], ["relu", "relu", "softmax"])
    rng = np.random.default_rng(0)
    project.weights = {f"dense_{i + 1}.W": rng.normal(size=(a, b)).astype(np.float32)
                       for i, (a, b) in enumerate([(4, 8), (8, 8), (8, 3)])}
    export_neurons(project, tmp_path / "net.png")
    image = QImage(str(tmp_path / "net.png"))
    assert not image.isNull() and image.pixelColor(2, 2).name() == "#ffffff"
    scene = nd.neurons_scene(project)
    drawing = scene.itemsBoundingRect()
    assert (image.width(), image.height()) == (int((drawing.width() + 2 * MARGIN) * 2),
                                               int((drawing.height() + 2 * MARGIN) * 2))
    colours = {image.pixel(x, y) & 0xFFFFFF for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    for colour in (nd.POSITIVE, nd.NEGATIVE, nd.FILLS["input"], nd.FILLS["hidden"], nd.FILLS["output"]):
        assert colour.rgb() & 0xFFFFFF in colours
    export_neurons(project, tmp_path / "net.pdf")
    data = (tmp_path / "net.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    with pytest.raises(DiagramError, match=r"^net\.gif: diagrams are saved as SVG, PNG or PDF"):
        export_neurons(project, tmp_path / "net.gif")


def test_the_window_exports_either_style(make_window, tmp_path):
    window = make_window(xor())
    window.export_diagram(tmp_path / "neurons.svg", style="neurons")
    assert "hidden 2 sigmoid" in Drawing(tmp_path / "neurons.svg").texts
    window.export_diagram(tmp_path / "graph.svg")
    assert "hidden 2 sigmoid" not in Drawing(tmp_path / "graph.svg").texts
    assert "dense_1" in Drawing(tmp_path / "graph.svg").texts
    with pytest.raises(DiagramError, match="^'boxes' is not a diagram style; choose graph or neurons.$"):
        export_diagram(window.project, tmp_path / "x.svg", "boxes")


def headless_env() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    return env


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "designer", *map(str, args)], capture_output=True, text=True,
                          timeout=60, env=headless_env())


def test_the_command_line_draws_the_neurons_style_headless(tmp_path):
    project = chain([3, 4, 1], ["sigmoid", "sigmoid"])
    project.weights = {"dense_1.W": np.full((3, 4), -0.5, dtype=np.float32)}
    project.save(tmp_path / "net.nnproj")
    result = run("export-diagram", tmp_path / "net.nnproj", tmp_path / "net.svg", "--style", "neurons")
    assert result.returncode == 0, result.stderr
    drawing = Drawing(tmp_path / "net.svg")
    assert {"input 3", "hidden 4 sigmoid", "output 1 sigmoid"} <= set(drawing.texts)
    assert len(drawing.neurons()) == 3 + 4 + 1 + 2
    assert drawing.strokes().count(nd.NEGATIVE.name()) == 3 * 4  # the saved weights travel with the project
    # the default is still the canvas drawing
    result = run("export-diagram", tmp_path / "net.nnproj", tmp_path / "graph.svg")
    assert result.returncode == 0, result.stderr
    assert "input 3" not in Drawing(tmp_path / "graph.svg").texts


def test_the_command_line_refuses_a_cnn_in_one_sentence(tmp_path):
    result = run("export-diagram", EXAMPLES / "lenet5.nnproj", tmp_path / "lenet.svg", "--style", "neurons")
    assert result.returncode == 1
    assert result.stderr.strip() == "nn-designer: The neurons style draws chains of Dense layers; conv2d_1 is a Conv2D."
    assert not (tmp_path / "lenet.svg").exists()
    result = run("export-diagram", EXAMPLES / "lenet5.nnproj", tmp_path / "lenet.svg", "--style", "boxes")
    assert result.returncode == 2 and "invalid choice" in result.stderr
