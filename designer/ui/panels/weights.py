"""The selected layer's weights: a heatmap with a colour map symmetric around zero, and their histogram.

Dense W (in, out) shows as it is; a Conv2D W (out, in, kh, kw) as one row per
filter. Zero is always the middle colour, so the sign of every weight reads
at a glance.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

COLOUR_MAP = pg.colormap.get("CET-D1")  # blue - white - red, diverging
BINS = 40


def as_matrix(weights: np.ndarray) -> np.ndarray:
    """Any weight array as a 2-D matrix to draw: rows are outputs (filters) where there is such an axis."""
    if weights.ndim == 1:
        return weights[None, :]
    if weights.ndim == 2:
        return weights
    return weights.reshape(weights.shape[0], -1)


class WeightsPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.layer: str | None = None
        self.title = QLabel("Select a layer with weights on the canvas.")
        self.heatmap_plot = pg.PlotWidget(background="w")
        self.heatmap_plot.invertY(True)
        self.heatmap_plot.setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(COLOUR_MAP)
        self.heatmap_plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=COLOUR_MAP, interactive=False, width=12)
        self.colour_bar.setImageItem(self.image, insert_in=self.heatmap_plot.getPlotItem())
        self.histogram_plot = pg.PlotWidget(background="w")
        self.histogram_plot.setTitle("histogram", color="#1f2328")
        self.histogram = pg.PlotCurveItem([0.0, 1.0], [0.0], stepMode="center", fillLevel=0, brush="#4a78b5",
                                          pen="#2f4f7a")
        self.histogram_plot.addItem(self.histogram)
        plots = QHBoxLayout()
        plots.addWidget(self.heatmap_plot, 3)
        plots.addWidget(self.histogram_plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addLayout(plots)
        self.shown: np.ndarray | None = None  # the matrix on screen

    def select_layer(self, name: str | None) -> None:
        self.layer = name

    def show_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Draw the selected layer's main weight array (W, centers or gamma) from a dict of all weights."""
        if self.layer is None:
            return
        key = next((f"{self.layer}.{p}" for p in ("W", "centers", "gamma", "weights") if f"{self.layer}.{p}" in weights), None)
        if key is None:
            self.title.setText(f"{self.layer} has no weights." if weights else
                               "No trained weights yet: they show here once training starts.")
            self.image.clear()
            self.histogram.setData([0, 1], [0])
            self.shown = None
            return
        values = np.asarray(weights[key], dtype=np.float64)
        matrix = as_matrix(values)
        limit = float(np.abs(matrix).max()) or 1.0
        self.image.setImage(matrix, levels=(-limit, limit))
        self.colour_bar.setLevels((-limit, limit))
        counts, edges = np.histogram(values, bins=BINS)
        self.histogram.setData(edges, counts)
        self.title.setText(f"{key} {tuple(values.shape)}: from {values.min():.3g} to {values.max():.3g}, "
                           f"mean {values.mean():.3g}")
        self.shown = matrix
