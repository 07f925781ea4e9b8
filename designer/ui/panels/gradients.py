"""Gradient norms per layer over training, on a log scale: vanishing gradients sink, exploding ones climb."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..workers import Snapshot

MAX_POINTS = 5000  # per layer; older points are thinned out


class GradientsPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setTitle("Gradient norm per layer", color="#1f2328")
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLogMode(y=True)
        self.plot.addLegend(offset=(-10, 10))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self.series: dict[str, tuple[list[float], list[float]]] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}

    def clear(self) -> None:
        self.plot.clear()
        self.series, self.curves = {}, {}

    def show_snapshot(self, snapshot: Snapshot) -> None:
        when = snapshot.epoch + (snapshot.batch + 1) / snapshot.batches
        for index, (layer, norm) in enumerate(snapshot.grad_norms.items()):
            if norm <= 0:
                continue
            xs, ys = self.series.setdefault(layer, ([], []))
            xs.append(when)
            ys.append(norm)
            if len(xs) > MAX_POINTS:
                del xs[::2], ys[::2]
            if layer not in self.curves:
                self.curves[layer] = self.plot.plot(pen=pg.mkPen(pg.intColor(index, hues=9), width=1.5), name=layer)
            self.curves[layer].setData(xs, ys)
