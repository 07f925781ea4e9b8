"""The `neurons` diagram style: a small dense network drawn the textbook way.

Each neuron is a circle in its layer's column (the Input's features, then
each Dense layer's units), every connection a line between consecutive
columns, and, unless turned off, a bias unit (a circle marked "+1") at the
top of each column whose next layer uses a bias, wired to that layer's
neurons. Captions under the columns say what they are: "input 3",
"hidden 4 sigmoid", "output 1", with the layer's name (and any dropout or
flattening) on a second line. When the project holds trained weights
(`project.weights["<layer>.W"]`, shape (in, out), and `"<layer>.b"`), a
line's colour is the weight's sign (blue positive, red negative) and its
width is |w| relative to the largest |w| of that layer; without them every
line is a thin grey. A layer with more than MAX_SHOWN units shows its first
and last few neurons with a vertical ellipsis between (its caption keeps the
true count).

It draws chains: one Input (features, or anything a Flatten turns into
features), then Dense layers, with Activation, Dropout and Flatten layers
allowed in between (they become words in the captions). Anything else is
refused with one sentence, as a DiagramError. The drawing is a
QGraphicsScene, written to SVG, PNG or PDF by `diagram.export_scene`, the
same code that writes the canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsScene, QGraphicsSimpleTextItem

from ..graph import Project, format_shape
from .diagram import DiagramError, check_format, export_scene

MAX_SHOWN = 12  # a layer with more units is drawn truncated
SHOWN_AT_EACH_END = 5  # ... as its first and last five neurons with an ellipsis between
RADIUS = 14.0
ROW = 40.0  # between the centres of neighbouring neurons
COLUMN_GAP = 170.0
DOT_RADIUS = 2.2  # the dots of the ellipsis
CAPTION_PIXELS, SUBCAPTION_PIXELS = 13, 11
PASS_THROUGH = ("Activation", "Dropout", "Flatten")

FILLS = {"input": QColor("#d5ecdf"), "hidden": QColor("#d8e3f3"), "output": QColor("#f7e0c6"),
         "bias": QColor("#ffffff")}
STROKES = {"input": QColor("#3f9b6c"), "hidden": QColor("#4a78b5"), "output": QColor("#d0822f"),
           "bias": QColor("#8a9099")}
POSITIVE = QColor("#2f6fdb")
NEGATIVE = QColor("#d1342f")
PLAIN_LINE = QColor("#9aa3ad")
TEXT = QColor("#1f2328")
MUTED_TEXT = QColor("#5d6670")
MIN_WIDTH, MAX_WIDTH = 0.4, 3.2  # line widths for |w| = 0 and the layer's largest |w|


@dataclass
class Column:
    """One column of neurons: the Input's features or a Dense layer's units."""

    role: str  # "input", "hidden" or "output"
    name: str  # the Input's or the Dense layer's name
    units: int
    activations: list[str] = field(default_factory=list)  # "sigmoid", ... said after the count
    notes: list[str] = field(default_factory=list)  # "dropout 0.5", "flattened from (1, 28, 28)"
    use_bias: bool = False  # a Dense column whose neurons add a bias (fed by a "+1" unit on the column before)
    weights: np.ndarray | None = None  # (units of the column before, units), for a Dense column
    bias_weights: np.ndarray | None = None  # (units,)

    @property
    def caption(self) -> str:
        return " ".join([self.role, str(self.units), *self.activations])

    @property
    def subcaption(self) -> str:
        return ", ".join([self.name, *self.notes])

    def shown(self) -> list[int | None]:
        """The unit index drawn in each slot, top to bottom; None is the ellipsis of a truncated column."""
        if self.units <= MAX_SHOWN:
            return list(range(self.units))
        return (list(range(SHOWN_AT_EACH_END)) + [None]
                + list(range(self.units - SHOWN_AT_EACH_END, self.units)))


def _refuse(reason: str) -> DiagramError:
    return DiagramError(f"The neurons style draws chains of Dense layers; {reason}.")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "AEIOU" or kind == "RBF" else f"a {kind}"


def neuron_columns(project: Project) -> list[Column]:
    """The columns to draw, input first; DiagramError (one sentence) when the network is no chain of Dense layers."""
    graph = project.graph
    nodes = graph.nodes()
    if not nodes:
        raise _refuse("this network is empty")
    for node_id in nodes:
        kind = graph.kind(node_id)
        if kind not in ("Input", "Dense", *PASS_THROUGH):
            raise _refuse(f"{graph.name(node_id)} is {_a(kind)}")
    inputs = [n for n in nodes if graph.kind(n) == "Input"]
    if len(inputs) != 1:
        names = ", ".join(graph.name(n) for n in inputs)
        raise _refuse("this network has no Input" if not inputs else f"this network has {len(inputs)} Inputs ({names})")
    chain = [inputs[0]]
    while True:
        outputs = graph.outputs(chain[-1])
        if not outputs:
            break
        if len(outputs) > 1:
            raise _refuse(f"{graph.name(chain[-1])} feeds {len(outputs)} layers")
        following = outputs[0].dst
        if following in chain:
            raise _refuse(f"{graph.name(following)} is on a loop")
        if len(graph.inputs(following)) > 1:
            raise _refuse(f"{graph.name(following)} takes {len(graph.inputs(following))} inputs")
        chain.append(following)
    stray = next((n for n in nodes if n not in chain), None)
    if stray is not None:
        raise _refuse(f"{graph.name(stray)} is not on the chain from {graph.name(inputs[0])}")
    if not any(graph.kind(n) == "Dense" for n in chain):
        raise _refuse("this network has no Dense layer")
    problems = graph.validate()
    if problems:
        message = problems[0].message
        message = message[0].lower() + message[1:] if message.startswith("The ") else message
        raise DiagramError(f"The network cannot be drawn until it can be compiled: {message.rstrip('.')}.")
    return _columns(project, chain)


def _columns(project: Project, chain: list[str]) -> list[Column]:
    graph = project.graph
    shapes = graph.infer_shapes()
    weights = project.weights or {}
    dense_ids = [n for n in chain if graph.kind(n) == "Dense"]
    fed = shapes[graph.inputs(dense_ids[0])[0].src]  # what the first Dense layer sees of a sample
    if fed is None or len(fed) != 1:
        raise _refuse(f"{graph.name(chain[0])} gives {format_shape(fed) if fed else 'an unknown shape'} per sample "
                      f"to {graph.name(dense_ids[0])}, not a row of features (a Flatten makes one)")
    columns = [Column("input", graph.name(chain[0]), int(fed[0]))]
    for node_id in chain[1:]:
        kind, params, name = graph.kind(node_id), graph.params(node_id), graph.name(node_id)
        column = columns[-1]
        if kind == "Flatten":
            source = shapes[graph.inputs(node_id)[0].src]
            if source is not None and len(source) != 1:
                column.notes.append(f"flattened from {format_shape(source)}")
        elif kind == "Dropout":
            column.notes.append(f"dropout {params.get('rate', 0.5):g}")
        elif kind == "Activation":
            if params.get("function", "linear") != "linear":
                column.activations.append(str(params["function"]))
        else:  # Dense
            units = int(shapes[node_id][-1])
            dense = Column("output" if node_id == dense_ids[-1] else "hidden", name, units,
                           use_bias=bool(params.get("use_bias", True)))
            if params.get("activation", "linear") != "linear":
                dense.activations.append(str(params["activation"]))
            dense.weights = _array(weights.get(f"{name}.W"), (column.units, units))
            if dense.use_bias:
                dense.bias_weights = _array(weights.get(f"{name}.b"), (units,))
            columns.append(dense)
    return columns


def _array(value, shape: tuple[int, ...]) -> np.ndarray | None:
    """The weights as floats if they have the shape the layer needs, else None (the lines are drawn plain)."""
    if not isinstance(value, np.ndarray) or value.shape != shape or not np.issubdtype(value.dtype, np.number):
        return None
    return np.nan_to_num(value.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)


# --- drawing -------------------------------------------------------------------------------------------


class NeuronsDrawing:
    """The scene of a neurons drawing, with its connection lines at hand so that new weights can recolour them
    (the live view does, as training runs) without drawing it all again."""

    def __init__(self, project: Project, bias: bool = True) -> None:
        self.columns = neuron_columns(project)
        self.scene = QGraphicsScene()
        self.lines: list[tuple[int, int | None, int, QGraphicsLineItem]] = []  # column, i (None: the +1), j, line
        self.legend: list[QGraphicsItem] = []
        columns, scene = self.columns, self.scene
        tallest = max(len(column.shown()) for column in columns)
        self._caption_y = (tallest - 1) / 2 * ROW + RADIUS + 14
        self._xs = xs = _column_xs(columns)
        centres: list[dict[int, QPointF]] = []
        for c, column in enumerate(columns):
            slots = column.shown()
            placed = {}
            for s, unit in enumerate(slots):
                y = (s - (len(slots) - 1) / 2) * ROW
                if unit is None:
                    _ellipsis(scene, xs[c], y)
                else:
                    placed[unit] = QPointF(xs[c], y)
            centres.append(placed)
        for c, column in enumerate(columns):
            for centre in centres[c].values():
                _neuron(scene, centre, column.role)
            _caption(scene, xs[c], self._caption_y, column.caption, column.subcaption)
            if c == 0:
                continue
            for j, end in centres[c].items():
                for i, start in centres[c - 1].items():
                    self.lines.append((c, i, j, _line(scene, start, end)))
            if bias and column.use_bias:  # the "+1" sits on top of the column before
                unit = QPointF(xs[c - 1], -(len(columns[c - 1].shown()) - 1) / 2 * ROW - ROW * 1.25)
                _neuron(scene, unit, "bias", "+1")
                for j, end in centres[c].items():
                    self.lines.append((c, None, j, _line(scene, unit, end)))
        self._colour()

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Recolour the lines from these weights (keyed "<layer>.W" and "<layer>.b", as a project keeps them)."""
        for column, before in zip(self.columns[1:], self.columns):
            column.weights = _array(weights.get(f"{column.name}.W"), (before.units, column.units))
            column.bias_weights = _array(weights.get(f"{column.name}.b"), (column.units,)) if column.use_bias else None
        self._colour()

    def _colour(self) -> None:
        largest = [_largest(column) for column in self.columns]
        for c, i, j, line in self.lines:
            column = self.columns[c]
            values = column.weights if i is not None else column.bias_weights
            weight = None if values is None else (values[i, j] if i is not None else values[j])
            line.setPen(_pen(weight, largest[c]))
        weighted = any(column.weights is not None or column.bias_weights is not None for column in self.columns)
        if weighted and not self.legend:
            self.legend = _legend(self.scene, self._xs[-1] / 2, self._caption_y + 44)
        for item in self.legend:
            item.setVisible(weighted)


