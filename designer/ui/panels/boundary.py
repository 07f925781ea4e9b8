"""For networks with two inputs: the decision boundary over the input plane with the training points on top,
and for small dense networks what each hidden neuron computes over the same plane (small multiples).

This is the TensorFlow Playground view. The network's outputs over a grid of
the plane colour the background: by predicted class, paler where the
network is unsure; with one output, on a scale from the first class's colour
(0) through white (0.5) to the second's (1), or over the targets' range for
regression. The hidden neurons' maps use the same scale, symmetric around
zero. The layer selected on the canvas has its row of maps marked. The plane
gets most of the room; the maps, a few to a row, share a narrower column.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from .mosaic import steady_axes, value_range

CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
PLANE_MAP = pg.ColorMap([0.0, 0.5, 1.0], [CLASS_COLOURS[0], "#ffffff", CLASS_COLOURS[1]])
BACKGROUND_STRENGTH = 0.6  # how much of a class's colour the background takes, at full confidence
MAPS_PER_ROW = 4
PLANE_SHARE = 3  # the plane's width to the maps' column's, as the panel widens
LABEL_HEIGHT = 18  # pixels


def class_colour(index: int) -> np.ndarray:
    """A class's colour as RGB bytes (the colours repeat after ten classes)."""
    colour = pg.mkColor(CLASS_COLOURS[index % len(CLASS_COLOURS)])
    return np.array([colour.red(), colour.green(), colour.blue()], dtype=np.float32)


