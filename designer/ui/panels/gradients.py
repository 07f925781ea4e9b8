"""Gradient norms per layer over training, on a log scale: vanishing gradients sink, exploding ones climb.

One point per epoch comes from the history (the norm after the epoch's last
batch, "grad_norm:<layer>"), so the curves come back with a saved project;
while an epoch runs, each curve ends in the norm of the newest batch.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...engine.trainer import GRAD_NORM_PREFIX
from ..workers import Snapshot
from .mosaic import steady_axes


class GradientsPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setTitle("Gradient norm per layer", color="#1f2328")
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLogMode(y=True)
        self.plot.addLegend(offset=(-10, 10))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        steady_axes(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self.series: dict[str, tuple[list[float], list[float]]] = {}  # per layer: epochs and norms shown
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._epochs_shown = 0  # how many epochs of history the series hold

    def show_history(self, history: dict[str, list] | None) -> None:
        """Draw the per-epoch norms of a history (a snapshot's, or a project's saved one)."""
        self.series, self._epochs_shown = {}, 0
        self._take_epochs(history or {})
        self._draw(self.series)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The history up to the snapshot, and, within an epoch, each layer's norm after its newest batch."""
        epochs = len(snapshot.history.get("loss") or [])
        if epochs < self._epochs_shown:  # another run's history: not the one shown, grown
            self.show_history(snapshot.history)
            return
        self._take_epochs(snapshot.history)
        if snapshot.epoch_end:
            self._draw(self.series)
            return
        now = self._epochs_shown + (snapshot.batch + 1) / snapshot.batches
        series = dict(self.series)
        for layer, norm in snapshot.grad_norms.items():
            if norm > 0:
                xs, ys = series.get(layer, ([], []))
                series[layer] = (xs + [now], ys + [norm])
        self._draw(series)

    def _take_epochs(self, history: dict[str, list]) -> None:
        """Add the epochs of `history` past those the series hold (during a run, only the newest few)."""
        start = self._epochs_shown
        for key, values in history.items():
            if key.startswith(GRAD_NORM_PREFIX):
                xs, ys = self.series.setdefault(key[len(GRAD_NORM_PREFIX):], ([], []))
                for epoch, norm in enumerate(values[start:], start=start + 1):
                    if norm is not None and norm > 0:
                        xs.append(epoch)
                        ys.append(norm)
        self._epochs_shown = max(start, len(history.get("loss") or []))

    def _draw(self, series: dict[str, tuple[list[float], list[float]]]) -> None:
        for layer, (xs, ys) in series.items():
            if layer not in self.curves:
                colour = pg.intColor(len(self.curves), hues=9)
                self.curves[layer] = self.plot.plot(pen=pg.mkPen(colour, width=1.5), symbolBrush=colour,
                                                    symbolSize=6, name=layer)
            self.curves[layer].setData(xs, ys, symbol="o" if len(xs) == 1 else None)  # one point is a dot
        for layer in set(self.curves) - set(series):
            self.curves[layer].setData([], [])
