"""The selected layer's weights: a heatmap with a colour map symmetric around zero, and their histogram.

Dense W (in, out) shows as it is; a Conv2D W (out, in, kh, kw) as one row per
filter. Each cell is centred on its row and column index, which the axes
number. Zero is always the middle colour, so the sign of every weight reads
at a glance; the colour scale, which the histogram's bins share, changes only
in steps as training goes (see `steady_range`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .mosaic import steady_axes, steady_range

COLOUR_MAP = pg.colormap.get("CET-D1")  # blue - white - red, diverging
BINS = 40
MAX_TICKS = 10  # numbered rows or columns, at most


def index_ticks(count: int) -> list[tuple[int, str]]:
    """Whole indices to number `count` rows or columns by: every one, or every 2nd, 5th, 10th, 20th, 50th, ..."""
    step = next(step for step in (m * 10 ** e for e in range(12) for m in (1, 2, 5)) if count <= MAX_TICKS * step)
    return [(i, str(i)) for i in range(0, count, step)]


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
        self.heatmap_plot.setMenuEnabled(False)
        self.heatmap_plot.hideButtons()
        self.heatmap_plot.getViewBox().disableAutoRange()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(COLOUR_MAP)
        self.heatmap_plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=COLOUR_MAP, interactive=False, width=12)
        self.colour_bar.setImageItem(self.image, insert_in=self.heatmap_plot.getPlotItem())
        self.histogram_plot = pg.PlotWidget(background="w")
        self.histogram_plot.setTitle("histogram", color="#1f2328")
        self.histogram_plot.setMenuEnabled(False)
        self.histogram_plot.hideButtons()
        self.histogram_plot.getViewBox().disableAutoRange()
        self.histogram = pg.PlotCurveItem([0.0, 1.0], [0.0], stepMode="center", fillLevel=0, brush="#4a78b5",
                                          pen="#2f4f7a")
        self.histogram_plot.addItem(self.histogram)
        for plot in (self.heatmap_plot, self.histogram_plot):
            steady_axes(plot)
        plots = QHBoxLayout()
        plots.addWidget(self.heatmap_plot, 3)
        plots.addWidget(self.histogram_plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addLayout(plots)
        self.shown: np.ndarray | None = None  # the matrix on screen
        self.levels: tuple[float, float] | None = None  # the colour scale, symmetric around zero
        self.counts_range: tuple[float, float] | None = None  # the histogram's

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
            self.shown = self.levels = self.counts_range = None
            return
        values = np.asarray(weights[key], dtype=np.float64)
        matrix = as_matrix(values)
        finite = np.abs(matrix[np.isfinite(matrix)])
        limit = float(finite.max()) if finite.size else 0.0
        levels = steady_range(self.levels, -limit, limit)
        if levels != self.levels:
            self.levels = levels
            self.colour_bar.setLevels(levels)
            self.histogram_plot.setXRange(*levels, padding=0)
        self.image.setImage(matrix, levels=levels)
        if self.shown is None or matrix.shape != self.shown.shape:
            self._frame_matrix(*matrix.shape)
        counts, edges = np.histogram(values[np.isfinite(values)], bins=BINS, range=levels)
        self.histogram.setData(edges, counts)
        counts_range = steady_range(self.counts_range, 0.0, float(max(counts.max(), 1)))
        if counts_range != self.counts_range:
            self.counts_range = counts_range
            self.histogram_plot.setYRange(0.0, counts_range[1], padding=0)
        self.title.setText(f"{key} {tuple(values.shape)}: from {values.min():.3g} to {values.max():.3g}, "
                           f"mean {values.mean():.3g}")
        self.shown = matrix

    def _frame_matrix(self, rows: int, columns: int) -> None:
        """Fit the heatmap to the matrix of this size just set, each cell centred on its indices, which the axes
        number."""
        self.image.setRect(QRectF(-0.5, -0.5, columns, rows))
        self.heatmap_plot.setRange(xRange=(-0.5, columns - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self.heatmap_plot.getAxis("bottom").setTicks([index_ticks(columns)])
        self.heatmap_plot.getAxis("left").setTicks([index_ticks(rows)])