def plane_colours(outputs: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """RGB bytes (points, 3) for the network's outputs (points, k) at points of the plane.

    k > 1: the predicted class's colour, stronger the surer the network is;
    k = 1: the output on the two-colour scale spanning `levels`.
    """
    white = np.full(3, 255.0, dtype=np.float32)
    if outputs.shape[1] == 1:
        low, high = levels
        scaled = np.clip((np.nan_to_num(outputs[:, 0]) - low) / (high - low), 0.0, 1.0)
        rgb = PLANE_MAP.map(scaled, mode="byte")[:, :3].astype(np.float32)
        strength = BACKGROUND_STRENGTH
    else:
        k = outputs.shape[1]
        predicted = np.nan_to_num(outputs).argmax(axis=1)
        sure = np.clip((np.nan_to_num(outputs.max(axis=1)) - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
        palette = np.stack([class_colour(i) for i in range(k)])
        rgb = palette[predicted]
        strength = BACKGROUND_STRENGTH * (0.25 + 0.75 * sure)[:, None]
    return (white + (rgb - white) * strength).astype(np.uint8)


def _square(values: np.ndarray) -> np.ndarray:
    """Grid values (points, ...) as (side, side, ...): the grid's rows run along y."""
    side = math.isqrt(len(values))
    return values.reshape(side, side, *values.shape[1:])


class BoundaryPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel("Train a network with two inputs to see how it divides the plane.")
        self.title.setWordWrap(True)
        self.plane_plot = pg.PlotWidget(background="w")
        self.plane_plot.setTitle("decision boundary", color="#1f2328", size="9pt")
        self.plane_plot.setAspectLocked(True)
        self.plane_plot.setMenuEnabled(False)
        self.plane_plot.hideButtons()
        steady_axes(self.plane_plot)
        self.plane = pg.ImageItem(axisOrder="row-major")
        self.plane.setZValue(-10)
        self.plane_plot.addItem(self.plane)
        self.legend = self.plane_plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
        self.points: list[pg.ScatterPlotItem] = []
        self.neurons_view = pg.GraphicsLayoutWidget()
        self.neurons_view.setBackground("w")
        self.plots = QSplitter(Qt.Orientation.Horizontal)
        self.plots.addWidget(self.plane_plot)
        self.plots.addWidget(self.neurons_view)
        self.plots.setStretchFactor(0, PLANE_SHARE)
        self.plots.setStretchFactor(1, 1)
        self.plots.setSizes([PLANE_SHARE * 100, 100])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.plots, 1)
        self.extent: QRectF | None = None
        self.levels = (0.0, 1.0)
        self.layer: str | None = None
        self.labels: dict[str, pg.LabelItem] = {}
        self.maps: dict[str, list[pg.ImageItem]] = {}

    # --- what to draw over ---------------------------------------------------------------

    def set_data(self, X: np.ndarray | None, y: np.ndarray | None = None, classes: list[str] | None = None,
                 extent: tuple[tuple[float, float], tuple[float, float]] | None = None) -> None:
        """The training points (X (n, 2) and their classes, or regression targets without `classes`) and the
        plane's extent ((x range), (y range)); X None for a network without two inputs."""
        for scatter in self.points:
            self.plane_plot.removeItem(scatter)
        self.points = []
        self.legend.clear()
        self.plane.clear()
        self._clear_maps()
        self.plots.setVisible(X is not None)
        if X is None:
            self.extent = None
            self.title.setText("The decision boundary is drawn for networks with two inputs.")
            return
        (x0, x1), (y0, y1) = extent
        self.extent = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.title.setText("The network's answer over the input plane, with the training points.")
        if classes:
            labels = np.asarray(y).astype(np.int64)
            self.levels = (0.0, 1.0)
            for index, name in enumerate(classes):
                chosen = labels == index
                brush = pg.mkBrush(*class_colour(index).astype(int))
                scatter = pg.ScatterPlotItem(X[chosen, 0], X[chosen, 1], size=7, brush=brush,
                                             pen=pg.mkPen("w", width=1), name=f"class {name}")
                self.plane_plot.addItem(scatter)
                self.points.append(scatter)
        else:
            targets = np.asarray(y, dtype=np.float32).reshape(len(X), -1)[:, 0]
            self.levels = value_range(targets)
            scaled = (targets - self.levels[0]) / (self.levels[1] - self.levels[0])
            brushes = [pg.mkBrush(*colour) for colour in PLANE_MAP.map(scaled, mode="byte")]
            scatter = pg.ScatterPlotItem(X[:, 0], X[:, 1], size=7, brush=brushes, pen=pg.mkPen("#1f2328"),
                                         name="target")
            self.plane_plot.addItem(scatter)
            self.points.append(scatter)
        self.plane_plot.setRange(self.extent, padding=0)

    def select_layer(self, name: str | None) -> None:
        self.layer = name
        for layer, label in self.labels.items():
            label.setText(self._label_text(layer), color="#d1242f" if layer == name else "#57606a")

    def clear(self) -> None:
        self.plane.clear()
        self._clear_maps()

    # --- drawing -----------------------------------------------------------------------------

    def show(self, grid_outputs: np.ndarray | None, grid_activations: dict[str, np.ndarray]) -> None:
        """Colour the plane by the outputs over the grid, and draw each hidden neuron's map."""
        if self.extent is None or grid_outputs is None:
            return
        outputs = grid_outputs.reshape(len(grid_outputs), -1)
        self.plane.setImage(_square(plane_colours(outputs, self.levels)), levels=(0, 255))
        self.plane.setRect(self.extent)
        shapes = {name: values.shape[1] for name, values in grid_activations.items()}
        if shapes != {name: len(images) for name, images in self.maps.items()}:
            self._build_maps(shapes)
        for name, values in grid_activations.items():
            for unit, image in enumerate(self.maps[name]):
                plane = _square(values[:, unit])
                image.setImage(plane, levels=value_range(plane, symmetric=True))
                image.setRect(self.extent)

    def _label_text(self, layer: str) -> str:
        return f"{'▶ ' if layer == self.layer else ''}{layer}"

    def _clear_maps(self) -> None:
        self.neurons_view.clear()
        self.labels, self.maps = {}, {}

    def _build_maps(self, units: dict[str, int]) -> None:
        self._clear_maps()
        columns = min(MAPS_PER_ROW, max(units.values(), default=1))
        grid = self.neurons_view.ci.layout
        row = 0
        for layer, count in units.items():
            label = self.neurons_view.addLabel(self._label_text(layer), row=row, col=0, colspan=columns,
                                               size="8pt", color="#d1242f" if layer == self.layer else "#57606a")
            grid.setRowFixedHeight(row, LABEL_HEIGHT)
            self.labels[layer] = label
            row += 1
            self.maps[layer] = []
            for unit in range(count):
                box = self.neurons_view.addViewBox(row=row + unit // columns, col=unit % columns,
                                                   lockAspect=True, enableMouse=False)
                image = pg.ImageItem(axisOrder="row-major")
                image.setColorMap(PLANE_MAP)
                box.addItem(image)
                box.setRange(self.extent, padding=0)
                self.maps[layer].append(image)
            row += -(-count // columns)