def neurons_scene(project: Project, bias: bool = True) -> QGraphicsScene:
    """The network drawn as neurons and connections (DiagramError if it is not a chain of Dense layers)."""
    return NeuronsDrawing(project, bias).scene


def export_neurons(project: Project, path: str | Path, bias: bool = True, transparent: bool = False) -> None:
    """Write the neurons drawing of the project's network as SVG, PNG or PDF (by the file's ending)."""
    path = check_format(path)
    scene = neurons_scene(project, bias)
    export_scene(scene, path, transparent)


def _column_xs(columns: list[Column]) -> list[float]:
    """Where the columns stand: COLUMN_GAP apart, or further where long captions would touch."""
    widths = [max(QFontMetricsF(_font(size, bold)).horizontalAdvance(text)
                  for text, size, bold in ((column.caption, CAPTION_PIXELS, True),
                                           (column.subcaption, SUBCAPTION_PIXELS, False)))
              for column in columns]
    xs = [0.0]
    for before, after in zip(widths, widths[1:]):
        xs.append(xs[-1] + max(COLUMN_GAP, (before + after) / 2 + 24))
    return xs


def _largest(column: Column) -> float:
    """The largest |w| of a Dense column's weights and biases (0 without weights)."""
    values = [np.abs(a).max() for a in (column.weights, column.bias_weights) if a is not None and a.size]
    return float(max(values, default=0.0))


