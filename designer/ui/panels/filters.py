"""A convolutional layer's filters as a grid of small images, and its feature maps for the chosen sample.

The layer is the one selected on the canvas when it is a Conv2D, else the
network's first. Filters show with zero as white (a colour map symmetric
around zero, as in the weights panel): one row per filter, one column per
input channel (a single-channel layer's filters fill a square grid).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .mosaic import columns_for, tile, value_range

WEIGHT_MAP = pg.colormap.get("CET-D1")
FEATURE_MAP = pg.colormap.get("viridis")
MAX_FILTERS = 64
MAX_INPUT_CHANNELS = 16
MAX_MAPS = 64


def filter_grid(weights: np.ndarray) -> np.ndarray:
    """Conv2D weights (out, in, kh, kw) as one image of tiles, gaps left as NaN (drawn transparent)."""
    out_channels, in_channels = weights.shape[:2]
    if in_channels == 1:
        kernels = weights[:MAX_FILTERS, 0]
        return tile(kernels, columns_for(len(kernels)))
    kept = weights[:MAX_FILTERS, :MAX_INPUT_CHANNELS]
    rows, columns = kept.shape[:2]
    return tile(kept.reshape(rows * columns, *kept.shape[2:]), columns)


def _image_plot(title: str) -> tuple[pg.PlotWidget, pg.ImageItem]:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color="#1f2328", size="9pt")
    plot.invertY(True)
    plot.setAspectLocked(True)
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    image = pg.ImageItem(axisOrder="row-major")
    plot.addItem(image)
    return plot, image


class FiltersPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel("Train a network with a Conv2D layer to see its filters.")
        self.title.setWordWrap(True)
        self.filters_plot, self.filters_image = _image_plot("filters")
        self.filters_image.setColorMap(WEIGHT_MAP)
        self.maps_plot, self.maps_image = _image_plot("feature maps")
        self.maps_image.setColorMap(FEATURE_MAP)
        self.plots = QWidget()
        plots = QHBoxLayout(self.plots)
        plots.setContentsMargins(0, 0, 0, 0)
        plots.addWidget(self.filters_plot)
        plots.addWidget(self.maps_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.plots, 1)
        self.conv_layers: list[str] = []
        self.selected: str | None = None
        self.sample = 0
        self._weights: dict[str, np.ndarray] = {}
        self._activations: dict[str, np.ndarray] = {}

    @property
    def layer(self) -> str | None:
        """The Conv2D layer on show."""
        if self.selected in self.conv_layers:
            return self.selected
        return self.conv_layers[0] if self.conv_layers else None

    def set_layers(self, conv_layers: list[str]) -> None:
        """The network's Conv2D layers, in execution order."""
        self.conv_layers = list(conv_layers)
        self.clear()

    def select_layer(self, name: str | None) -> None:
        self.selected = name
        self.show(self._weights, self._activations, self.sample)

    def clear(self) -> None:
        self._weights, self._activations = {}, {}
        self.filters_image.clear()
        self.maps_image.clear()
        self.plots.setVisible(self.layer is not None)
        self.title.setText(f"Filters of {self.layer}." if self.layer else "This network has no Conv2D layer.")

    def show(self, weights: dict[str, np.ndarray], activations: dict[str, np.ndarray], sample: int) -> None:
        """Draw the layer's filters (from all weights) and its feature maps (from the sample's activations)."""
        self._weights, self._activations, self.sample = weights, activations, sample
        layer = self.layer
        if layer is None:
            return
        kernels = weights.get(f"{layer}.W")
        if kernels is not None:
            grid = filter_grid(np.asarray(kernels, dtype=np.float32))
            self.filters_image.setImage(grid, levels=value_range(grid, symmetric=True))
            self.filters_plot.setTitle(f"{layer} filters {kernels.shape[0]}×{kernels.shape[1]} of "
                                       f"{kernels.shape[2]}×{kernels.shape[3]}", color="#1f2328", size="9pt")
        maps = activations.get(layer)
        if maps is not None:
            shown = maps[:MAX_MAPS]
            grid = tile(shown, columns_for(len(shown)))
            self.maps_image.setImage(grid, levels=value_range(grid))
            self.maps_plot.setTitle(f"{layer} feature maps of sample {sample}", color="#1f2328", size="9pt")
        self.title.setText(f"What {layer} looks for, and where it finds it in sample {sample}.")
