"""Gradient norms per layer over training, on a log scale: vanishing gradients sink, exploding ones climb.

One point per epoch comes from the history (the norm after the epoch's last
batch, "grad_norm:<layer>"), so the curves come back with a saved project;
while an epoch runs, each curve ends in the norm of the newest batch.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...engine.trainer import GRAD_NORM_PREFIX
from ..workers import Snapshot
from .epoch_values import EpochValues
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
        self.series: dict[str, EpochValues] = {}  # per layer: its norm at each epoch's end
        self.curves: dict[str, pg.PlotDataItem] = {}

    def show_history(self, history: dict[str, list] | None) -> None:
        """Draw the per-epoch norms of a history (a snapshot's, or a project's saved one)."""
        self.series = {}
        self._take_epochs(history or {})
        self._draw()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The history up to the snapshot, and, within an epoch, each layer's norm after its newest batch."""
        self._take_epochs(snapshot.history)
        if snapshot.epoch_end:
            self._draw()
            return
        epochs = len(snapshot.history.get("loss") or [])
        now = epochs + (snapshot.batch + 1) / snapshot.batches
        self._draw({layer: (now, norm) for layer, norm in snapshot.grad_norms.items() if norm > 0})

    def _take_epochs(self, history: dict[str, list]) -> None:
        """Hold the norms of `history`: during a run, only the epochs since the last frame are new (another run's
        history, shorter, is taken afresh)."""
        for key, values in history.items():
            if key.startswith(GRAD_NORM_PREFIX):
                self.series.setdefault(key[len(GRAD_NORM_PREFIX):], EpochValues()).take(values)

    def _draw(self, newest: dict[str, tuple[float, float]] | None = None) -> None:
        """Each layer's curve; `newest`: a point after the last epoch (the norm after the newest batch)."""
        newest = newest or {}
        for layer in [*self.series, *(layer for layer in newest if layer not in self.series)]:
            epochs, norms = self.series[layer].points(positive=True) if layer in self.series else ([], [])
            if layer in newest:
                epochs, norms = np.append(epochs, newest[layer][0]), np.append(norms, newest[layer][1])
            if layer not in self.curves:
                colour = pg.intColor(len(self.curves), hues=9)
                self.curves[layer] = self.plot.plot(pen=pg.mkPen(colour, width=1.5), symbolBrush=colour,
                                                    symbolSize=6, name=layer)
            self.curves[layer].setData(epochs, norms, symbol="o" if len(epochs) == 1 else None)  # one point: a dot
        for layer in set(self.curves) - set(self.series) - set(newest):
            self.curves[layer].setData([], [])