def _neuron(scene: QGraphicsScene, centre: QPointF, role: str, label: str = "") -> None:
    circle = scene.addEllipse(QRectF(centre.x() - RADIUS, centre.y() - RADIUS, 2 * RADIUS, 2 * RADIUS),
                              QPen(STROKES[role], 1.4), QBrush(FILLS[role]))
    circle.setZValue(2)
    if label:
        text = QGraphicsSimpleTextItem(label)
        text.setFont(_font(11, bold=True))
        text.setBrush(MUTED_TEXT)
        box = text.boundingRect()
        text.setPos(centre.x() - box.width() / 2, centre.y() - box.height() / 2)
        text.setZValue(3)
        scene.addItem(text)


def _ellipsis(scene: QGraphicsScene, x: float, y: float) -> None:
    """Three dots down the column, where the neurons left out would be."""
    for offset in (-9.0, 0.0, 9.0):
        dot = scene.addEllipse(QRectF(x - DOT_RADIUS, y + offset - DOT_RADIUS, 2 * DOT_RADIUS, 2 * DOT_RADIUS),
                               QPen(Qt.PenStyle.NoPen), QBrush(MUTED_TEXT))
        dot.setZValue(2)


def _line(scene: QGraphicsScene, start: QPointF, end: QPointF) -> QGraphicsLineItem:
    line = scene.addLine(start.x(), start.y(), end.x(), end.y())
    line.setZValue(1)
    return line


