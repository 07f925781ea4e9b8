"""What one chosen sample makes of every layer: bars for vectors, images for feature maps and sequences.

The sample is picked with a spin box; the window sends it to the worker as
its probe. Each layer's output gets a small plot, in execution order; the
layer selected on the canvas has its title marked.

Bars are outlined, so that a unit whose output is about zero still shows, as
a line at zero; a layer of one unit has its value written too, for a single
bar says little by its height. Their value axis spans at least 0 to 1 (-1 to
1 when some are negative), the range of the usual activation functions, so
that small outputs look small; it changes only in steps as training goes (see
`steady_range`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from ...data import CLASSIFICATION, Dataset
from ..on_screen import on_screen
from .mosaic import columns_for, steady_axes, steady_range, tile, value_range

COLUMNS = 3
ROW_HEIGHT = 170  # pixels per row of plots
MAX_LAYERS = 48
MAX_BARS = 256  # longer vectors are drawn as a filled curve
MAX_LABELLED_BARS = 16  # shorter vectors have every unit's number written under it
MAX_CHANNELS = 64
IMAGE_MAP = pg.colormap.get("viridis")
TITLE_COLOUR, SELECTED_COLOUR = "#57606a", "#d1242f"
BAR_BRUSH, BAR_PEN = "#4a78b5", "#2f4f7a"


def describe(data: Dataset, index: int) -> str:
    """A few words on sample `index`: its name, if any, and its class or target."""
    target = data.y[index]
    if data.kind == CLASSIFICATION:
        what = f"class {data.classes[int(target)]}"
    else:
        what = "target " + ", ".join(f"{v:.3g}" for v in np.atleast_1d(target))
    name = data.sample_names[index] if data.sample_names else ""
    return f"{name} · {what}" if name else what


class _LayerPlot:
    """One layer's output in one plot: bars, a curve or an image, chosen by its shape."""

    def __init__(self, plot: pg.PlotItem, name: str, shape: tuple[int, ...]) -> None:
        self.plot, self.name, self.shape = plot, name, shape
        plot.hideButtons()
        plot.setMenuEnabled(False)
        steady_axes(plot)
        self.y_range: tuple[float, float] | None = None
        if len(shape) == 1:
            plot.showGrid(y=True, alpha=0.2)
            plot.setXRange(-0.5, shape[0] - 0.5, padding=0.02)
            plot.disableAutoRange()
            if shape[0] <= MAX_LABELLED_BARS:
                plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(shape[0])]])
            if shape[0] <= MAX_BARS:
                self.item = pg.BarGraphItem(x=np.arange(shape[0]), height=np.zeros(shape[0]), width=0.85,
                                            brush=BAR_BRUSH, pen=BAR_PEN)
            else:
                self.item = pg.PlotDataItem(pen=BAR_BRUSH, fillLevel=0, brush=BAR_BRUSH + "80")
        else:
            plot.hideAxis("left")
            plot.hideAxis("bottom")
            plot.invertY(True)
            plot.setAspectLocked(len(shape) == 3)
            self.item = pg.ImageItem(axisOrder="row-major")
            self.item.setColorMap(IMAGE_MAP)
        plot.addItem(self.item)
        self.value: pg.TextItem | None = None  # the value of a layer of one unit
        if shape == (1,):
            self.value = pg.TextItem(color=TITLE_COLOUR, fill="#ffffffc0", anchor=(0.5, 0.0))
            plot.addItem(self.value, ignoreBounds=True)
        self.mark(False)

    def mark(self, selected: bool) -> None:
        shape = "×".join(str(n) for n in self.shape)
        colour = SELECTED_COLOUR if selected else TITLE_COLOUR
        self.plot.setTitle(f"{'▶ ' if selected else ''}{self.name} ({shape})", color=colour, size="9pt")

    def show(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float32)
        if values.ndim == 1:
            if isinstance(self.item, pg.BarGraphItem):
                self.item.setOpts(height=values)
            else:
                self.item.setData(values)
            self._fit_y(values)
            if self.value is not None:
                self.value.setText(f"{values[0]:.3g}")
                self.value.setPos(0, self.y_range[1])
            return
        image = tile(values[:MAX_CHANNELS], columns_for(min(len(values), MAX_CHANNELS))) if values.ndim == 3 \
            else values
        self.item.setImage(image, levels=value_range(image))

    def _fit_y(self, values: np.ndarray) -> None:
        """Show the values over at least the unit scale, on a range that changes only in steps."""
        finite = values[np.isfinite(values)]
        low = min(float(finite.min()), 0.0) if finite.size else 0.0
        high = max(float(finite.max()), 1.0) if finite.size else 1.0
        shown = steady_range(self.y_range, min(low, -1.0) if low < 0 else 0.0, high)
        if shown != self.y_range:
            self.y_range = shown
            self.plot.setYRange(*shown, padding=0)