def _pen(weight: float | None, largest: float) -> QPen:
    """A weight's colour (its sign) and width (|w| against the layer's largest); thin grey without a weight."""
    if weight is None:
        pen = QPen(PLAIN_LINE, 1.0)
    else:
        share = abs(weight) / largest if largest > 0 else 0.0
        pen = QPen(POSITIVE if weight >= 0 else NEGATIVE, MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _caption(scene: QGraphicsScene, x: float, y: float, caption: str, subcaption: str) -> None:
    for text, size, colour, bold in ((caption, CAPTION_PIXELS, TEXT, True),
                                     (subcaption, SUBCAPTION_PIXELS, MUTED_TEXT, False)):
        item = QGraphicsSimpleTextItem(text)
        item.setFont(_font(size, bold))
        item.setBrush(colour)
        item.setPos(x - item.boundingRect().width() / 2, y)
        scene.addItem(item)
        y += item.boundingRect().height() + 2


def _legend(scene: QGraphicsScene, centre_x: float, y: float) -> list[QGraphicsItem]:
    """What the colours and widths of the lines mean, centred under the drawing (swatches, so every line is a weight)."""
    parts = []
    for colour, words in ((POSITIVE, "positive"), (NEGATIVE, "negative weight; line width follows |w| in each layer")):
        text = QGraphicsSimpleTextItem(words)
        text.setFont(_font(11))
        text.setBrush(MUTED_TEXT)
        parts.append((colour, text))
    sample, gap = 22.0, 6.0
    width = sum(sample + gap + text.boundingRect().width() for _, text in parts) + 2 * gap * (len(parts) - 1)
    x = centre_x - width / 2
    items: list[QGraphicsItem] = []
    for colour, text in parts:
        height = text.boundingRect().height()
        items.append(scene.addRect(QRectF(x, y + height / 2 - 1.2, sample, 2.4), QPen(Qt.PenStyle.NoPen),
                                   QBrush(colour)))
        text.setPos(x + sample + gap, y)
        scene.addItem(text)
        items.append(text)
        x += sample + gap + text.boundingRect().width() + 2 * gap
    return items


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font