class ActivationsPanel(QWidget):
    sample_changed = Signal(int)  # the index of the chosen sample in the training part

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sample = QSpinBox()
        self.sample.setPrefix("sample ")
        self.sample.setRange(0, 0)
        self.sample.setKeyboardTracking(False)
        self.sample.setToolTip("Which training sample to run through the network")
        self.about_sample = QLabel()
        self.title = QLabel("Train the network to see what each layer makes of a sample.")
        self.title.setWordWrap(True)
        self.plots_view = pg.GraphicsLayoutWidget()
        self.plots_view.setBackground("w")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.plots_view)
        top = QHBoxLayout()
        top.addWidget(self.sample)
        top.addWidget(self.about_sample, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self.layer: str | None = None
        self.layers: dict[str, tuple[int, ...]] = {}  # the layers to plot (see set_layers), and how many in all
        self.all_layers = 0
        self.plots: dict[str, _LayerPlot] = {}
        self.data: Dataset | None = None
        self.sample.valueChanged.connect(self._sample_chosen)

    def set_samples(self, data: Dataset | None) -> None:
        """The samples to choose from (the training part), keeping the chosen index where it still exists."""
        self.data = data
        self.sample.blockSignals(True)
        self.sample.setRange(0, max(len(data) - 1, 0) if data is not None else 0)
        self.sample.blockSignals(False)
        self._describe()

    def _sample_chosen(self, index: int) -> None:
        self._describe()
        self.sample_changed.emit(index)

    def _describe(self) -> None:
        data, index = self.data, self.sample.value()
        self.about_sample.setText(describe(data, index) + f" (of {len(data)} training samples)" if data else "")

    def select_layer(self, name: str | None) -> None:
        self.layer = name
        for plot_name, plot in self.plots.items():
            plot.mark(plot_name == name)

    def clear(self) -> None:
        self.plots_view.clear()
        self.plots, self.layers, self.all_layers = {}, {}, 0
        self.title.setText("Train the network to see what each layer makes of a sample.")
        self.title.show()

    def set_layers(self, shapes: dict[str, tuple[int, ...]]) -> None:
        """The layers whose outputs to plot (per layer name, in execution order, without the batch axis), when a
        run starts: their plots are made now if the panel is on screen, else when it first draws them (a plot
        takes about 10 ms to make, and a big network has dozens)."""
        self._take_layers(shapes)
        if on_screen(self):
            self._make_plots()

    def _take_layers(self, shapes: dict[str, tuple[int, ...]]) -> None:
        self.layers, self.all_layers = dict(list(shapes.items())[:MAX_LAYERS]), len(shapes)

    def _make_plots(self) -> None:
        """A plot for each layer, unless the plots there are for these layers already (the same network)."""
        if [(name, plot.shape) for name, plot in self.plots.items()] == list(self.layers.items()):
            return
        self.plots_view.clear()
        self.plots = {}
        shown = self.layers
        more = self.all_layers - len(shown)
        self.title.setText(f"The first {len(shown)} layers of {self.all_layers} are shown." if more else "")
        self.title.setVisible(bool(more))
        for index, (name, shape) in enumerate(shown.items()):
            row, column = divmod(index, COLUMNS)
            plot = self.plots_view.addPlot(row=row, col=column)
            self.plots[name] = _LayerPlot(plot, name, shape)
            self.plots[name].mark(name == self.layer)
        rows = -(-len(shown) // COLUMNS)
        self.plots_view.setMinimumHeight(rows * ROW_HEIGHT)

    def show_activations(self, activations: dict[str, np.ndarray]) -> None:
        """Draw every layer's output for the chosen sample (per layer name, without the batch axis)."""
        self._take_layers({name: values.shape for name, values in activations.items()})
        self._make_plots()
        for name, plot in self.plots.items():
            plot.show(activations[name])
